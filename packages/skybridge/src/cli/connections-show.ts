import type { ConnectionView } from '../connections/connections-service.ts';
import type { AuditDetails } from '../domain/connection.ts';
import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { formatExpiry, formatTime } from './format.ts';
import { reportServiceError } from './output.ts';
import { renderTable } from './table.ts';

/** `key  value` lines for the fields that are set. */
export function connectionFacts(c: ConnectionView): string[] {
  const facts: Array<[string, string | undefined]> = [
    ['id', c.id],
    ['kind', c.kind],
    ['status', `${c.status}${c.consecutiveFailures > 0 ? ` (${c.consecutiveFailures} consecutive failures)` : ''}`],
    ['url', c.url],
    ['email', c.email],
    ['org id', c.orgId],
    ['site id', c.siteId],
    ['teams url', c.teamsUrl],
    ['teams email', c.teamsEmail],
    ['teams token', c.kind === 'atlassian-org' ? (c.hasTeamsSecret ? 'stored' : 'none') : undefined],
    ['auth', c.authMode === 'gateway' ? `gateway (${c.gatewayUrl ?? 'https://api.atlassian.com'})` : 'direct'],
    ['ca certificate', c.caCert ? 'custom bundle' : undefined],
    ['token', c.secretHint],
    ['expires', formatExpiry(c)],
    ['last checked', formatTime(c.lastCheckedAt)],
    ['last error', c.lastError ? `${c.lastError.code}: ${c.lastError.message}` : undefined],
    ['created', formatTime(c.createdAt)],
    ['updated', `${formatTime(c.updatedAt)} (version ${c.version})`],
  ];
  return facts.filter((f): f is [string, string] => f[1] !== undefined).map(([k, v]) => `  ${k.padEnd(15)}${v}`);
}

function formatDetails(details: AuditDetails): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

export const connectionsShow: Command = {
  path: ['connections', 'show'],
  summary: 'show one connection: details, status history and audit log',
  positionals: ['<name|id>'],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const result = await hub.connections.get(idOrName);
      if (!result.ok) return reportServiceError(ctx.out, result.error);
      const { connection, statusHistory, audit } = result.value;
      ctx.out.data(result.value);
      ctx.out.say(`${connection.name}`);
      for (const line of connectionFacts(connection)) ctx.out.say(line);
      ctx.out.say();
      ctx.out.say('Status history');
      ctx.out.say(
        statusHistory.length === 0
          ? '  (none)'
          : renderTable(
              ['  AT', 'FROM', 'TO', 'REASON', 'MESSAGE'],
              statusHistory.map((e) => [
                `  ${formatTime(e.at)}`,
                e.fromStatus ?? '-',
                e.toStatus,
                e.reasonCode,
                e.message ?? '',
              ]),
            ),
      );
      ctx.out.say();
      ctx.out.say('Audit');
      ctx.out.say(
        audit.length === 0
          ? '  (none)'
          : renderTable(
              ['  AT', 'ACTOR', 'ACTION', 'DETAILS'],
              audit.map((e) => [`  ${formatTime(e.at)}`, e.actor, e.action, formatDetails(e.details)]),
            ),
      );
      return EXIT.ok;
    });
  },
};
