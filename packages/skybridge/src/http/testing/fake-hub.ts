import type { ApiTokensError, ApiTokensService } from '../../access/api-tokens-service.ts';
import type { VerifyReport } from '../../atlassian/verify-target.ts';
import type {
  ConnectionError,
  ConnectionsService,
  ConnectionView,
  Dependent,
  NewConnectionInput,
} from '../../connections/connections-service.ts';
import { createManualClock } from '../../domain/clock.ts';
import type { ApiToken, ApiTokenRole } from '../../domain/connection.ts';
import { err, ok } from '../../domain/result.ts';
import type { LogFields, Logger } from '../../observability/logger.ts';
import type { HttpHub } from '../create-http-app.ts';
import type { FakeDataout } from './fake-dataout.ts';
import { createFakeDataout } from './fake-dataout.ts';
import type { FakeSync } from './fake-sync.ts';
import { createFakeSync } from './fake-sync.ts';

/**
 * In-memory fakes of the services the HTTP API adapts, for in-process tests with `app.request()`. They record
 * every call (so a test can check the actor and the arguments) and can be told to fail the next call of a method
 * with a given error. `leaky: true` makes the connections fake behave like a buggy service that copies its input
 * (secret included) onto the views it returns, and the sync and data-out fakes (`fake-sync.ts`, `fake-dataout.ts`)
 * add a secret to what they return: the API's allow-list serializers must still keep them out.
 */

export const TOKENS: Record<ApiTokenRole | 'revoked', string> = {
  owner: 'owner-bearer-value-0001',
  admin: 'admin-bearer-value-0002',
  viewer: 'viewer-bearer-value-0003',
  revoked: 'revoked-bearer-value-0004',
};

export const NOW = new Date('2026-03-01T12:00:00Z');

export interface Call {
  method: string;
  args: unknown[];
}

export interface FakeConnections extends ConnectionsService {
  calls: Call[];
  /** The next call of `method` returns `error`. */
  failNext(method: keyof ConnectionsService, error: ConnectionError): void;
  /** Connections by id. */
  views: Map<string, ConnectionView>;
  /** Dependents returned (and refused on delete without cascade). */
  dependentsOf: Map<string, Dependent[]>;
}

export interface FakeApiTokens extends ApiTokensService {
  calls: Call[];
  tokens: Map<string, ApiToken>;
  failNext(method: 'create' | 'revoke', error: ApiTokensError): void;
}

export interface MemoryLogger extends Logger {
  records: Array<{ level: string; message: string; fields: LogFields }>;
}

export function createMemoryLogger(base: LogFields = {}, records: MemoryLogger['records'] = []): MemoryLogger {
  const at =
    (level: string) =>
    (message: string, fields: LogFields = {}) =>
      void records.push({ level, message, fields: { ...base, ...fields } });
  return {
    records,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => createMemoryLogger({ ...base, ...fields }, records),
  };
}

const notFound = (idOrName: string): ConnectionError => ({
  code: 'not_found',
  message: `No connection with id or name "${idOrName}".`,
});

export const SAMPLE_REPORT: VerifyReport = {
  kind: 'jira-cloud',
  product: { name: 'Jira', deploymentType: 'Cloud' },
  account: { id: 'acc-1', displayName: 'Ada' },
  siteId: 'site-1',
  sample: { type: 'project', items: [{ key: 'OPS', name: 'Operations' }] },
  permissions: { OPS: ['BROWSE_PROJECTS'] },
  warnings: [],
  requests: 3,
};

export function createFakeConnections(options: { leaky?: boolean } = {}): FakeConnections {
  const views = new Map<string, ConnectionView>();
  const dependentsOf = new Map<string, Dependent[]>();
  const failures = new Map<string, ConnectionError>();
  const calls: Call[] = [];
  let nextId = 1;

  const record = (method: keyof ConnectionsService, args: unknown[]): ConnectionError | undefined => {
    calls.push({ method, args });
    const failure = failures.get(method);
    failures.delete(method);
    return failure;
  };
  const find = (idOrName: string) => views.get(idOrName) ?? [...views.values()].find((v) => v.name === idOrName);

  const viewOf = (input: NewConnectionInput, id: string): ConnectionView => {
    const view: ConnectionView = {
      id,
      name: input.name,
      kind: input.kind,
      secretHint: `••••${input.secret.slice(-4)}`,
      status: 'connected',
      consecutiveFailures: 0,
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
      authMode: input.authMode ?? 'direct',
      hasTeamsSecret: input.teamsSecret !== undefined,
    };
    if (input.url !== undefined) view.url = input.url;
    if (input.email !== undefined) view.email = input.email;
    if (input.tokenExpiresAt !== undefined) view.tokenExpiresAt = input.tokenExpiresAt;
    // A buggy service that spreads its input: the secret rides along on the object.
    return options.leaky ? { ...input, ...view } : view;
  };

  return {
    calls,
    views,
    dependentsOf,
    failNext: (method, error) => void failures.set(method, error),
    add(actor, input) {
      const failure = record('add', [actor, input]);
      if (failure) return Promise.resolve(err(failure));
      const view = viewOf(input, `c${nextId++}`);
      views.set(view.id, view);
      return Promise.resolve(ok({ connection: view, report: SAMPLE_REPORT }));
    },
    list(listOptions) {
      const failure = record('list', [listOptions]);
      if (failure) return Promise.resolve(err(failure));
      const all = [...views.values()];
      const start = listOptions?.cursor === undefined ? 0 : Number(listOptions.cursor);
      const limit = listOptions?.limit ?? 50;
      const items = all.slice(start, start + limit);
      return Promise.resolve(ok(start + limit < all.length ? { items, nextCursor: String(start + limit) } : { items }));
    },
    get(idOrName) {
      const failure = record('get', [idOrName]);
      if (failure) return Promise.resolve(err(failure));
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
              actor: 'token:admin',
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
      const failure = record('verify', [actor, idOrName]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      return Promise.resolve(ok({ connection: view, report: SAMPLE_REPORT }));
    },
    edit(actor, idOrName, edit) {
      const failure = record('edit', [actor, idOrName, edit]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      if (edit.expectedVersion !== undefined && edit.expectedVersion !== view.version)
        return Promise.resolve(err({ code: 'stale_version', message: 'The connection changed; reload and retry.' }));
      const updated: ConnectionView = { ...view, version: view.version + 1 };
      if (edit.name !== undefined) updated.name = edit.name;
      if (edit.secret !== undefined) updated.secretHint = `••••${edit.secret.slice(-4)}`;
      views.set(view.id, options.leaky ? ({ ...edit, ...updated } as ConnectionView) : updated);
      return Promise.resolve(ok({ connection: views.get(view.id) ?? updated }));
    },
    rotate(actor, idOrName, secret, rotateOptions) {
      const failure = record('rotate', [actor, idOrName, secret, rotateOptions]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      const updated: ConnectionView = { ...view, secretHint: `••••${secret.slice(-4)}`, version: view.version + 1 };
      views.set(view.id, options.leaky ? ({ ...updated, secret, ...rotateOptions } as ConnectionView) : updated);
      return Promise.resolve(ok({ connection: views.get(view.id) ?? updated, report: SAMPLE_REPORT }));
    },
    dependents(idOrName) {
      const failure = record('dependents', [idOrName]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      return Promise.resolve(ok(dependentsOf.get(view.id) ?? []));
    },
    delete(actor, idOrName, deleteOptions) {
      const failure = record('delete', [actor, idOrName, deleteOptions]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      const dependents = dependentsOf.get(view.id) ?? [];
      if (dependents.length > 0 && deleteOptions?.cascade !== true)
        return Promise.resolve(
          err({ code: 'has_dependents', message: 'Other things use this connection.', dependents }),
        );
      views.delete(view.id);
      return Promise.resolve(ok({ deleted: view, cascaded: dependents }));
    },
    checkHealth(actor) {
      record('checkHealth', [actor]);
      return Promise.resolve({ checked: views.size, changed: 0, warnings: 0 });
    },
    rotateKeys(actor) {
      const failure = record('rotateKeys', [actor]);
      if (failure) return Promise.resolve(err(failure));
      return Promise.resolve(
        ok({ total: views.size, resealed: views.size, alreadyCurrent: 0, failed: 0, keyId: 'k2' }),
      );
    },
  };
}

export function createFakeApiTokens(): FakeApiTokens {
  const calls: Call[] = [];
  const failures = new Map<string, ApiTokensError>();
  const byValue = new Map<string, ApiToken>();
  const tokens = new Map<string, ApiToken>();
  const add = (value: string, token: ApiToken) => {
    byValue.set(value, token);
    tokens.set(token.id, token);
  };
  for (const role of ['owner', 'admin', 'viewer'] as const)
    add(TOKENS[role], {
      id: `t-${role}`,
      name: role,
      role,
      tokenHint: `••••${TOKENS[role].slice(-4)}`,
      createdAt: NOW,
    });
  add(TOKENS.revoked, {
    id: 't-revoked',
    name: 'revoked',
    role: 'owner',
    tokenHint: '••••0004',
    createdAt: NOW,
    revokedAt: NOW,
  });
  let nextId = 1;
  const take = (method: string) => {
    const failure = failures.get(method);
    failures.delete(method);
    return failure;
  };

  return {
    calls,
    tokens,
    failNext: (method, error) => void failures.set(method, error),
    authenticate(bearer) {
      const token = byValue.get(bearer);
      // The fake mirrors the real service: a revoked token does not authenticate.
      return Promise.resolve(token?.revokedAt === undefined ? token : undefined);
    },
    create(actor, input) {
      calls.push({ method: 'create', args: [actor, input] });
      const failure = take('create');
      if (failure) return Promise.resolve(err(failure));
      const value = `new-token-value-${nextId}-abcdefgh`;
      const apiToken: ApiToken = {
        id: `t-new-${nextId++}`,
        name: input.name,
        role: input.role,
        tokenHint: `••••${value.slice(-4)}`,
        createdAt: NOW,
      };
      add(value, apiToken);
      return Promise.resolve(ok({ token: value, apiToken }));
    },
    list() {
      calls.push({ method: 'list', args: [] });
      return Promise.resolve([...tokens.values()]);
    },
    revoke(actor, id) {
      calls.push({ method: 'revoke', args: [actor, id] });
      const failure = take('revoke');
      if (failure) return Promise.resolve(err(failure));
      const token = tokens.get(id);
      if (!token) return Promise.resolve(err({ code: 'not_found', message: `No API token with id "${id}".` }));
      token.revokedAt = NOW;
      return Promise.resolve(ok(token));
    },
    ensureOwner: () => Promise.resolve({ created: false }),
  };
}

export interface FakeHub extends HttpHub {
  connections: FakeConnections;
  sync: FakeSync;
  dataout: FakeDataout;
  apiTokens: FakeApiTokens;
  logger: MemoryLogger;
}

export function createFakeHub(options: { leaky?: boolean } = {}): FakeHub {
  const connections = createFakeConnections(options);
  const clock = createManualClock(NOW);
  return {
    connections,
    sync: createFakeSync(connections, options),
    dataout: createFakeDataout(connections, clock, options),
    apiTokens: createFakeApiTokens(),
    logger: createMemoryLogger(),
    clock,
  };
}

/** Request init with a bearer token and, when given, a JSON body. */
export function as(
  who: keyof typeof TOKENS,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): RequestInit {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKENS[who]}`, ...init.headers };
  const request: RequestInit = { method: init.method ?? 'GET', headers };
  if (init.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    request.body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  return request;
}
