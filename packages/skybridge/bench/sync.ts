/**
 * Sync benchmark (`npm run bench:sync`).
 *
 * 1. Starts `atlassian-sim --preset large --latency-ms 50` as its own process, with its default rate limits
 *    (Atlassian's burst limits: cloud 100/s per endpoint and method, Admin 50/s per path, Data Center a bucket of
 *    100 refilled at 20/s per user).
 * 2. Starts the hub in a second process (`sync-hub.ts`: embedded SQLite in a temp dir), so the peak RSS it reports
 *    is the hub's own, adds a connection of each kind and syncs each, one after another, then each again with
 *    nothing changed.
 * 3. Prints, per kind and in total: requests, records, wall time, the lower bound measured from what the simulator
 *    served in the same sync (see `rate-bound.ts`), the ratio, which bound is binding, and the peak RSS; then the
 *    second syncs' requests against the first's.
 *
 * Targets: wall time within 1.2x the bound, in total and for each kind; peak RSS of the hub under 300 MB. Exits 1
 * when any is missed.
 * `BENCH_PRESET` (default large), `BENCH_KINDS` (comma-separated) and `BENCH_PASSES=1` (no second syncs) narrow a
 * run while working on one reader.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { boundOf, type RunBound } from './rate-bound.ts';
import { shebangEnv, shebangNodeFlags } from './shebang.ts';
import type { SyncSample } from './sync-hub.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const simCli = fileURLToPath(new URL('../../atlassian-sim/src/cli.ts', import.meta.url));
const hubCli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const PRESET = process.env['BENCH_PRESET'] ?? 'large';
const LATENCY_MS = 50;
const TARGET_RATIO = 1.2;
const RSS_BUDGET_MB = 300;
/** The simulator and the hub run with their bins' shebang flags (and the hub's environment), as users run them. */
const SIM_NODE_FLAGS = shebangNodeFlags(simCli);
const HUB_NODE_FLAGS = shebangNodeFlags(hubCli);
const HUB_ENV = shebangEnv(hubCli);

function startSimulator(): Promise<{ child: ChildProcess; line: string }> {
  const args = [...SIM_NODE_FLAGS, simCli, '--preset', PRESET, '--latency-ms', String(LATENCY_MS), '--port', '0'];
  const child = spawn(process.execPath, [...args, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, line }));
    child.once('exit', (code) => reject(new Error(`atlassian-sim exited with ${code}`)));
  });
}

function runHub(simLine: string, onSample: (s: SyncSample) => void): Promise<void> {
  const child = spawn(process.execPath, [...HUB_NODE_FLAGS, `${here}sync-hub.ts`, simLine], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...HUB_ENV },
  });
  createInterface({ input: child.stdout }).on('line', (line) => onSample(JSON.parse(line) as SyncSample));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the hub process exited with ${code}`))));
  });
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const say = (line = '') => process.stdout.write(`${line}\n`);

function describeBound(b: RunBound): string {
  const rate = b.rate
    ? `rate ${fmt(b.rate.seconds)} s (${b.rate.requests} req in ${b.rate.scope} at ${b.rate.perSecond}/s after a burst of ${b.rate.capacity})`
    : 'rate 0 s';
  const chain = b.chain
    ? `latency ${fmt(b.chain.seconds)} s (${b.chain.pages} pages of ${b.chain.chain})`
    : 'latency 0 s';
  return `${b.binding === 'rate' ? `${rate}; ${chain}` : `${chain}; ${rate}`}; binding: ${b.binding}`;
}

/** Wall time against the bound (a bound of 0 would divide by zero: it counts as 1 ms). */
const ratioOf = (wallSeconds: number, boundSeconds: number): number => wallSeconds / Math.max(boundSeconds, 0.001);

const sim = await startSimulator();
const samples: SyncSample[] = [];
say(`bench:sync: preset ${PRESET}, ${LATENCY_MS} ms latency, the simulator's default (Atlassian burst) limits`);
say();
try {
  await runHub(sim.line, (s) => {
    samples.push(s);
    const b = boundOf(s.sent, s.scenario);
    say(
      `${s.pass === 1 ? 'first ' : 'second'} ${s.kind.padEnd(17)} ${s.status.padEnd(10)} ${String(b.requests).padStart(6)} req ` +
        `${String(s.records).padStart(7)} records  ${fmt(s.wallMs / 1000).padStart(6)} s  bound ${fmt(b.seconds).padStart(6)} s  ` +
        `ratio ${fmt(ratioOf(s.wallMs / 1000, b.seconds), 2)}  429s ${b.rateLimited}  peak RSS ${Math.round(s.peakRssMb)} MB (heap ${Math.round(s.heapUsedMb)} MB, external ${Math.round(s.externalMb)} MB)`,
    );
    say(`       ${describeBound(b)}`);
  });
} finally {
  sim.child.kill('SIGTERM');
}

const first = samples.filter((s) => s.pass === 1);
const second = samples.filter((s) => s.pass === 2);
const wall = first.reduce((sum, s) => sum + s.wallMs / 1000, 0);
const bound = first.reduce((sum, s) => sum + boundOf(s.sent, s.scenario).seconds, 0);
const ratio = ratioOf(wall, bound);
const peak = Math.max(...samples.map((s) => s.peakRssMb));
say();
say('second sync with nothing changed, requests against the first:');
for (const s of second) {
  const before = first.find((f) => f.kind === s.kind);
  const a = before ? boundOf(before.sent, before.scenario).requests : 0;
  const b = boundOf(s.sent, s.scenario).requests;
  say(
    `  ${s.kind.padEnd(17)} ${String(b).padStart(6)} vs ${String(a).padStart(6)} (${fmt((100 * b) / Math.max(a, 1))}%)`,
  );
}
say();
// Each kind must be within the target on its own: a total can hide one slow kind behind fast ones.
const kindsOver = first
  .map((s) => ({ kind: s.kind, ratio: ratioOf(s.wallMs / 1000, boundOf(s.sent, s.scenario).seconds) }))
  .filter((k) => k.ratio > TARGET_RATIO);
say(
  `kinds within ${TARGET_RATIO}x: ${first.length - kindsOver.length} of ${first.length}` +
    (kindsOver.length > 0 ? ` (over: ${kindsOver.map((k) => `${k.kind} ${fmt(k.ratio, 2)}x`).join(', ')})` : ''),
);
const pass = ratio <= TARGET_RATIO && kindsOver.length === 0 && peak < RSS_BUDGET_MB;
say(
  `total (first syncs, one after another): ${first.reduce((n, s) => n + boundOf(s.sent, s.scenario).requests, 0)} requests, ` +
    `${first.reduce((n, s) => n + s.records, 0)} records, ${fmt(wall)} s against a bound of ${fmt(bound)} s measured in this run: ` +
    `${fmt(ratio, 2)}x (target <= ${TARGET_RATIO}x); hub peak RSS ${Math.round(peak)} MB (budget < ${RSS_BUDGET_MB} MB): ${pass ? 'PASS' : 'FAIL'}`,
);
process.exit(pass ? 0 : 1);
