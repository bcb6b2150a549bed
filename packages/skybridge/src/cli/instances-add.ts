import { readFile } from 'node:fs/promises';
import { CHANGE_POLICIES, REOPEN_POLICIES } from '../dataout/instance.ts';
import type { InstanceInput } from '../dataout/instance-input.ts';
import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { instanceFacts, reportDataoutError } from './dataout-format.ts';
import { flagList, flagString } from './parse-args.ts';

/**
 * `--map field=value` pairs as the service takes them (the value stays the shorthand string the service parses:
 * `finding.<path>`, a Liquid template, or a fixed value). Every malformed or repeated pair is a problem.
 */
export function parseMapFlags(values: readonly string[]): { mapping: Record<string, string>; problems: string[] } {
  const mapping: Record<string, string> = {};
  const problems: string[] = [];
  for (const value of values) {
    const eq = value.indexOf('=');
    const field = eq < 0 ? '' : value.slice(0, eq).trim();
    if (eq < 0 || field === '') {
      problems.push('--map: expected field=value (e.g. --map customfield_10050=Major)');
      continue;
    }
    if (Object.hasOwn(mapping, field)) {
      problems.push(`--map: ${field} is mapped twice`);
      continue;
    }
    mapping[field] = value.slice(eq + 1);
  }
  return { mapping, problems };
}

export const instancesAdd: Command = {
  path: ['instances', 'add'],
  summary: 'add a data-out instance: findings become tickets in a Jira project',
  positionals: [],
  usage:
    '--connection C --name N --project KEY --issue-type T [--map field=value ...] [--summary TPL] [--description TPL | --description-file F] [--labels TPL] [--priority TPL] [--done-status S] [--reopen-status S] [--reopen reopen|new] [--on-change update|comment] [--json]',
  details: [
    'The project, the issue type and every mapped field are checked against what the connection can create',
    "(Jira's create metadata); a required field left unmapped is named, as --map <field id>. Nothing is saved",
    'unless the check passes.',
    '',
    '--map takes field=value, once per field. The value is `finding.<path>` (a field of the finding, e.g.',
    'finding.resource or finding.properties.team), a Liquid template (anything with {{ or {%), or a fixed value',
    '(JSON when it parses as an object, array or number, otherwise text). Templates see `finding`.',
    '',
    'The webhook secret that producers sign deliveries with is printed once, when the instance is created.',
    '',
    'Example:',
    '  skybridge instances add --connection jira --name vulns --project SEC --issue-type Bug \\',
    '    --map customfield_10050=\'{% if finding.severity == "critical" %}Critical{% else %}Major{% endif %}\' \\',
    "    --labels '{{ finding.properties.team }}'",
  ].join('\n'),
  flags: {
    connection: { type: 'string', help: 'the jira-cloud or jira-dc connection to create tickets through (required)' },
    name: { type: 'string', help: 'unique name for the instance (required)' },
    project: { type: 'string', help: 'project key (required)' },
    'issue-type': { type: 'string', help: 'issue type name or id (required)' },
    map: { type: 'list', help: 'field=value: fill a Jira field (repeatable)' },
    summary: { type: 'string', help: 'summary template (default: [SEVERITY] title)' },
    description: { type: 'string', help: 'description template' },
    'description-file': { type: 'string', help: 'read the description template from this file' },
    labels: { type: 'string', help: 'labels template: one label per line or comma' },
    priority: { type: 'string', help: 'priority template: a priority name (default: the project default)' },
    'done-status': {
      type: 'string',
      help: 'status or transition a resolved finding moves its ticket to (default Done)',
    },
    'reopen-status': { type: 'string', help: 'status or transition that reopens a ticket (default To Do)' },
    reopen: {
      type: 'string',
      help: `when a resolved finding returns: ${REOPEN_POLICIES.join(' or ')} (default reopen)`,
    },
    'on-change': {
      type: 'string',
      help: `when a finding changes: ${CHANGE_POLICIES.join(' or ')} its ticket (default update)`,
    },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const problems: string[] = [];
    const required = (flag: string): string => {
      const value = flagString(args, flag);
      if (value === undefined) problems.push(`--${flag}: required`);
      return value ?? '';
    };
    const input: InstanceInput = {
      connection: required('connection'),
      name: required('name'),
      project: required('project'),
      issueType: required('issue-type'),
    };
    const map = parseMapFlags(flagList(args, 'map'));
    problems.push(...map.problems);
    if (Object.keys(map.mapping).length > 0) input.mapping = map.mapping;

    const templates: NonNullable<InstanceInput['templates']> = {};
    for (const name of ['summary', 'labels', 'priority'] as const) {
      const value = flagString(args, name);
      if (value !== undefined) templates[name] = value;
    }
    const description = flagString(args, 'description');
    const descriptionFile = flagString(args, 'description-file');
    if (description !== undefined && descriptionFile !== undefined)
      problems.push('--description, --description-file: give one of them, not both');
    else if (description !== undefined) templates.description = description;
    else if (descriptionFile !== undefined) {
      try {
        templates.description = await readFile(descriptionFile, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        problems.push(
          `--description-file: cannot read ${descriptionFile}${typeof code === 'string' ? ` (${code})` : ''}`,
        );
      }
    }
    if (Object.keys(templates).length > 0) input.templates = templates;

    const doneStatus = flagString(args, 'done-status');
    if (doneStatus !== undefined) input.doneStatus = doneStatus;
    const reopenStatus = flagString(args, 'reopen-status');
    if (reopenStatus !== undefined) input.reopenStatus = reopenStatus;
    const reopen = flagString(args, 'reopen');
    if (reopen !== undefined) {
      const policy = REOPEN_POLICIES.find((p) => p === reopen);
      if (policy === undefined) problems.push(`--reopen: must be one of ${REOPEN_POLICIES.join(', ')}`);
      else input.reopenPolicy = policy;
    }
    const onChange = flagString(args, 'on-change');
    if (onChange !== undefined) {
      const policy = CHANGE_POLICIES.find((p) => p === onChange);
      if (policy === undefined) problems.push(`--on-change: must be one of ${CHANGE_POLICIES.join(', ')}`);
      else input.onChange = policy;
    }
    if (problems.length > 0) return ctx.out.usage(problems, ctx.commandLine);

    return ctx.withHub(async (hub) => {
      const added = await hub.dataout.addInstance(ctx.actor, input);
      if (!added.ok)
        return reportDataoutError(
          ctx.out,
          added.error,
          descriptionFile === undefined ? {} : { 'templates.description': '--description-file' },
        );
      const { instance, webhookSecret } = added.value;
      // The one place the webhook secret is printed, on purpose: it is sealed once stored and cannot be shown again.
      ctx.out.data({ instance, webhookSecret });
      ctx.out.say(
        `✓ Added instance "${instance.name}": findings become ${instance.issueType.name} tickets in ${instance.project.key} through "${instance.connectionName}"`,
      );
      for (const line of instanceFacts(instance)) ctx.out.say(line);
      ctx.out.say();
      ctx.out.say('  Webhook secret: store it now; it is sealed and will not be shown again:');
      ctx.out.say();
      ctx.out.say(`  ${webhookSecret}`);
      ctx.out.say();
      ctx.out.say('  Producers that push sign each delivery with it: X-Skybridge-Timestamp: <unix seconds> and');
      ctx.out.say('  X-Skybridge-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">.');
      const shellName = /^[\w.-]+$/.test(instance.name) ? instance.name : `'${instance.name.replace(/'/g, `'\\''`)}'`;
      ctx.out.say(`  Push a file of findings with: skybridge findings push --instance ${shellName} findings.jsonl`);
      return EXIT.ok;
    });
  },
};
