/**
 * Ticket creation survives `kill -9`, never twice: the simulator and the hub run as their own processes. 300
 * findings are pushed; the hub process running the instance's ticket jobs (`bench/dataout-worker.ts run`) is
 * killed with SIGKILL at three random points during the batches and started again each time, then left to
 * finish. Jira must then hold exactly one issue per finding, and every ticket must be `created`.
 *
 * The simulator answers after 100 ms, so the 12 calls of six batches of 50 stretch over a few seconds and a kill
 * lands inside a batch: during a search, between the committed call time and the create, while the create is in
 * flight, or while the created keys are written. Its rate limit (20/s, edits 10/s) is there to be honoured, and is
 * high enough that the edits bringing adopted tickets in step (up to 50 per kill) take seconds, not half a minute. The kill points come from a
 * seed printed at the start; `SKYBRIDGE_KILL_SEED=<n>` repeats a failing run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_PG_URL, testDialects } from '../db/test-dialects.ts';
import { dedupKey } from './dedup-key.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SIM_CLI = join(ROOT, 'packages/atlassian-sim/src/cli.ts');
const WORKER = join(ROOT, 'packages/skybridge/bench/dataout-worker.ts');
const FINDINGS = 300;
const KILLS = 3;

/** The pinned node (root devDependency): the one running this test when its major matches, else the installed one. */
const PINNED_MAJOR = String(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
    .devDependencies['node'],
).split('.')[0];
const NODE =
  process.versions.node.split('.')[0] === PINNED_MAJOR ? process.execPath : join(ROOT, 'node_modules/.bin/node');

const SEED = Number(process.env['SKYBRIDGE_KILL_SEED'] ?? randomInt(2 ** 31));
if (!Number.isInteger(SEED)) throw new Error('SKYBRIDGE_KILL_SEED must be an integer');

/** mulberry32: a few lines of seeded randomness, so a seed gives the same kill points everywhere. */
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

const tmp = await mkdtemp(join(tmpdir(), 'skybridge-dataout-kill-'));
/** The outer environment without anything pointing a child at another database, plus a shared compile cache. */
const BASE_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('SKYBRIDGE_') && k !== 'DATABASE_URL'),
  ),
  NODE_COMPILE_CACHE: join(tmp, 'compile-cache'),
};

/** Every process started, so none outlives the test when it fails half-way. */
const running = new Set<ChildProcess>();
const schemas: string[] = [];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

/** Starts a process; `firstLine` settles with its first stdout line, `exited` once it ended and its pipes drained. */
function start(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(NODE, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const firstLine = new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      resolve(line);
    }),
  );
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, lines, stderr });
    });
  });
  return { child, firstLine, exited };
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await rm(tmp, { recursive: true, force: true });
  for (const schema of schemas) await adminQuery(`drop schema if exists ${schema} cascade`);
});

describe.concurrent('ticket creation killed with SIGKILL mid-batch, then run again', () => {
  for (const [index, dialect] of testDialects().entries()) {
    it(`on ${dialect}: exactly one issue per finding, every ticket created`, async () => {
      // One simulator per database: each has its own rate-limit buckets and request counts to kill by.
      const sim = start(
        [SIM_CLI, '--preset', 'small', '--port', '0', '--json', '--latency-ms', '100', '--rate-limit', '20'],
        BASE_ENV,
      );
      const simLine = await sim.firstLine;
      const simUrl = (JSON.parse(simLine) as { url: string }).url;
      try {
        const env: NodeJS.ProcessEnv = {
          ...BASE_ENV,
          SKYBRIDGE_DATA_DIR: await mkdtemp(join(tmp, `${dialect}-`)),
        };
        if (dialect === 'postgres') {
          const schema = `skybridge_dataout_kill_${process.pid}_${randomBytes(4).toString('hex')}`;
          await adminQuery(`create schema ${schema}`);
          schemas.push(schema);
          env['DATABASE_URL'] = TEST_PG_URL;
          env['SKYBRIDGE_DATABASE_SCHEMA'] = schema;
        }
        const worker = (args: string[]) => start([WORKER, args[0] ?? '', simLine, ...args.slice(1)], env);
        const finish = async (args: string[]) => {
          const exit = await worker(args).exited;
          expect(exit.code, `${args[0]}: ${exit.stderr}`).toBe(0);
          return JSON.parse(exit.lines.at(-1) ?? '') as Record<string, unknown>;
        };
        const served = async () => {
          const body = (await (await fetch(`${simUrl}/_sim/requests`)).json()) as {
            byRoute: Record<string, Record<string, number>>;
          };
          let n = 0;
          for (const [route, statuses] of Object.entries(body.byRoute))
            if (/\/(search\/jql|issue\/bulk)$/.test(route))
              for (const [status, count] of Object.entries(statuses)) if (status !== '429') n += count;
          return n;
        };

        const setup = (await finish(['setup', 'cloud', 'scanner'])) as {
          instanceId: string;
          project: string;
          site: string;
        };
        const findings = Array.from({ length: FINDINGS }, (_, i) => ({
          id: `cve-${i}`,
          title: `Vulnerable package on host-${i}`,
          severity: i % 2 === 0 ? 'high' : 'medium',
          status: 'open',
          resource: `host-${i}.acme.example`,
        }));
        const file = join(tmp, `${dialect}.json`);
        await writeFile(file, JSON.stringify(findings));
        expect(await finish(['push', 'scanner', file, '100'])).toMatchObject({ accepted: FINDINGS });

        // Two calls per batch of 50: kills after 1 to 8 of the 12, each followed by up to 100 ms, so a kill lands
        // at any step of a batch while at least two calls are still to come.
        const random = seededRandom(SEED + index);
        const points = Array.from({ length: KILLS }, () => ({
          calls: 1 + Math.floor(random() * 8),
          waitMs: Math.round(random() * 100),
        })).sort((a, b) => a.calls - b.calls);
        const repeat = `seed ${SEED} (SKYBRIDGE_KILL_SEED=${SEED} repeats it), kills after ${points.map((p) => `${p.calls} calls + ${p.waitMs} ms`).join(', ')}`;
        console.info(`[dataout-kill ${dialect}] ${repeat}`);

        const began = performance.now();
        const elapsed = () => `${((performance.now() - began) / 1000).toFixed(1)} s`;
        let kills = 0;
        for (const point of points) {
          const run = worker(['run', 'scanner']);
          let ended = false;
          void run.exited.then(() => (ended = true));
          await run.firstLine;
          // Only paces the polling: when to kill is decided by the simulator's count of served calls.
          while (!ended && (await served()) < point.calls) await delay(5);
          if (!ended) await delay(point.waitMs);
          if (!ended) run.child.kill('SIGKILL');
          const exit = await run.exited;
          if (exit.signal === 'SIGKILL') kills++;
          console.info(
            `[dataout-kill ${dialect}] ${exit.signal ?? `exit ${exit.code}`} after ${await served()} calls, ${elapsed()}`,
          );
        }
        // At most 8 of at least 12 calls are served at a kill point, and each call takes 100 ms: every kill lands.
        expect(kills, `${repeat}: a run ended before its kill`).toBe(KILLS);

        const final = await finish(['run', 'scanner']);
        console.info(`[dataout-kill ${dialect}] finished after ${await served()} calls, ${elapsed()}`);
        expect(final['tickets'], repeat).toEqual({ created: FINDINGS });
        const issues = (
          (await (await fetch(`${simUrl}/_sim/issues?site=${setup.site}&project=${setup.project}`)).json()) as {
            issues: Array<{ key: string; labels: string[] }>;
          }
        ).issues;
        const perLabel = new Map<string, string[]>();
        for (const issue of issues)
          for (const label of issue.labels) perLabel.set(label, [...(perLabel.get(label) ?? []), issue.key]);
        const wrong = findings
          .map((f) => ({ id: f.id, issues: perLabel.get(dedupKey(setup.instanceId, 'default', f.id)) ?? [] }))
          .filter((f) => f.issues.length !== 1);
        expect(wrong.slice(0, 5), `${repeat}: findings without exactly one issue (${wrong.length})`).toEqual([]);
      } finally {
        sim.child.kill('SIGTERM');
        await sim.exited;
      }
    }, 40_000);
  }
});
