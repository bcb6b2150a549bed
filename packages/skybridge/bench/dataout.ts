/**
 * Data out benchmark (`npm run bench:dataout`): 5 000 findings into Jira tickets under the simulator's rate limits,
 * then the same again with the hub killed with SIGKILL at three random points and restarted, never twice.
 *
 * 1. Starts `atlassian-sim --preset small --rate-limit 5` as its own process. Why 5/s: the creator makes one JQL
 *    search and one `POST /issue/bulk` per batch of 50, so 5 000 findings take 100 of each, each in its own cloud
 *    scope (credential x endpoint x method). At the default 100/s both would fit in the first second's burst and
 *    the run would measure the database and the simulator, not pacing; at 5/s each scope needs (100 - 5) / 5 = 19 s
 *    after its burst, which dwarfs what the hub itself spends per batch, so the rate limit is the binding constraint.
 * 2. Phase 1: a fresh data directory (embedded SQLite), a jira-cloud connection and an instance (Bug, with the
 *    Severity mapping); 5 000 findings pushed in batches of 1 000; then a hub process (`dataout-worker.ts run`) runs
 *    the instance's ticket jobs to completion. Prints the wall time against the rate-limit lower bound computed from
 *    the requests the simulator served in that run, per rate-limit scope, at the rate the simulator reports
 *    (`GET /_sim/scenario`; see `rate-bound.ts`), the ratio, requests by route, 429s, and the duplicates and missing
 *    tickets found in `GET /_sim/issues`.
 * 3. Phase 2: a fresh data directory and instance, 5 000 findings again; the hub process is killed with SIGKILL at
 *    three points chosen from a seed (printed; `BENCH_SEED=<n>` repeats it), each a number of served search and
 *    create requests plus a random delay, restarted each time, then left to finish. Prints duplicates and missing.
 * 4. The same two phases on Jira Data Center (`BENCH_DEPLOYMENTS=cloud` skips it), with the DC bucket set through
 *    `POST /_sim/scenario` to 10 tokens refilled at 10/s: Data Center has one bucket per user for every endpoint,
 *    so its 200 calls need (200 - 10) / 10 = 19 s.
 *
 * Target: wall time within 1.25x the bound, no duplicate and no missing ticket, in every phase. Exits 1 otherwise.
 * The wall time is the hub's from its first claim to the last job's end (the process start, ~1 s of module loading
 * and migrations, is printed beside it). `BENCH_FINDINGS`, `BENCH_DEPLOYMENTS`, `BENCH_SKIP_KILL=1` and
 * `BENCH_CLOUD_RPS` narrow a run while working on the creator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { dedupKey } from '../src/dataout/dedup-key.ts';
import type { PushOutput, RunOutput, SetupOutput } from './dataout-worker.ts';
import { boundOf, requestsBetween, type RunBound, type SimRequests, type SimScenario } from './rate-bound.ts';
import { shebangNodeFlags } from './shebang.ts';

const simCli = fileURLToPath(new URL('../../atlassian-sim/src/cli.ts', import.meta.url));
const workerScript = fileURLToPath(new URL('./dataout-worker.ts', import.meta.url));
const FINDINGS = Number(process.env['BENCH_FINDINGS'] ?? 5_000);
const PUSH_BATCH = 1_000;
/** `BENCH_CLOUD_RPS` changes it, to see what the hub spends with the limit out of the way (e.g. 1000). */
const CLOUD_RPS = Number(process.env['BENCH_CLOUD_RPS'] ?? 5);
const DC_BUCKET = { dcMax: 10, dcFillRate: 10 };
const KILLS = 3;
const TARGET_RATIO = 1.25;
const SEED = Number(process.env['BENCH_SEED'] ?? randomInt(2 ** 31));
const DEPLOYMENTS = (process.env['BENCH_DEPLOYMENTS'] ?? 'cloud,dc').split(',');

/** The V8 flags the simulator's bin runs with (its shebang line), so it runs as users run it. */
const SIM_NODE_FLAGS = shebangNodeFlags(simCli);

const say = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** mulberry32: seeded randomness, so a seed gives the same kill points on every machine. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const children = new Set<ChildProcess>();

function startSimulator(): Promise<{ child: ChildProcess; line: string }> {
  const args = [...SIM_NODE_FLAGS, simCli, '--preset', 'small', '--port', '0', '--rate-limit', String(CLOUD_RPS)];
  const child = spawn(process.execPath, [...args, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, line }));
    child.once('exit', (code) => reject(new Error(`atlassian-sim exited with ${code}`)));
  });
}

interface WorkerRun<T> {
  child: ChildProcess;
  /** The worker's first line (`run` prints `{ event: 'running' }` once the hub is open). */
  started: Promise<void>;
  exited: Promise<{ result: T | undefined; signal: NodeJS.Signals | null; code: number | null; wallMs: number }>;
}

function worker<T>(env: NodeJS.ProcessEnv, simLine: string, args: string[]): WorkerRun<T> {
  const begun = performance.now();
  const child = spawn(process.execPath, [workerScript, args[0] ?? '', simLine, ...args.slice(1)], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const lines: string[] = [];
  let onFirst: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (onFirst = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    onFirst();
  });
  const exited = new Promise<{
    result: T | undefined;
    signal: NodeJS.Signals | null;
    code: number | null;
    wallMs: number;
  }>((resolve) =>
    child.once('close', (code, signal) => {
      children.delete(child);
      const last = lines.at(-1);
      resolve({ result: last ? (JSON.parse(last) as T) : undefined, signal, code, wallMs: performance.now() - begun });
    }),
  );
  return { child, started, exited };
}

async function finished<T>(run: WorkerRun<T>, what: string): Promise<{ result: T; wallMs: number }> {
  const exit = await run.exited;
  if (exit.code !== 0 || exit.result === undefined)
    throw new Error(`${what}: the hub process exited with ${exit.code}`);
  return { result: exit.result, wallMs: exit.wallMs };
}

interface SimIssue {
  key: string;
  labels: string[];
}

/** Issues per expected dedup label: duplicates are extra issues on one label, missing are labels with none. */
function countTickets(issues: SimIssue[], instanceId: string, findingIds: readonly string[]) {
  const perLabel = new Map<string, number>();
  for (const issue of issues)
    for (const label of issue.labels)
      if (label.startsWith('skybridge-')) perLabel.set(label, (perLabel.get(label) ?? 0) + 1);
  let duplicates = 0;
  let missing = 0;
  let issuesOfInstance = 0;
  for (const id of findingIds) {
    const n = perLabel.get(dedupKey(instanceId, 'default', id)) ?? 0;
    issuesOfInstance += n;
    if (n === 0) missing++;
    else duplicates += n - 1;
  }
  return { duplicates, missing, issues: issuesOfInstance };
}

function findingsFor(prefix: string) {
  return Array.from({ length: FINDINGS }, (_, i) => ({
    id: `${prefix}-${i}`,
    title: `Outdated TLS on host-${i}`,
    severity: ['critical', 'high', 'medium', 'low'][i % 4],
    status: 'open',
    description: `TLS 1.0 is still enabled on host-${i}; disable it and restart the service.`,
    resource: `host-${i}.acme.example`,
    url: `https://scanner.acme.example/findings/${prefix}-${i}`,
    properties: { team: i % 3 === 0 ? 'platform' : 'web' },
  }));
}

interface PhaseResult {
  name: string;
  duplicates: number;
  missing: number;
  notCreated: number;
  ratio?: number;
}

const sim = await startSimulator();
const simLine = sim.line;
const info = JSON.parse(simLine) as { url: string; control: string };
const control = async <T>(path: string, body?: unknown): Promise<T> =>
  (await (
    await fetch(
      `${info.control}/${path}`,
      body === undefined
        ? {}
        : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    )
  ).json()) as T;
await control('scenario', { rateLimit: DC_BUCKET });
const scenario = await control<SimScenario>('scenario');
const tmp = await mkdtemp(join(tmpdir(), 'skybridge-bench-dataout-'));
const baseEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('SKYBRIDGE_') && k !== 'DATABASE_URL'),
  ),
  NODE_COMPILE_CACHE: join(tmp, 'compile-cache'),
};

/** A data directory with the connection, the instance and the pushed findings: ready to run. */
async function prepare(deployment: string, name: string) {
  const env = { ...baseEnv, SKYBRIDGE_DATA_DIR: await mkdtemp(join(tmp, `${name}-`)) };
  const { result: setup } = await finished(worker<SetupOutput>(env, simLine, ['setup', deployment, name]), 'setup');
  const findings = findingsFor(name);
  const file = join(tmp, `${name}.json`);
  await writeFile(file, JSON.stringify(findings));
  const { result: pushed } = await finished(
    worker<PushOutput>(env, simLine, ['push', name, file, String(PUSH_BATCH)]),
    'push',
  );
  const ids = findings.map((f) => f.id);
  const tally = async () => {
    const body = await control<{ issues: SimIssue[] }>(`issues?site=${setup.site}&project=${setup.project}`);
    return countTickets(body.issues, setup.instanceId, ids);
  };
  return { env, setup, pushed, tally };
}

function describeBound(b: RunBound): string {
  return b.rate
    ? `${b.rate.requests} req in ${b.rate.scope} at ${b.rate.perSecond}/s after a burst of ${b.rate.capacity}`
    : 'no rate-limited scope';
}

function printRequests(sent: SimRequests): void {
  for (const [route, statuses] of Object.entries(sent.byRoute).sort())
    say(
      `    ${route.padEnd(60)} ${Object.entries(statuses)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}`,
    );
}

async function straightRun(deployment: string): Promise<PhaseResult> {
  const name = `${deployment}-straight`;
  const p = await prepare(deployment, name);
  say(`[${name}] ${p.pushed.accepted} findings pushed in batches of ${PUSH_BATCH} in ${fmt(p.pushed.ms / 1000, 2)} s`);
  const before = await control<SimRequests>('requests');
  const { result, wallMs } = await finished(worker<RunOutput>(p.env, simLine, ['run', name]), 'run');
  const sent = requestsBetween(before, await control<SimRequests>('requests'));
  const bound = boundOf(sent, scenario);
  const seconds = result.ms / 1000;
  const ratio = seconds / Math.max(bound.seconds, 0.001);
  const tally = await p.tally();
  say(
    `[${name}] ${fmt(seconds)} s (${fmt(wallMs / 1000)} s with the process start) against a rate-limit bound of ` +
      `${fmt(bound.seconds)} s (${describeBound(bound)}): ${fmt(ratio, 2)}x (target <= ${TARGET_RATIO}x)`,
  );
  say(`  requests: ${bound.requests} served, ${bound.rateLimited} answered 429; by route and status:`);
  printRequests(sent);
  say(
    `  tickets: ${JSON.stringify(result.tickets)}; issues: ${tally.issues}, duplicates: ${tally.duplicates}, missing: ${tally.missing}`,
  );
  return { name, ratio, ...tally, notCreated: FINDINGS - (result.tickets['created'] ?? 0) };
}

/** Served search and create calls so far: what the kill points count. */
async function servedWrites(): Promise<number> {
  const requests = await control<SimRequests>('requests');
  let n = 0;
  for (const [route, statuses] of Object.entries(requests.byRoute))
    if (/\/(search\/jql|search|issue\/bulk)$/.test(route))
      for (const [status, count] of Object.entries(statuses)) if (status !== '429') n += count;
  return n;
}

async function killedRun(deployment: string, seed: number): Promise<PhaseResult> {
  const name = `${deployment}-killed`;
  const p = await prepare(deployment, name);
  const random = seededRandom(seed);
  // Two calls per batch of 50; points between 5% and 90% of them, each followed by 0-300 ms so the kill lands
  // anywhere in a batch: during a search, between the committed call time and the create, while a create waits
  // for its rate-limit slot, or while the created keys are being written.
  const calls = Math.ceil(FINDINGS / 50) * 2;
  const points = Array.from({ length: KILLS }, () => ({
    calls: Math.round(calls * (0.05 + 0.85 * random())),
    waitMs: Math.round(300 * random()),
  })).sort((a, b) => a.calls - b.calls);
  say(
    `[${name}] seed ${seed} (BENCH_SEED=${SEED} repeats the run): kills after ${points.map((k) => `${k.calls} calls + ${k.waitMs} ms`).join(', ')}`,
  );
  const base = await servedWrites();
  for (const point of points) {
    const run = worker<RunOutput>(p.env, simLine, ['run', name]);
    let ended = false;
    void run.exited.then(() => (ended = true));
    await run.started;
    // Only paces the polling: when to kill is decided by the simulator's count of served calls.
    while (!ended && (await servedWrites()) - base < point.calls) await delay(5);
    if (!ended) await delay(point.waitMs);
    if (!ended) run.child.kill('SIGKILL');
    const exit = await run.exited;
    const served = (await servedWrites()) - base;
    say(`  ${exit.signal === 'SIGKILL' ? 'killed' : `ended on its own (${exit.code})`} after ${served} calls`);
  }
  const { result, wallMs } = await finished(worker<RunOutput>(p.env, simLine, ['run', name]), 'final run');
  const tally = await p.tally();
  say(
    `  restarted and finished in ${fmt(wallMs / 1000)} s; tickets: ${JSON.stringify(result.tickets)}; issues: ${tally.issues}, ` +
      `duplicates: ${tally.duplicates} (must be 0), missing: ${tally.missing} (must be 0)`,
  );
  return { name, ...tally, notCreated: FINDINGS - (result.tickets['created'] ?? 0) };
}

say(
  `bench:dataout: ${FINDINGS} findings per phase; simulator limits: cloud ${scenario.rateLimits.cloudRps}/s per endpoint ` +
    `and method, Data Center a bucket of ${scenario.rateLimits.dcMax} refilled at ${scenario.rateLimits.dcFillRate}/` +
    `${scenario.rateLimits.dcIntervalSeconds} s; seed ${SEED}`,
);
const results: PhaseResult[] = [];
try {
  for (const [i, deployment] of DEPLOYMENTS.entries()) {
    say();
    results.push(await straightRun(deployment));
    if (process.env['BENCH_SKIP_KILL'] !== '1') results.push(await killedRun(deployment, SEED + i));
  }
} finally {
  for (const child of children) child.kill('SIGKILL');
  sim.child.kill('SIGTERM');
  await rm(tmp, { recursive: true, force: true });
}

say();
let pass = true;
for (const r of results) {
  const ok =
    r.duplicates === 0 && r.missing === 0 && r.notCreated === 0 && (r.ratio === undefined || r.ratio <= TARGET_RATIO);
  pass &&= ok;
  say(
    `${r.name.padEnd(16)} ${r.ratio === undefined ? '' : `ratio ${fmt(r.ratio, 2)}x  `}duplicates ${r.duplicates}  ` +
      `missing ${r.missing}  not created ${r.notCreated}  ${ok ? 'PASS' : 'FAIL'}`,
  );
}
process.exit(pass ? 0 : 1);
