import type { VerifyReport } from '../atlassian/verify-target.ts';
import type { ConnectionView } from '../connections/connections-service.ts';
import { renderTable } from './table.ts';

/** Formatting shared by the commands' human output. Never given a secret: views hold masked hints only. */

/** `2026-11-22 20:09Z`: minutes are enough for a person, and UTC avoids guessing the server's zone. */
export function formatTime(at: Date | undefined): string {
  if (!at) return '-';
  return `${at.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

/** `2027-01-31 (in 12 days)`, `2026-10-01 (expired 3 days ago)`, or `-`. */
export function formatExpiry(view: Pick<ConnectionView, 'tokenExpiresAt' | 'tokenExpiresInDays'>): string {
  if (!view.tokenExpiresAt) return '-';
  const date = view.tokenExpiresAt.toISOString().slice(0, 10);
  const days = view.tokenExpiresInDays;
  if (days === undefined) return date;
  if (days < 0) return `${date} (expired ${-days} day${days === -1 ? '' : 's'} ago)`;
  if (days === 0) return `${date} (today)`;
  return `${date} (in ${days} day${days === 1 ? '' : 's'})`;
}

const DEPLOYMENT_NAMES: Record<string, string> = { Cloud: 'Cloud', Server: 'Server', DataCenter: 'Data Center' };

/** `Jira Cloud 1001.0.0`, `Confluence Data Center 8.5.4`, `Atlassian Admin`. */
export function productTitle(report: VerifyReport): string {
  const p = report.product;
  const deployment = p.deploymentType ? (DEPLOYMENT_NAMES[p.deploymentType] ?? p.deploymentType) : undefined;
  return [p.name, deployment, p.version].filter((x) => x !== undefined && x !== '').join(' ');
}

const SAMPLE_NOUNS = { project: 'project', space: 'space', user: 'user' } as const;

/** Verify samples stop at 10 items, so 10 means "at least 10". */
const SAMPLE_CAP = 10;

/** `6 projects visible: ABC, DEF, …`. */
export function sampleSummary(report: VerifyReport): string {
  const { type, items } = report.sample;
  const n = items.length;
  const noun = `${SAMPLE_NOUNS[type]}${n === 1 ? '' : 's'}`;
  if (n === 0) return `no ${SAMPLE_NOUNS[type]}s visible`;
  const names = items.map((i) => i.key ?? i.name).join(', ');
  return `${n >= SAMPLE_CAP ? `at least ${n}` : n} ${noun} visible: ${names}`;
}

/** `Connected to Jira Cloud 1001.0.0 as Mia Krystof; 6 projects visible: ABC, …`. */
export function connectedLine(report: VerifyReport): string {
  const who = report.account
    ? ` as ${report.account.displayName}`
    : report.org
      ? ` for organization ${report.org.name}`
      : '';
  return `Connected to ${productTitle(report)}${who}; ${sampleSummary(report)}`;
}

/** The sample with permissions (verify), the Teams check and the warnings, as indented lines. */
export function reportDetails(report: VerifyReport): string[] {
  const lines: string[] = [];
  const { type, items } = report.sample;
  if (items.length > 0) {
    lines.push(`${type === 'project' ? 'Projects' : type === 'space' ? 'Spaces' : 'Users'} (sample):`);
    const table = renderTable(
      ['KEY', 'NAME', 'PERMISSIONS'],
      items.map((item) => [
        item.key ?? '-',
        item.name,
        (item.key ? report.permissions?.[item.key] : undefined)?.join(', ') ?? '',
      ]),
    );
    for (const line of table.split('\n')) lines.push(`  ${line}`);
  }
  if (report.org?.users !== undefined) lines.push(`Organization users: ${report.org.users}`);
  if (report.teams)
    lines.push(
      report.teams.ok
        ? `Teams API: answered (${report.teams.sampled} teams sampled)`
        : `Teams API: failed: ${report.teams.error}`,
    );
  for (const w of report.warnings) lines.push(`! ${w}`);
  return lines;
}
