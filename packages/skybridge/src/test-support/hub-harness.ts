/**
 * For tests only: a real hub (real database, vault, guarded client, use-cases) wired to an in-process atlassian-sim,
 * on SQLite and on PostgreSQL. The simulator is reached through the guarded client with `sim.local` allowed, so the
 * address guard, timeouts and size caps are in the path exactly as in production.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { createSimulator, type Simulator } from '../../../atlassian-sim/src/index.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Kysely } from 'kysely';
import { createDatabase } from '../db/create-database.ts';
import type { Database } from '../db/schema.ts';
import { TEST_PG_URL } from '../db/test-dialects.ts';
import { createManualClock } from '../domain/clock.ts';
import { createHub, type Hub } from '../hub.ts';
import { createLogger } from '../observability/logger.ts';

export const SIM_ORIGIN = 'http://sim.local';

export interface HubHarness {
  hub: Hub;
  sim: Simulator;
  clock: ReturnType<typeof createManualClock>;
  dataDir: string;
  config: Config;
  /** Everything the hub logged, as text. */
  logs(): string;
  /** A second handle on the hub's database, for tests that act as another worker or process. */
  db: Kysely<Database>;
  /** Calls the simulator's control API. */
  control(path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function createHubHarness(options: {
  dialect: 'sqlite' | 'postgres';
  preset?: 'small' | 'medium';
  now?: string;
  /**
   * Turn the simulator's rate limits on, with the simulator on the hub's manual clock: a wait the hub makes (a
   * backoff, a pause) advances that clock at once, and the simulator's buckets must refill on the same clock.
   * Default: limits off, simulator on real time.
   */
  rateLimits?: boolean;
}): Promise<HubHarness> {
  const clock = createManualClock(options.now ?? '2026-11-22T10:00:00Z');
  const sim = createSimulator({
    preset: options.preset ?? 'small',
    baseUrl: SIM_ORIGIN,
    rateLimits: { enabled: options.rateLimits === true },
    ...(options.rateLimits === true ? { now: () => clock.now().getTime() } : {}),
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'skybridge-hub-test-'));
  let schema: string | undefined;
  if (options.dialect === 'postgres') {
    schema = `skybridge_hub_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
  }
  const env: Record<string, string> = {
    SKYBRIDGE_DATA_DIR: dataDir,
    SKYBRIDGE_ALLOWED_HOSTS: 'sim.local',
    SKYBRIDGE_LOG_LEVEL: 'debug',
  };
  if (schema) {
    env['DATABASE_URL'] = TEST_PG_URL;
    env['SKYBRIDGE_DATABASE_SCHEMA'] = schema;
  }
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const logStream = new PassThrough();
  let logText = '';
  logStream.on('data', (chunk: Buffer) => (logText += chunk.toString('utf8')));
  const created = await createHub(loaded.config, {
    clock,
    logger: createLogger({ level: 'debug', stream: logStream, now: () => clock.now() }),
    fetch: (input, init) => sim.fetch(input, init),
    // Waiting moves the manual clock instead of real time, so pacing and backoff cost nothing and still add up.
    sleep: (ms) => {
      clock.advance(ms);
      return Promise.resolve();
    },
  });
  if (!created.ok) throw new Error(created.error.join('; '));
  const hub = created.value;
  const second = await createDatabase({
    url: loaded.config.databaseUrl,
    dataDir,
    ...(schema ? { schema } : {}),
  });
  if (!second.ok) throw new Error(second.error.message);
  return {
    hub,
    sim,
    clock,
    dataDir,
    config: loaded.config,
    logs: () => logText,
    async control(path, body) {
      const res = await sim.fetch(
        `${SIM_ORIGIN}/_sim/${path}`,
        body === undefined
          ? {}
          : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
      );
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    db: second.value.db,
    async close() {
      await second.value.close();
      await hub.close();
      await rm(dataDir, { recursive: true, force: true });
      if (schema) {
        const admin = new pg.Client({ connectionString: TEST_PG_URL });
        await admin.connect();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      }
    },
  };
}
