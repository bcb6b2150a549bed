/**
 * Sync survives `kill -9`: the simulator and every `skybridge` command run as their own processes, as an operator
 * runs them. A reference data directory syncs Jira Cloud (the `medium` preset's largest connection) straight
 * through; a second one syncs the same site, is killed with SIGKILL at two random points in the middle, and is
 * synced again. The run must be resumed (one run, the interrupted one, now succeeded), its export must equal the
 * reference's row for row, and its counts must equal the simulator's `GET /_sim/stats`.
 *
 * The kill points come from a seed printed at the start; `SKYBRIDGE_KILL_SEED=<n>` repeats a failing run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PG_URL, testDialects } from '../db/test-dialects.ts';
import type { SimulatorDescription } from '../../../atlassian-sim/src/simulator.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SIM_CLI = join(ROOT, 'packages/atlassian-sim/src/cli.ts');
const SKYBRIDGE_CLI = join(ROOT, 'packages/skybridge/src/cli/main.ts');

/** The pinned node (root devDependency): the one running this test when its major matches, else the installed one. */
const PINNED_MAJOR = String(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
    .devDependencies['node'],
).split('.')[0];
const NODE =
  process.versions.node.split('.')[0] === PINNED_MAJOR ? process.execPath : join(ROOT, 'node_modules/.bin/node');

/**
 * The outer environment without anything that would point a child at another database or data directory, plus a
 * compile cache shared by the children: the test starts `skybridge` over a dozen times, and the cache halves what
 * each start costs.
 */
const BASE_ENV: Record<string, string | undefined> = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('SKYBRIDGE_') && k !== 'DATABASE_URL'),
  ),
  NODE_COMPILE_CACHE: join(tmpdir(), `skybridge-kill-e2e-cache-${process.pid}`),
};

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

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface RunRecord {
  id: string;
  status: string;
  counts: Record<string, number>;
  requests: number;
}

/** Every process started, so none outlives the test when it fails or times out half-way. */
const running = new Set<ChildProcess>();

/** Starts a process and collects its output; `exited` settles once it has ended and its pipes are drained. */
function start(args: string[], env: Record<string, string | undefined>, stdin?: string) {
  const child = spawn(NODE, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.end(stdin ?? '');
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

describe('sync killed with SIGKILL in the middle, then run again', () => {
  let sim: ReturnType<typeof start> | undefined;
  let info: SimulatorDescription;
  let siteStats: Record<string, number>;
  const dirs: string[] = [];
  const schemas: string[] = [];
  let reference: { rows: string[]; counts: Record<string, number>; requests: number };
  /** The data directory of each database under test, with the connection already added. */
  const subjects = new Map<'sqlite' | 'postgres', { instance: Instance; connectionId: string }>();

  const simGet = async <T>(path: string): Promise<T> => (await fetch(`${info.url}/_sim/${path}`)).json() as Promise<T>;
  const simTotal = async () => (await simGet<{ total: number }>('requests')).total;

  type Instance = Awaited<ReturnType<typeof createInstance>>;

  /** A data directory (and, on PostgreSQL, its own fresh schema) that `skybridge` commands run against. */
  async function createInstance(dialect: 'sqlite' | 'postgres') {
    const dataDir = await mkdtemp(join(tmpdir(), 'skybridge-kill-e2e-'));
    dirs.push(dataDir);
    const env: Record<string, string | undefined> = {
      ...BASE_ENV,
      SKYBRIDGE_DATA_DIR: dataDir,
      SKYBRIDGE_ALLOWED_HOSTS: new URL(info.url).host,
      SKYBRIDGE_LOG_LEVEL: 'warn',
    };
    if (dialect === 'postgres') {
      const schema = `skybridge_kill_${process.pid}_${randomBytes(4).toString('hex')}`;
      await adminQuery(`create schema ${schema}`);
      schemas.push(schema);
      env['DATABASE_URL'] = TEST_PG_URL;
      env['SKYBRIDGE_DATABASE_SCHEMA'] = schema;
    }
    const cli = (argv: string[], stdin?: string) => start([SKYBRIDGE_CLI, ...argv], env, stdin);
    const run = async (argv: string[], stdin?: string) => {
      const exit = await cli(argv, stdin).exited;
      expect(exit.code, `skybridge ${argv.join(' ')}: ${exit.stdout.slice(0, 2_000)}${exit.stderr}`).toBe(0);
      return exit.stdout;
    };
    return {
      cli,
      run,
      /** Adds the Jira Cloud connection (the token on stdin, never on the command line); returns its id. */
      async addJira(): Promise<string> {
        const site = info.sites.find((s) => s.name === 'acme-jira')!;
        const org = info.orgs[0]!;
        const added = await run(
          ['connections', 'add', 'jira-cloud', '--name', 'jira', '--url', site.baseUrl, '--email', org.email].concat([
            '--token-stdin',
            '--json',
          ]),
          `${org.apiToken}\n`,
        );
        return (JSON.parse(added) as { connection: { id: string } }).connection.id;
      },
      async runs(): Promise<RunRecord[]> {
        return (JSON.parse(await run(['runs', 'jira', '--json'])) as { items: RunRecord[] }).items;
      },
      /**
       * The export as sorted lines, with the connection id replaced: record ids are derived from the Atlassian id
       * and the connection id, and each data directory gave its connection a fresh id, so only the rest of each row
       * can be compared across directories.
       */
      async exportRows(connectionId: string): Promise<string[]> {
        const text = await run(['export', '--format', 'jsonl', '--connection', 'jira']);
        return text
          .trim()
          .split('\n')
          .map((line) => line.replaceAll(connectionId, '<connection>'))
          .sort();
      },
    };
  }

  async function adminQuery(sql: string) {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    const started = start(
      [SIM_CLI, '--preset', 'medium', '--port', '0', '--json', '--latency-ms', '2', '--rate-limit', 'off'],
      BASE_ENV,
    );
    sim = started;
    info = await new Promise<SimulatorDescription>((resolve, reject) => {
      createInterface({ input: started.child.stdout }).once('line', (line) =>
        resolve(JSON.parse(line) as SimulatorDescription),
      );
      void started.exited.then((exit) => reject(new Error(`atlassian-sim exited early: ${exit.stderr}`)));
    });
    const stats = await simGet<{ sites: Array<Record<string, number | string>> }>('stats');
    siteStats = stats.sites.find((s) => s['name'] === 'acme-jira') as Record<string, number>;

    // The reference syncs straight through, on SQLite; every database under test is compared with it, which also
    // checks that both hold the same snapshot. Its size is taken from its run record, not from the simulator's
    // counter, so the other directories can add their connections meanwhile.
    const makeReference = async () => {
      const ref = await createInstance('sqlite');
      const connectionId = await ref.addJira();
      const run = JSON.parse(await ref.run(['sync', 'jira', '--json'])) as RunRecord;
      expect(run.status).toBe('succeeded');
      reference = { rows: await ref.exportRows(connectionId), counts: run.counts, requests: run.requests };
    };
    const makeSubject = async (dialect: 'sqlite' | 'postgres') => {
      const instance = await createInstance(dialect);
      subjects.set(dialect, { instance, connectionId: await instance.addJira() });
    };
    await Promise.all([makeReference(), ...testDialects().map(makeSubject)]);
  });

  afterAll(async () => {
    // The simulator ends on SIGTERM; wait for it, since it may still be writing to the compile cache.
    sim?.child.kill('SIGTERM');
    await sim?.exited;
    for (const child of running) child.kill('SIGKILL');
    await Promise.all([...dirs, BASE_ENV['NODE_COMPILE_CACHE']!].map((d) => rm(d, { recursive: true, force: true })));
    for (const schema of schemas) await adminQuery(`drop schema if exists ${schema} cascade`);
  });

  it('the reference run counts what the simulator holds', () => {
    expect(reference.counts).toMatchObject({
      user: siteStats['users'],
      group: siteStats['groups'],
      project: siteStats['projects'],
    });
    expect(reference.rows.length).toBeGreaterThan(10_000);
  });

  for (const dialect of testDialects()) {
    it(`on ${dialect}: two kills and a restart resume the same run to the same data`, async () => {
      const { instance: b, connectionId } = subjects.get(dialect)!;
      const random = seededRandom(SEED + (dialect === 'sqlite' ? 0 : 1));
      // Points in the middle, as a share of the reference run's requests counted from the first start: the first
      // between 10% and 45%, the second at least 10% later and at most at 80%. Resuming never re-reads what was
      // stored, so the runs together make at least as many requests as the reference and 80% is always mid-run.
      const first = 0.1 + 0.35 * random();
      const second = first + 0.1 + (0.7 - first) * random();
      const points = [first, second].map((share) => Math.round(share * reference.requests));
      const repeat = `seed ${SEED} (SKYBRIDGE_KILL_SEED=${SEED} repeats it), kills after ${points.join(' and ')} of ${reference.requests} requests`;
      console.info(`[sync-kill ${dialect}] ${repeat}`);

      const base = await simTotal();
      let interruptedId: string | undefined;
      for (const point of points) {
        const { child, exited } = b.cli(['sync', 'jira']);
        let ended = false;
        void exited.then(() => (ended = true));
        while (!ended) {
          if ((await simTotal()) - base >= point) {
            child.kill('SIGKILL');
            break;
          }
          // Only paces the polling: when to kill is decided by the request count, not by time.
          await delay(5);
        }
        const exit = await exited;
        expect(exit.signal, `${repeat}: the sync ended on its own: ${exit.stderr}`).toBe('SIGKILL');
        if (interruptedId === undefined) {
          const runs = await b.runs();
          expect(
            runs.map((r) => r.status),
            repeat,
          ).toEqual(['running']);
          interruptedId = runs[0]?.id;
        }
      }

      const beforeFinal = await simTotal();
      const final = JSON.parse(await b.run(['sync', 'jira', '--json'])) as RunRecord;
      const finalRequests = (await simTotal()) - beforeFinal;
      expect(final.status, repeat).toBe('succeeded');
      // The second start resumed the first run (else there would be two runs), and so did the restart.
      expect(
        (await b.runs()).map((r) => [r.id, r.status]),
        repeat,
      ).toEqual([[interruptedId, 'succeeded']]);
      // It went on from its checkpoints rather than starting over.
      expect(finalRequests, repeat).toBeLessThan(reference.requests);

      expect(final.counts, repeat).toEqual(reference.counts);
      expect(final.counts).toMatchObject({
        user: siteStats['users'],
        group: siteStats['groups'],
        project: siteStats['projects'],
      });
      const rows = await b.exportRows(connectionId);
      const expected = new Set(reference.rows);
      const got = new Set(rows);
      expect(rows.filter((r) => !expected.has(r)).slice(0, 5), `${repeat}: rows the reference lacks`).toEqual([]);
      expect(reference.rows.filter((r) => !got.has(r)).slice(0, 5), `${repeat}: rows missing`).toEqual([]);
      expect(rows.length, repeat).toBe(reference.rows.length);
    }, 60_000);
  }
});
