import type { AccessEntry } from '../sync/store/access-queries.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../sync/store/export-snapshot.ts';
import type { SyncError } from '../sync/create-sync-service.ts';
import { EXIT, type ExitCode } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import type { Output } from './output.ts';
import { reportServiceError } from './output.ts';
import { flagString } from './parse-args.ts';

function fail(out: Output, e: SyncError): Promise<ExitCode> | ExitCode {
  return reportServiceError(out, { code: e.code === 'not_found' ? 'not_found' : 'invalid_input', message: e.message });
}

function entryLine(e: AccessEntry): string {
  const what = e.resource ? `${e.resource.type} ${e.resource.displayName}` : e.entitlement.id;
  const via = e.via.length > 0 ? `  (via ${e.via.join(' → ')})` : '';
  return `${(e.principal.displayName ?? e.principal.id).padEnd(28)} ${(e.entitlement.displayName ?? e.entitlement.slug ?? '').padEnd(22)} ${what}${via}`;
}

export const accessUser: Command = {
  path: ['access', 'user'],
  summary: 'everything a person can reach (current snapshots), and through what',
  positionals: ['<email|accountId>'],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const who = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const found = await hub.sync.accessUser(who, { limit: 500 });
      if (!found.ok) return fail(ctx.out, found.error);
      ctx.out.data(found.value);
      if (found.value.items.length === 0) ctx.out.say(`no access found for ${who} in the synced snapshots`);
      for (const e of found.value.items) ctx.out.say(entryLine(e));
      if (found.value.nextCursor) ctx.out.say('… more entries: use --json and the HTTP API to page');
      return EXIT.ok;
    });
  },
};

export const accessWho: Command = {
  path: ['access', 'who'],
  summary: 'everyone who holds an entitlement or any entitlement of a resource (current snapshots)',
  positionals: ['<entitlement|resource id>'],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const id = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const found = await hub.sync.whoHas(id, { limit: 500 });
      if (!found.ok) return fail(ctx.out, found.error);
      ctx.out.data(found.value);
      if (found.value.items.length === 0) ctx.out.say(`nobody holds ${id} in the synced snapshots`);
      for (const e of found.value.items) ctx.out.say(entryLine(e));
      return EXIT.ok;
    });
  },
};

export const diff: Command = {
  path: ['diff'],
  summary: 'what changed between two sync runs of one connection',
  positionals: ['<runA>', '<runB>'],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const [runA = '', runB = ''] = args.positionals;
    return ctx.withHub(async (hub) => {
      const report = await hub.sync.diff(runA, runB);
      if (!report.ok) return fail(ctx.out, report.error);
      ctx.out.data(report.value);
      const s = report.value.summary;
      ctx.out.say(
        `grants +${s.grantsAdded} -${s.grantsRemoved}; accounts created ${s.accountsCreated}, deactivated ${s.accountsDeactivated}, removed ${s.accountsRemoved}`,
      );
      for (const g of report.value.grantsAdded) ctx.out.say(`  + ${g.principalId} ${g.entitlementId}`);
      for (const g of report.value.grantsRemoved) ctx.out.say(`  - ${g.principalId} ${g.entitlementId}`);
      return EXIT.ok;
    });
  },
};

class ExportStopped extends Error {}

export const exportCommand: Command = {
  path: ['export'],
  summary: 'stream the synced access model (current snapshots) as JSON Lines or CSV to standard output',
  positionals: [],
  usage: '--format jsonl|csv [--connection C]',
  flags: {
    format: { type: 'string', help: 'jsonl (every resource, entitlement and grant) or csv (one row per grant)' },
    connection: { type: 'string', help: 'only this connection (default: all)' },
  },
  async run(ctx, args) {
    const format = flagString(args, 'format');
    if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format))
      return ctx.out.usage([`--format: expected one of ${EXPORT_FORMATS.join(', ')}`]);
    const stdout = ctx.io.stdout;
    // A reader that stops early (`| head`) closes the pipe: stop exporting quietly, as Unix tools do.
    let closed = false;
    const onError = () => {
      closed = true;
    };
    stdout.on('error', onError);
    try {
      return await ctx.withHub(async (hub) => {
        try {
          const written = await hub.sync.exportSnapshot(
            flagString(args, 'connection'),
            format as ExportFormat,
            async (chunk) => {
              if (closed) throw new ExportStopped();
              if (!stdout.write(chunk))
                await new Promise<void>((resolve) =>
                  stdout.once('drain', () => resolve()).once('error', () => resolve()),
                );
            },
          );
          if (!written.ok) return fail(ctx.out, written.error);
        } catch (e) {
          if (!(e instanceof ExportStopped)) throw e;
        }
        return EXIT.ok;
      });
    } finally {
      stdout.off('error', onError);
    }
  },
};

export const runsAccept: Command = {
  path: ['accept'],
  summary: 'accept a sync run held as suspicious: it becomes the snapshot',
  positionals: ['<runId>'],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const runId = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const accepted = await hub.sync.accept(ctx.actor, runId);
      if (!accepted.ok) return fail(ctx.out, accepted.error);
      ctx.out.data(accepted.value);
      ctx.out.say(`✓ run ${runId} accepted as the snapshot`);
      return EXIT.ok;
    });
  },
};
