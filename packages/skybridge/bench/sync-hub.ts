/**
 * The hub side of `bench/sync.ts`, run as its own process so that its peak RSS is the hub's alone (not the
 * simulator's, not the bench driver's). Reads the simulator's `--json` line from argv, starts a hub on an embedded
 * SQLite database in a temp dir, adds one connection of each kind, syncs each twice, and prints one JSON line per
 * sync on stdout: wall time, the hub's request count, records, the simulator's request counts for that sync, and
 * the process's peak RSS so far.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enableCompileCache } from '../src/cli/compile-cache.ts';
import { loadConfig } from '../src/config.ts';
import type { NewConnectionInput } from '../src/connections/connections-service.ts';
import { createHub } from '../src/hub.ts';
import type { SimRequests, SimScenario } from './rate-bound.ts';
import { requestsBetween } from './rate-bound.ts';
import type { SimulatorDescription } from '../../atlassian-sim/src/simulator.ts';

/** One line of this process's output. */
export interface SyncSample {
  kind: string;
  pass: 1 | 2;
  status: string;
  wallMs: number;
  /** Requests the hub counted for the run (attempts, retries included). */
  requests: number;
  records: number;
  /** What the simulator served during the sync. */
  sent: SimRequests;
  scenario: SimScenario;
  peakRssMb: number;
  /** V8 heap in use and memory held outside it (SQLite, buffers) when the sync ended. */
  heapUsedMb: number;
  externalMb: number;
}

// As the `skybridge` command does (cli/main.ts): the sync page writer's thread, started inside the timed sync, then
// loads its modules through the compile cache as it does for a user.
enableCompileCache();
const info = JSON.parse(process.argv[2] ?? '') as SimulatorDescription;
const control = async <T>(path: string): Promise<T> => (await (await fetch(`${info.control}/${path}`)).json()) as T;
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

const dataDir = await mkdtemp(join(tmpdir(), 'skybridge-bench-sync-'));
const loaded = loadConfig({
  SKYBRIDGE_DATA_DIR: dataDir,
  SKYBRIDGE_ALLOWED_HOSTS: new URL(info.url).host,
  SKYBRIDGE_LOG_LEVEL: process.env['SKYBRIDGE_LOG_LEVEL'] ?? 'warn',
});
if (!loaded.ok) throw new Error(loaded.problems.join('; '));
const created = await createHub(loaded.config);
if (!created.ok) throw new Error(created.error.join('; '));
const hub = created.value;

const org = info.orgs[0];
const site = (deployment: string, product: string) =>
  info.sites.find((s) => s.deployment === deployment && s.product === product);
const jira = site('cloud', 'jira');
const wiki = site('cloud', 'confluence');
const jiraDc = site('dc', 'jira');
const wikiDc = site('dc', 'confluence');
if (!org || !jira || !wiki || !jiraDc || !wikiDc) throw new Error('the simulator did not describe the expected sites');
const pat = (s: SimulatorDescription['sites'][number]) => ('pat' in s.credentials ? s.credentials.pat : '');
const inputs: NewConnectionInput[] = [
  {
    kind: 'atlassian-org',
    name: 'org',
    url: org.adminBaseUrl,
    orgId: org.id,
    secret: org.apiKey,
    teamsUrl: org.teamsBaseUrl,
  },
  { kind: 'jira-cloud', name: 'jira-cloud', url: jira.baseUrl, email: org.email, secret: org.apiToken },
  { kind: 'confluence-cloud', name: 'confluence-cloud', url: wiki.baseUrl, email: org.email, secret: org.apiToken },
  { kind: 'jira-dc', name: 'jira-dc', url: jiraDc.baseUrl, secret: pat(jiraDc) },
  { kind: 'confluence-dc', name: 'confluence-dc', url: wikiDc.baseUrl, secret: pat(wikiDc) },
];
const only = process.env['BENCH_KINDS']?.split(',');
const selected = inputs.filter((i) => !only || only.includes(i.kind));
for (const input of selected) {
  const added = await hub.connections.add('bench', input);
  if (!added.ok) throw new Error(`${input.kind}: ${added.error.message}`);
}

const scenario = await control<SimScenario>('scenario');
/** Seconds until a drained bucket of the kind's family is full again: every sync starts with its burst. */
const refillSeconds = (kind: string): number => {
  const l = scenario.rateLimits;
  if (kind === 'jira-dc' || kind === 'confluence-dc') return l.dcMax / (l.dcFillRate / l.dcIntervalSeconds);
  return 1;
};

const passes = process.env['BENCH_PASSES'] === '1' ? ([1] as const) : ([1, 2] as const);
for (const pass of passes) {
  for (const input of selected) {
    await new Promise((resolve) => setTimeout(resolve, refillSeconds(input.kind) * 1000 + 100));
    const before = await control<SimRequests>('requests');
    const started = performance.now();
    const run = await hub.sync.run('bench', input.name);
    const wallMs = performance.now() - started;
    const after = await control<SimRequests>('requests');
    if (!run.ok) throw new Error(`${input.kind}: ${run.error.message}`);
    const records = Object.entries(run.value.counts)
      .filter(([k]) => k !== 'effectiveGrants')
      .reduce((sum, [, n]) => sum + n, 0);
    const sample: SyncSample = {
      kind: input.kind,
      pass,
      status: run.value.status,
      wallMs,
      requests: run.value.requests,
      records,
      sent: requestsBetween(before, after),
      scenario,
      peakRssMb: peakRssMb(),
      heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
      externalMb: process.memoryUsage().external / 2 ** 20,
    };
    process.stdout.write(`${JSON.stringify(sample)}\n`);
  }
}

await hub.close();
await rm(dataDir, { recursive: true, force: true });
