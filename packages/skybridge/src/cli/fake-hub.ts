import { PassThrough, Readable } from 'node:stream';
import type { DataoutService } from '../dataout/create-dataout-service.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { ApiTokensService } from '../access/api-tokens-service.ts';
import type { VerifyReport } from '../atlassian/verify-target.ts';
import { loadConfig, type Config } from '../config.ts';
import type {
  ConnectionError,
  ConnectionsService,
  ConnectionView,
  Dependent,
  NewConnectionInput,
} from '../connections/connections-service.ts';
import { createManualClock } from '../domain/clock.ts';
import type { ApiToken } from '../domain/connection.ts';
import { err, ok } from '../domain/result.ts';
import type { Hub } from '../hub.ts';
import { createLogger } from '../observability/logger.ts';
import { maskSecret } from '../vault/mask-secret.ts';
import type { CliDeps, CliIo } from './cli-io.ts';

/**
 * Test support (not a test file): small in-memory fakes of the services a CLI command calls, and a hub around
 * them. They record what they were given, so a test can check that a secret reached the service intact, and they
 * return views built the way the real services do (masked hint only), so a test can check that output never
 * contains a secret.
 */

/** A secret the fake refuses, as Atlassian would an expired token. */
export const REJECTED_SECRET = 'ATATT3x-rejected-token-0000';

export const SAMPLE_REPORT: VerifyReport = {
  kind: 'jira-cloud',
  product: { name: 'Jira', version: '1001.0.0', deploymentType: 'Cloud' },
  account: { id: 'acc-1', displayName: 'Mia Krystof' },
  siteId: 'site-1',
  sample: {
    type: 'project',
    items: ['ABC', 'DEF', 'GHI', 'JKL', 'MNO', 'PQR'].map((key) => ({
      key,
      id: key.toLowerCase(),
      name: `${key} project`,
    })),
  },
  permissions: { ABC: ['BROWSE_PROJECTS', 'CREATE_ISSUES'] },
  warnings: [],
  requests: 4,
};

export interface FakeHubRecord {
  /** Every `add` input, secrets included: what the service was given. */
  added: NewConnectionInput[];
  rotated: Array<{ idOrName: string; secret: string; options: unknown }>;
  edits: Array<{ idOrName: string; edit: unknown }>;
  actors: string[];
  closed: number;
  schedulerStarted: number;
}

export interface FakeHubOptions {
  /** Dependents by connection name; a delete without cascade is refused while any are listed. */
  dependents?: Record<string, Dependent[]>;
  keyFileCreated?: boolean;
  /** Whether `ensureOwner` creates (and returns) an owner token. */
  ownerToken?: string;
  /** Data-out methods a test needs; any other call rejects. */
  dataout?: Partial<DataoutService>;
}

const NOW = new Date('2026-11-22T12:00:00Z');

function notFound(idOrName: string): ConnectionError {
  return { code: 'not_found', message: `no connection named or with id "${idOrName}"` };
}

export function createFakeHub(options: FakeHubOptions = {}): {
  hub: Hub;
  record: FakeHubRecord;
  views: Map<string, ConnectionView>;
} {
  const record: FakeHubRecord = { added: [], rotated: [], edits: [], actors: [], closed: 0, schedulerStarted: 0 };
  const views = new Map<string, ConnectionView>();
  let nextId = 1;
  const find = (idOrName: string) => [...views.values()].find((v) => v.id === idOrName || v.name === idOrName);

  const connections: ConnectionsService = {
    add(actor, input) {
      record.actors.push(actor);
      record.added.push(input);
      if (input.secret === REJECTED_SECRET)
        return Promise.resolve(
          err({
            code: 'verification_failed',
            message: 'verification failed; nothing was stored',
            atlassian: {
              name: 'AtlassianError',
              code: 'unauthorized',
              message: 'Atlassian refused the credential (401).',
            },
          }),
        );
      if (input.url !== undefined && !input.url.startsWith('https://'))
        return Promise.resolve(
          err({
            code: 'invalid_input',
            message: 'invalid input',
            fields: [{ field: 'url', message: 'must be an https:// URL' }],
          }),
        );
      if (find(input.name)) return Promise.resolve(err({ code: 'duplicate_name', message: `"${input.name}" exists` }));
      const view: ConnectionView = {
        id: `c_${nextId++}`,
        name: input.name,
        kind: input.kind,
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.tokenExpiresAt !== undefined ? { tokenExpiresAt: input.tokenExpiresAt, tokenExpiresInDays: 40 } : {}),
        secretHint: maskSecret(input.secret),
        status: 'connected',
        consecutiveFailures: 0,
        lastCheckedAt: NOW,
        createdAt: NOW,
        updatedAt: NOW,
        version: 1,
        authMode: input.authMode ?? 'direct',
        hasTeamsSecret: input.teamsSecret !== undefined,
      };
      views.set(view.id, view);
      return Promise.resolve(ok({ connection: view, report: SAMPLE_REPORT }));
    },
    list() {
      return Promise.resolve(ok({ items: [...views.values()] }));
    },
    get(idOrName) {
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      return Promise.resolve(
        ok({
          connection: view,
          statusHistory: [{ id: 'e1', connectionId: view.id, toStatus: 'connected', reasonCode: 'created', at: NOW }],
          audit: [
            {
              id: 'a1',
              at: NOW,
              actor: 'cli:tester',
              action: 'connection.create',
              targetType: 'connection',
              targetId: view.id,
              details: { kind: view.kind },
            },
          ],
        }),
      );
    },
    verify(actor, idOrName) {
      record.actors.push(actor);
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      if (view.status === 'needs_reauthorization')
        return Promise.resolve(
          ok({
            connection: view,
            error: {
              code: 'verification_failed',
              message: 'verification failed',
              atlassian: {
                name: 'AtlassianError',
                code: 'unauthorized',
                message: 'Atlassian refused the credential (401).',
              },
            },
          }),
        );
      return Promise.resolve(ok({ connection: view, report: SAMPLE_REPORT }));
    },
    edit(actor, idOrName, edit) {
      record.actors.push(actor);
      record.edits.push({ idOrName, edit });
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      const next: ConnectionView = { ...view, version: view.version + 1 };
      if (edit.name !== undefined) next.name = edit.name;
      if (edit.secret !== undefined) next.secretHint = maskSecret(edit.secret);
      views.set(view.id, next);
      return Promise.resolve(
        ok(edit.secret === undefined ? { connection: next } : { connection: next, report: SAMPLE_REPORT }),
      );
    },
    rotate(actor, idOrName, secret, rotateOptions) {
      record.actors.push(actor);
      record.rotated.push({ idOrName, secret, options: rotateOptions });
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      const next: ConnectionView = { ...view, secretHint: maskSecret(secret), version: view.version + 1 };
      views.set(view.id, next);
      return Promise.resolve(ok({ connection: next, report: SAMPLE_REPORT }));
    },
    dependents(idOrName) {
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      return Promise.resolve(ok(options.dependents?.[view.name] ?? []));
    },
    delete(actor, idOrName, deleteOptions) {
      record.actors.push(actor);
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      const dependents = options.dependents?.[view.name] ?? [];
      if (dependents.length > 0 && !deleteOptions?.cascade)
        return Promise.resolve(
          err({
            code: 'has_dependents',
            message: `"${view.name}" is in use by ${dependents.length} things`,
            dependents,
          }),
        );
      views.delete(view.id);
      return Promise.resolve(ok({ deleted: view, cascaded: dependents }));
    },
    checkHealth(actor) {
      record.actors.push(actor);
      return Promise.resolve({ checked: views.size, changed: 0, warnings: 0 });
    },
    rotateKeys(actor) {
      record.actors.push(actor);
      return Promise.resolve(
        ok({ total: views.size, resealed: views.size, alreadyCurrent: 0, failed: 0, keyId: 'k2' }),
      );
    },
  };

  const tokens = new Map<string, ApiToken>();
  const apiTokens: ApiTokensService = {
    authenticate: () => Promise.resolve(undefined),
    create(actor, input) {
      record.actors.push(actor);
      if ([...tokens.values()].some((t) => t.name === input.name))
        return Promise.resolve(err({ code: 'duplicate_name', message: `a token named "${input.name}" exists` }));
      const token = `sbt_${'x'.repeat(28)}${tokens.size}`;
      const apiToken: ApiToken = {
        id: `t_${tokens.size + 1}`,
        name: input.name,
        role: input.role,
        tokenHint: maskSecret(token),
        createdAt: NOW,
      };
      tokens.set(apiToken.id, apiToken);
      return Promise.resolve(ok({ token, apiToken }));
    },
    list: () => Promise.resolve([...tokens.values()]),
    revoke(actor, id) {
      record.actors.push(actor);
      const t = tokens.get(id);
      if (!t) return Promise.resolve(err({ code: 'not_found', message: `no API token with id "${id}"` }));
      const revoked = { ...t, revokedAt: NOW };
      tokens.set(id, revoked);
      return Promise.resolve(ok(revoked));
    },
    ensureOwner(actor) {
      record.actors.push(actor);
      return Promise.resolve(
        options.ownerToken === undefined ? { created: false } : { created: true, token: options.ownerToken },
      );
    },
  };

  const config = loadConfig({ SKYBRIDGE_DATA_DIR: '/nonexistent/skybridge-test' });
  if (!config.ok) throw new Error('fake hub config did not load');
  const unsupported = () => Promise.reject(new Error('sync is not faked'));
  const hub: Hub = {
    config: config.config,
    connections,
    sync: {
      run: unsupported,
      runs: unsupported,
      accept: unsupported,
      diff: unsupported,
      accessUser: unsupported,
      whoHas: unsupported,
      exportSnapshot: unsupported,
      getRun: unsupported,
      request: unsupported,
      getJob: unsupported,
      jobs: unsupported,
      setSchedule: unsupported,
      getSchedule: unsupported,
    },
    dataout: new Proxy(options.dataout ?? {}, {
      get: (target, name) => (target as Record<string | symbol, unknown>)[name] ?? unsupported,
    }) as DataoutService,
    jobs: {
      queue: new Proxy({}, { get: () => unsupported }) as JobQueue,
      scheduler: new Proxy({}, { get: () => unsupported }) as Scheduler,
      runJob: unsupported,
      runTagged: unsupported,
    },
    apiTokens,
    logger: createLogger({ level: 'silent', stream: new PassThrough() }),
    clock: createManualClock(NOW),
    firstStart: options.keyFileCreated
      ? { keyFileCreated: true, keyFile: '/data/skybridge.key' }
      : { keyFileCreated: false },
    start: () => {
      record.schedulerStarted++;
    },
    close: () => {
      record.closed++;
      return Promise.resolve();
    },
  };
  return { hub, record, views };
}

export interface FakeRun {
  code: number;
  stdout: string;
  stderr: string;
  record: FakeHubRecord;
  views: Map<string, ConnectionView>;
  /** How many times the CLI asked for a hub (0 when it stopped at a usage error). */
  hubsCreated: number;
  /** The configuration of each hub asked for. */
  configs: Config[];
}

/**
 * Runs `skybridge <argv>` in-process against a fake hub. `stdin` is what is piped in (default: nothing, not a
 * TTY). `seed` adds connections first, straight into the fake.
 */
export async function runWithFakes(
  runCli: (io: CliIo, deps: Partial<CliDeps>) => Promise<number>,
  argv: string[],
  options: FakeHubOptions & {
    stdin?: string;
    env?: Record<string, string | undefined>;
    seed?: NewConnectionInput[];
    deps?: Partial<CliDeps>;
    fake?: ReturnType<typeof createFakeHub>;
  } = {},
): Promise<FakeRun> {
  const fake = options.fake ?? createFakeHub(options);
  for (const input of options.seed ?? []) await fake.hub.connections.add('seed', input);
  fake.record.added.length = 0;
  fake.record.actors.length = 0;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let errText = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (errText += c.toString('utf8')));
  const configs: Config[] = [];
  const code = await runCli(
    {
      argv,
      env: options.env ?? { SKYBRIDGE_DATA_DIR: '/nonexistent/skybridge-test' },
      stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
      stdout,
      stderr,
    },
    {
      // Like the real factory, the hub carries the configuration it was built from.
      createHub: (config) => {
        configs.push(config);
        return Promise.resolve(ok({ ...fake.hub, config }));
      },
      username: () => 'tester',
      startHttpServer: () => Promise.reject(new Error('no server in this test')),
      waitForShutdown: () => Promise.resolve('SIGTERM'),
      ...options.deps,
    },
  );
  return {
    code,
    stdout: out,
    stderr: errText,
    record: fake.record,
    views: fake.views,
    hubsCreated: configs.length,
    configs,
  };
}
