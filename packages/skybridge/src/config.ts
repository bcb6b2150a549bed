import { z } from 'zod';
import { DEFAULT_FAILURE_THRESHOLD } from './domain/authorization-status.ts';

/**
 * Skybridge's configuration, parsed once at start from `SKYBRIDGE_*` environment variables (and `DATABASE_URL`),
 * with command-line flags taking precedence. Every problem is reported at once, each naming its variable.
 */
export interface Config {
  /** Where the SQLite database, the key file and other local state live. Default `./data`. */
  dataDir: string;
  /** PostgreSQL URL; when absent, Skybridge uses an embedded SQLite file in `dataDir`. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema to use (sets `search_path`); default the server's default. Lets several hubs share a database. */
  databaseSchema: string | undefined;
  /** Base64 AES-256 key or a key-ring JSON; when absent, the key file in `dataDir` is used. */
  masterKey: string | undefined;
  /**
   * Hosts (or host:port) exempt from the outbound address guard and allowed over plain http. Empty by default:
   * only public https hosts are reachable. Tests and the demo list the simulator's 127.0.0.1 here.
   */
  allowedHosts: string[];
  /** HTTP API listen address. Default 127.0.0.1:8080. */
  host: string;
  port: number;
  /** How often the health check re-verifies every connection. Default 6 hours. */
  healthIntervalMs: number;
  /** Consecutive failures of any kind before a connection is `failed`. Default 3. */
  failureThreshold: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Finished sync runs kept per connection (older ones are pruned daily; the snapshot's run is always kept). Default 30. */
  syncKeepRuns: number;
  /** Sync jobs one `serve` process runs at once (each a different connection). Default 2. */
  syncWorkers: number;
  /** Ticket jobs one `serve` process runs at once (the pacer keeps them within Atlassian's limits). Default 4. */
  dataoutWorkers: number;
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `90s`, `15m`, `6h`, `1d` or a number of milliseconds. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] ?? 1);
}

const schema = z
  .object({
    SKYBRIDGE_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    SKYBRIDGE_DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase PostgreSQL identifier')
      .optional(),
    SKYBRIDGE_MASTER_KEY: z.string().min(1).optional(),
    SKYBRIDGE_ALLOWED_HOSTS: z.string().default(''),
    SKYBRIDGE_HOST: z.string().min(1).default('127.0.0.1'),
    SKYBRIDGE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    SKYBRIDGE_HEALTH_INTERVAL: z
      .string()
      .default('6h')
      .refine((v) => (parseDuration(v) ?? 0) >= 60_000, 'must be a duration of at least 1m, like 30m, 6h or 1d'),
    SKYBRIDGE_FAILURE_THRESHOLD: z.coerce.number().int().min(1).max(100).default(DEFAULT_FAILURE_THRESHOLD),
    SKYBRIDGE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    SKYBRIDGE_SYNC_KEEP_RUNS: z.coerce.number().int().min(1).max(10_000).default(30),
    SKYBRIDGE_SYNC_WORKERS: z.coerce.number().int().min(1).max(32).default(2),
    SKYBRIDGE_DATAOUT_WORKERS: z.coerce.number().int().min(1).max(64).default(4),
  })
  .loose();

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Reads configuration from an environment record (never from `process.env` directly, so tests can pass their own). */
export function loadConfig(env: Record<string, string | undefined>, overrides: Partial<Config> = {}): ConfigResult {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    };
  }
  const e = parsed.data;
  const config: Config = {
    dataDir: e.SKYBRIDGE_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.SKYBRIDGE_DATABASE_SCHEMA,
    masterKey: e.SKYBRIDGE_MASTER_KEY,
    allowedHosts: e.SKYBRIDGE_ALLOWED_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h.length > 0),
    host: e.SKYBRIDGE_HOST,
    port: e.SKYBRIDGE_PORT,
    healthIntervalMs: parseDuration(e.SKYBRIDGE_HEALTH_INTERVAL) ?? 6 * 3_600_000,
    failureThreshold: e.SKYBRIDGE_FAILURE_THRESHOLD,
    logLevel: e.SKYBRIDGE_LOG_LEVEL,
    syncKeepRuns: e.SKYBRIDGE_SYNC_KEEP_RUNS,
    syncWorkers: e.SKYBRIDGE_SYNC_WORKERS,
    dataoutWorkers: e.SKYBRIDGE_DATAOUT_WORKERS,
  };
  for (const [key, value] of Object.entries(overrides))
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  return { ok: true, config };
}
