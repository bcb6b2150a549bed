import type { InstanceView } from '../dataout/create-dataout-service.ts';
import type { DataoutError } from '../dataout/dataout-error.ts';
import type { FieldSource } from '../dataout/field-mapping.ts';
import type { Job } from '../jobs/job-queue.ts';
import { EXIT, type ExitCode } from './cli-io.ts';
import { formatTime } from './format.ts';
import type { CliFailure, Output } from './output.ts';

/** Shared by the data-out commands (`instances …`, `findings push`, `jobs replay`): errors, facts, job lines. */

/** How the data-out service names an input field, and the flag a user types to set it. */
const INSTANCE_FIELD_FLAGS: Record<string, string> = {
  connection: '--connection',
  name: '--name',
  project: '--project',
  issueType: '--issue-type',
  mapping: '--map',
  'templates.summary': '--summary',
  'templates.description': '--description',
  'templates.labels': '--labels',
  'templates.priority': '--priority',
  doneStatus: '--done-status',
  reopenStatus: '--reopen-status',
  reopenPolicy: '--reopen',
  onChange: '--on-change',
  source: '--source',
  finding: '--finding',
  findings: '<file>',
};

/**
 * The flag for a data-out field: `mapping.customfield_10050` → `--map customfield_10050`, `issueType` →
 * `--issue-type`. `overrides` wins (e.g. `templates.description` → `--description-file` when the template came
 * from a file); unknown names are kebab-cased.
 */
export function flagForDataoutField(field: string, overrides: Record<string, string> = {}): string {
  const override = overrides[field];
  if (override !== undefined) return override;
  if (field.startsWith('mapping.')) return `--map ${field.slice('mapping.'.length)}`;
  return INSTANCE_FIELD_FLAGS[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Codes that mean the input was wrong (exit 2); everything else is a failed operation (exit 1). */
const INPUT_CODES: ReadonlySet<DataoutError['code']> = new Set(['invalid_input', 'wrong_kind']);

/**
 * A data-out error as the CLI reports it, field names translated to flags, in the message too: the service says
 * `mapping.customfield_10050: …`, the user typed `--map customfield_10050=…`. A message that starts with a field
 * name and carries no field list (`connection: no such connection: x.`) is translated the same way.
 */
export function reportDataoutError(out: Output, error: DataoutError, overrides: Record<string, string> = {}): ExitCode {
  const failure: CliFailure = { code: error.code, message: error.message };
  if (error.fields && error.fields.length > 0) {
    failure.fields = error.fields.map((f) => ({ field: flagForDataoutField(f.field, overrides), message: f.message }));
    failure.message = failure.fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  } else {
    const lead = /^([a-zA-Z.]+): (.+)$/s.exec(error.message);
    if (lead?.[1] !== undefined && lead[2] !== undefined && lead[1] in INSTANCE_FIELD_FLAGS)
      failure.message = `${flagForDataoutField(lead[1], overrides)}: ${lead[2]}`;
  }
  if (error.atlassian) failure.atlassian = { code: error.atlassian.code, message: error.atlassian.message };
  return out.fail(failure, INPUT_CODES.has(error.code) ? EXIT.usage : EXIT.failed);
}

/** `finding.severity`, `"Major"`, `{{ … }}`: a mapping source the way `--map` takes it. */
export function describeSource(source: FieldSource): string {
  switch (source.kind) {
    case 'finding':
      return `finding.${source.path}`;
    case 'template':
      return source.template;
    case 'fixed':
      return JSON.stringify(source.value);
  }
}

/** `created 5, failed 1`, or `none`. */
export function ticketCounts(view: Pick<InstanceView, 'tickets'>): string {
  const parts = Object.entries(view.tickets)
    .filter(([, n]) => n !== undefined && n > 0)
    .map(([state, n]) => `${state} ${n}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** `key  value` lines of an instance, for `instances show` and `instances add`. */
export function instanceFacts(view: InstanceView): string[] {
  const c = view.config;
  const templates = Object.entries(c.templates).filter(([, t]) => t !== '');
  const facts: Array<[string, string | undefined]> = [
    ['id', view.id],
    ['status', view.status],
    ['health', view.health],
    ['last error', view.lastError],
    ['connection', view.connectionName],
    ['project', view.project.key],
    ['issue type', view.issueType.name],
    ['done status', c.doneStatus],
    ['reopen', c.reopenPolicy === 'reopen' ? `reopen (to ${c.reopenStatus})` : 'new ticket'],
    ['on change', c.onChange],
    ['tickets', ticketCounts(view)],
    ['created', `${formatTime(view.createdAt)} by ${view.createdBy}`],
    ['updated', formatTime(view.updatedAt)],
  ];
  const lines = facts.filter((f): f is [string, string] => f[1] !== undefined).map(([k, v]) => `  ${k.padEnd(15)}${v}`);
  const mapping = Object.entries(c.mapping);
  if (mapping.length > 0) {
    lines.push('  mapping');
    for (const [field, source] of mapping) lines.push(`    ${field} = ${describeSource(source)}`);
  }
  if (templates.length > 0) {
    lines.push('  templates');
    for (const [name, text] of templates) lines.push(`    ${name}: ${text.replace(/\n/g, '\\n')}`);
  }
  return lines;
}

/** The class of a job's last error: the `code` of its `code: message` text. */
export function errorClass(job: Pick<Job, 'lastError'>): string | undefined {
  if (job.lastError === undefined) return undefined;
  const at = job.lastError.indexOf(': ');
  return at < 0 ? job.lastError : job.lastError.slice(0, at);
}

/** `create` or `ticket`: the queue without its `dataout-` prefix. */
export function jobKind(job: Pick<Job, 'queue'>): string {
  return job.queue.replace(/^dataout-/, '');
}

/** A job as `--json` shows it: the queue's record plus its error class. */
export function jobJson(job: Job): Job & { errorClass?: string } {
  const cls = errorClass(job);
  return cls === undefined ? job : { ...job, errorClass: cls };
}
