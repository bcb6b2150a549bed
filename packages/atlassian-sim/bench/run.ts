/**
 * Simulator benchmark (`npm run bench -w atlassian-sim`).
 *
 * 1. Starts `atlassian-sim --preset large` as its own process and reads its peak RSS once the world is loaded.
 * 2. From this (second) process, drives `GET /rest/api/3/users/search?maxResults=100` with latency and rate limits
 *    off, and compares the rate with a bare node:http server serving the same bytes, measured in the same run.
 *
 * Targets (issue: foundation): >= 5,000 requests/s and < 500 MB RSS with the large preset loaded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runLoad } from './load.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 5_000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const TARGET_RPS = 5_000;
/** The V8 flags the `atlassian-sim` bin runs with (its shebang line), so the benchmark measures what users run. */
const SIM_NODE_FLAGS =
  readFileSync(`${here}../src/cli.ts`, 'utf8')
    .split('\n')[0]
    ?.split(' ')
    .filter((w) => w.startsWith('--')) ?? [];
const RSS_BUDGET_MB = 500;

function start(args: string[]): Promise<{ child: ChildProcess; first: Record<string, unknown> }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve({ child, first: JSON.parse(line) as Record<string, unknown> }));
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

/** CPU time (user + system) a process has used, from /proc, in ms. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(field)) ?? '')?.[1] ?? 0);
  return { rss: kb('VmRSS:') / 1024, peak: kb('VmHWM:') / 1024 };
}

const t0 = performance.now();
const sim = await start([
  ...SIM_NODE_FLAGS,
  `${here}../src/cli.ts`,
  '--preset',
  'large',
  '--port',
  '0',
  '--json',
  '--rate-limit',
  'off',
]);
const loadSeconds = (performance.now() - t0) / 1000;
const info = sim.first as {
  url: string;
  orgs: Array<{ email: string; apiToken: string }>;
  sites: Array<{ name: string; baseUrl: string }>;
};
const org = info.orgs[0]!;
const site = info.sites.find((s) => s.name === 'acme-jira')!;
const headers = { authorization: `Basic ${Buffer.from(`${org.email}:${org.apiToken}`).toString('base64')}` };
const simUrl = (i: number) => `${site.baseUrl}/rest/api/3/users/search?maxResults=100&startAt=${(i * 100) % 49_900}`;
const memoryAfterLoad = rssMb(sim.child.pid!);

// Warm up (JIT, caches), then measure.
await runLoad({ url: simUrl, headers, concurrency: CONCURRENCY, durationMs: 1_000 });
const cpuBefore = { client: process.cpuUsage(), sim: processCpuMs(sim.child.pid!) };
const simResult = await runLoad({ url: simUrl, headers, concurrency: CONCURRENCY, durationMs: DURATION_MS });
const clientCpu = process.cpuUsage(cpuBefore.client);
const simCpuMs = processCpuMs(sim.child.pid!) - cpuBefore.sim;
const memoryAfterRun = rssMb(sim.child.pid!);

const sample = await (await fetch(simUrl(0), { headers })).text();
const baseline = await start([`${here}baseline-server.ts`, sample]);
const baseUrl = (baseline.first as { url: string }).url;
await runLoad({ url: () => `${baseUrl}/`, concurrency: CONCURRENCY, durationMs: 1_000 });
const baseResult = await runLoad({ url: () => `${baseUrl}/`, concurrency: CONCURRENCY, durationMs: DURATION_MS });
sim.child.kill('SIGTERM');
baseline.child.kill('SIGTERM');

const peakMb = Math.max(memoryAfterLoad.peak, memoryAfterRun.peak);
const report = {
  preset: 'large',
  loadSeconds: Number(loadSeconds.toFixed(2)),
  responseBytes: sample.length,
  cpuShare: {
    client: Number(((clientCpu.user + clientCpu.system) / 1000 / (simResult.seconds * 1000)).toFixed(2)),
    simulator: Number((simCpuMs / (simResult.seconds * 1000)).toFixed(2)),
  },
  simulator: {
    rps: Math.round(simResult.rps),
    errors: simResult.errors,
    p50ms: Number(simResult.p50ms.toFixed(2)),
    p99ms: Number(simResult.p99ms.toFixed(2)),
  },
  baseline: { rps: Math.round(baseResult.rps), errors: baseResult.errors },
  ratioToBaseline: Number((simResult.rps / baseResult.rps).toFixed(3)),
  ratioToTarget: Number((simResult.rps / TARGET_RPS).toFixed(3)),
  peakRssMb: Math.round(peakMb),
  rssRatioToBudget: Number((peakMb / RSS_BUDGET_MB).toFixed(3)),
};
console.log(JSON.stringify(report, null, 2));
const pass = simResult.rps >= TARGET_RPS && peakMb < RSS_BUDGET_MB && simResult.errors === 0;
console.log(
  `users/search?maxResults=100: ${report.simulator.rps} req/s = ${report.ratioToBaseline}x the bare-server bound (${report.baseline.rps} req/s, same bytes, same run), ${report.ratioToTarget}x the ${TARGET_RPS} req/s target; peak RSS ${report.peakRssMb} MB = ${report.rssRatioToBudget}x the ${RSS_BUDGET_MB} MB budget: ${pass ? 'PASS' : 'FAIL'}`,
);
process.exit(pass ? 0 : 1);
