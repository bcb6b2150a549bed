import { readFile } from 'node:fs/promises';
import type { InstanceView } from '../dataout/create-dataout-service.ts';
import type { InstanceStatus, Ticket } from '../dataout/instance.ts';
import { describeFindingProblem, readFindingsText, type Finding } from '../dataout/finding.ts';
import type { Hub } from '../hub.ts';
import { EXIT, type ExitCode } from './cli-io.ts';
import { JSON_FLAG, type Command, type CommandContext } from './command.ts';
import { errorClass, instanceFacts, jobJson, jobKind, reportDataoutError, ticketCounts } from './dataout-format.ts';
import { formatTime } from './format.ts';
import { flagBool, flagString } from './parse-args.ts';
import { renderTable } from './table.ts';

/** Pages fetched at most: a terminal table of more than 10 000 rows helps nobody; `--json` and the API page. */
const MAX_PAGES = 100;

export const instancesList: Command = {
  path: ['instances', 'list'],
  summary: 'list data-out instances with their status, health and tickets',
  positionals: [],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx) {
    return ctx.withHub(async (hub) => {
      const items: InstanceView[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const listed = await hub.dataout.listInstances(cursor === undefined ? { limit: 100 } : { limit: 100, cursor });
        if (!listed.ok) return reportDataoutError(ctx.out, listed.error);
        items.push(...listed.value.items);
        cursor = listed.value.nextCursor;
        if (cursor === undefined) break;
      }
      ctx.out.data({ items });
      if (items.length === 0) {
        ctx.out.say(
          'No instances yet. Add one with: skybridge instances add --connection C --name N --project KEY --issue-type T',
        );
        return EXIT.ok;
      }
      ctx.out.say(
        renderTable(
          ['NAME', 'CONNECTION', 'PROJECT', 'ISSUE TYPE', 'STATUS', 'HEALTH', 'TICKETS'],
          items.map((i) => [
            i.name,
            i.connectionName,
            i.project.key,
            i.issueType.name,
            i.status,
            i.health,
            ticketCounts(i),
          ]),
        ),
      );
      return EXIT.ok;
    });
  },
};

export const instancesShow: Command = {
  path: ['instances', 'show'],
  summary: 'show one instance: configuration, tickets by state, health and last error',
  positionals: ['<instance>'],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const found = await hub.dataout.getInstance(idOrName);
      if (!found.ok) return reportDataoutError(ctx.out, found.error);
      ctx.out.data(found.value);
      ctx.out.say(found.value.name);
      for (const line of instanceFacts(found.value)) ctx.out.say(line);
      return EXIT.ok;
    });
  },
};

/** Reads the sample finding of `instances test --finding`: the first finding of a JSON or JSON Lines file. */
async function readSampleFinding(
  path: string,
): Promise<{ ok: true; finding: Finding } | { ok: false; problem: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, problem: `--finding: cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}` };
  }
  const read = readFindingsText(text);
  if (!read.ok) return { ok: false, problem: `--finding: ${read.error.map(describeFindingProblem).join('; ')}` };
  const first = read.value[0];
  if (first === undefined) return { ok: false, problem: `--finding: ${path} holds no finding` };
  if (!first.result.ok)
    return { ok: false, problem: `--finding: ${first.result.error.map(describeFindingProblem).join('; ')}` };
  return { ok: true, finding: first.result.value };
}

export const instancesTest: Command = {
  path: ['instances', 'test'],
  summary: 'render a sample ticket and check it (dry run), or create and remove a test ticket (--live)',
  positionals: ['<instance>'],
  usage: '[--live] [--finding file.json] [--json]',
  details: [
    'Without --live nothing is written: the sample finding (or the first finding of --finding) is rendered with the',
    "instance's templates and mapping, and the fields a ticket would get are shown. With --live a ticket labelled",
    'skybridge-test is created, then deleted, or moved to the done status where deleting is not permitted.',
  ].join('\n'),
  flags: {
    live: { type: 'boolean', help: 'create a real test ticket, then delete or close it' },
    finding: { type: 'string', help: 'render this finding (a JSON file; the first finding is used)' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    const live = flagBool(args, 'live');
    const findingFile = flagString(args, 'finding');
    let finding: Finding | undefined;
    if (findingFile !== undefined) {
      const sample = await readSampleFinding(findingFile);
      if (!sample.ok) return ctx.out.usage([sample.problem], ctx.commandLine);
      finding = sample.finding;
    }
    return ctx.withHub(async (hub) => {
      const tested = await hub.dataout.testInstance(
        ctx.actor,
        idOrName,
        finding === undefined ? { live } : { live, finding },
      );
      if (!tested.ok) return reportDataoutError(ctx.out, tested.error);
      const result = tested.value;
      ctx.out.data(result);
      if (result.issueKey === undefined)
        ctx.out.say('✓ Dry run: the ticket renders and passes the checks; nothing was written');
      else {
        const cleanup =
          result.cleanup === 'deleted'
            ? 'and deleted it again'
            : result.cleanup === 'closed'
              ? 'and closed it (deleting it is not permitted)'
              : 'but could neither delete nor close it: remove it by hand';
        ctx.out.say(`${result.cleanup === 'left_open' ? '!' : '✓'} Live test: created ${result.issueKey} ${cleanup}`);
      }
      ctx.out.say('  Fields:');
      for (const [field, value] of Object.entries(result.fields)) {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        ctx.out.say(`    ${field}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`.replace(/\n/g, '\\n'));
      }
      return result.cleanup === 'left_open' ? EXIT.failed : EXIT.ok;
    });
  },
};

function statusCommand(status: InstanceStatus): Command {
  const stop = status === 'stopped';
  return {
    path: ['instances', stop ? 'stop' : 'start'],
    summary: stop
      ? 'stop an instance: it refuses new findings and pauses its ticket operations'
      : 'start a stopped instance: it takes findings again and catches up',
    positionals: ['<instance>'],
    usage: '[--json]',
    flags: { ...JSON_FLAG },
    async run(ctx, args) {
      const idOrName = args.positionals[0] ?? '';
      return ctx.withHub(async (hub) => {
        const updated = await hub.dataout.setStatus(ctx.actor, idOrName, status);
        if (!updated.ok) return reportDataoutError(ctx.out, updated.error);
        ctx.out.data(updated.value);
        ctx.out.say(
          stop
            ? `✓ Stopped "${updated.value.name}": new findings are refused until it is started`
            : `✓ Started "${updated.value.name}": it takes findings again; tickets out of step are queued`,
        );
        return EXIT.ok;
      });
    },
  };
}

export const instancesStop = statusCommand('stopped');
export const instancesStart = statusCommand('active');

export const instancesDelete: Command = {
  path: ['instances', 'delete'],
  summary: "delete an instance and the hub's record of its tickets (nothing in Jira is touched)",
  positionals: ['<instance>'],
  usage: '[--json]',
  details: 'Its queued ticket jobs are cancelled. The tickets already made stay in Jira as they are.',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const found = await hub.dataout.getInstance(idOrName);
      if (!found.ok) return reportDataoutError(ctx.out, found.error);
      const deleted = await hub.dataout.deleteInstance(ctx.actor, found.value.id);
      if (!deleted.ok) return reportDataoutError(ctx.out, deleted.error);
      ctx.out.data({ deleted: { id: found.value.id, name: found.value.name } });
      ctx.out.say(`✓ Deleted instance "${found.value.name}" (${found.value.id}); its tickets stay in Jira`);
      return EXIT.ok;
    });
  },
};

export const instancesJobs: Command = {
  path: ['instances', 'jobs'],
  summary: "list an instance's ticket jobs, newest first: status, attempts, error class",
  positionals: ['<instance>'],
  usage: '[--json]',
  details: 'A failed job can be run again, after fixing its cause, with: skybridge jobs replay <jobId>',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const listed = await hub.dataout.jobs(idOrName, { limit: 500 });
      if (!listed.ok) return reportDataoutError(ctx.out, listed.error);
      ctx.out.data({ items: listed.value.map(jobJson) });
      if (listed.value.length === 0) {
        ctx.out.say('no ticket jobs yet: push findings with `skybridge findings push`');
        return EXIT.ok;
      }
      ctx.out.say(
        renderTable(
          ['ID', 'KIND', 'STATUS', 'ATTEMPTS', 'ERROR CLASS', 'UPDATED', 'LAST ERROR'],
          listed.value.map((j) => [
            j.id,
            jobKind(j),
            j.status,
            `${j.attempts}/${j.maxAttempts}`,
            errorClass(j) ?? '-',
            formatTime(j.updatedAt),
            j.lastError === undefined ? '' : j.lastError.slice((errorClass(j)?.length ?? 0) + 2),
          ]),
        ),
      );
      return EXIT.ok;
    });
  },
};

function ticketRow(t: Ticket): string[] {
  return [
    t.findingId,
    t.source,
    t.findingStatus,
    t.state,
    t.issueKey ?? '-',
    formatTime(t.updatedAt),
    t.lastError === undefined ? '' : `${t.lastErrorClass ?? 'error'}: ${t.lastError}`,
  ];
}

export const instancesTickets: Command = {
  path: ['instances', 'tickets'],
  summary: "list an instance's tickets: finding, state, issue key, last error",
  positionals: ['<instance>'],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => listTickets(ctx, hub, idOrName));
  },
};

async function listTickets(ctx: CommandContext, hub: Hub, idOrName: string): Promise<ExitCode> {
  const items: Ticket[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await hub.dataout.tickets(idOrName, cursor === undefined ? { limit: 100 } : { limit: 100, cursor });
    if (!listed.ok) return reportDataoutError(ctx.out, listed.error);
    items.push(...listed.value.items);
    cursor = listed.value.nextCursor;
    if (cursor === undefined) break;
  }
  ctx.out.data({ items });
  if (items.length === 0) {
    ctx.out.say('no tickets yet: push findings with `skybridge findings push`');
    return EXIT.ok;
  }
  ctx.out.say(
    renderTable(
      ['FINDING', 'SOURCE', 'FINDING STATUS', 'STATE', 'ISSUE', 'UPDATED', 'LAST ERROR'],
      items.map(ticketRow),
    ),
  );
  return EXIT.ok;
}
