import type { AtlassianError } from '../atlassian/atlassian-error.ts';
import type { HttpFactory, VerifyFn, VerifyReport, VerifyTarget } from '../atlassian/verify-target.ts';
import type { AuditRepo } from '../db/audit-repo.ts';
import type { ConnectionPatch, ConnectionsRepo } from '../db/connections-repo.ts';
import type { RepoError } from '../db/repo-error.ts';
import type { StatusEventsRepo } from '../db/status-events-repo.ts';
import { newId } from '../db/new-id.ts';
import { DEFAULT_GATEWAY_URL, DEFAULT_TEAMS_API_URL } from '../domain/connection-kinds.ts';
import type { Clock } from '../domain/clock.ts';
import type { AuditAction, Connection, StatusChangeReason } from '../domain/connection.ts';
import { MAX_SAFE_MESSAGE_LENGTH } from '../domain/connection.ts';
import { expiryWarningDue, nextStatus, type AuthorizationStatus } from '../domain/authorization-status.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { Logger } from '../observability/logger.ts';
import { maskSecret } from '../vault/mask-secret.ts';
import { OpenedSecret } from '../vault/opened-secret.ts';
import { resealAll, type SealedSecretStore } from '../vault/reseal-all.ts';
import type { Vault } from '../vault/vault.ts';
import type {
  Actor,
  ConnectionEdit,
  ConnectionError,
  ConnectionsService,
  ConnectionView,
  Dependent,
  NewConnectionInput,
  VerifyOutcome,
} from './connections-service.ts';
import type { DependentsRegistry } from './dependents-registry.ts';
import { openBundle, sealBundle, type SecretBundle } from './secret-bundle.ts';
import { checkEdit, checkNewConnection, type UrlRules } from './validate-input.ts';

export interface ConnectionsDeps {
  connections: ConnectionsRepo;
  statusEvents: StatusEventsRepo;
  audit: AuditRepo;
  vault: Vault;
  /** Adds a new primary key to the ring and persists it; returns the new key id. */
  rotateKeyRing(): Promise<Result<string, string>>;
  /** Other tables of sealed secrets that key rotation re-seals with the connections'. Default none. */
  otherSealedSecrets?: readonly SealedSecretStore[];
  clock: Clock;
  logger: Logger;
  verify: VerifyFn;
  /** HTTP clients for a connection (its CA bundle, the shared pacer, the outcome hook). */
  httpFor(connection: { caCert?: string | undefined }): HttpFactory;
  urlRules: UrlRules;
  /** Consecutive failures before `failed`. */
  failureThreshold: number;
  dependents: DependentsRegistry;
}

const DAY_MS = 86_400_000;

function view(connection: Connection, now: Date): ConnectionView {
  const v: ConnectionView = { ...connection, hasTeamsSecret: connection.teamsSecretHint !== undefined };
  if (connection.tokenExpiresAt)
    v.tokenExpiresInDays = Math.floor((connection.tokenExpiresAt.getTime() - now.getTime()) / DAY_MS);
  return v;
}

function fromRepoError(e: RepoError): ConnectionError {
  switch (e.code) {
    case 'not_found':
      return { code: 'not_found', message: 'No such connection.' };
    case 'duplicate':
      return {
        code: 'duplicate_name',
        message: 'A connection with that name already exists.',
        fields: [{ field: 'name', message: 'is already used by another connection' }],
      };
    case 'stale_version':
      return { code: 'stale_version', message: 'The connection changed since it was read; reload it and try again.' };
    case 'bad_cursor':
      return {
        code: 'invalid_input',
        message: 'The cursor is not valid.',
        fields: [{ field: 'cursor', message: 'is not a cursor this API issued' }],
      };
  }
}

function verificationFailed(e: AtlassianError): ConnectionError {
  return {
    code: 'verification_failed',
    message: e.actionableMessage(),
    atlassian: { ...e.toJSON(), message: e.actionableMessage() },
  };
}

function safeMessage(e: AtlassianError): string {
  return e.actionableMessage().slice(0, MAX_SAFE_MESSAGE_LENGTH);
}

/** The Admin API base for `atlassian-org` lives in `url`; cloud and DC kinds keep their site or base URL there. */
function targetOf(
  c: Pick<Connection, 'kind' | 'url' | 'email' | 'orgId' | 'teamsUrl' | 'teamsEmail' | 'authMode' | 'gatewayUrl'>,
  secrets: SecretBundle,
): VerifyTarget {
  const target: VerifyTarget = { kind: c.kind, url: c.url ?? '', authMode: c.authMode, secret: secrets.token };
  if (c.email) target.email = c.email;
  if (c.orgId) target.orgId = c.orgId;
  if (c.kind === 'atlassian-org') target.teamsUrl = c.teamsUrl ?? DEFAULT_TEAMS_API_URL;
  if (c.teamsEmail && secrets.teamsToken) {
    target.teamsEmail = c.teamsEmail;
    target.teamsSecret = secrets.teamsToken;
  }
  if (c.authMode === 'gateway') target.gatewayUrl = c.gatewayUrl ?? DEFAULT_GATEWAY_URL;
  return target;
}

/** What another feature (sync, tickets) gets to use a connection: its settings, opened secrets and clients. */
export interface OpenedConnection {
  connection: Connection;
  /** The connection as a verify/use target, with its secrets opened for this use only. */
  target: VerifyTarget;
  /** HTTP clients with the connection's CA bundle, the shared pacer and its outcome hook. */
  http: HttpFactory;
}

export interface ConnectionsInternal extends ConnectionsService {
  /** Records the outcome of any use of a connection (sync, tickets) in its authorization status. */
  recordUse(connectionId: string, outcome: { ok: true } | { ok: false; error: AtlassianError }): Promise<void>;
  /** Opens a connection for use by another feature. */
  open(idOrName: string): Promise<Result<OpenedConnection, ConnectionError>>;
}

export function createConnectionsService(deps: ConnectionsDeps): ConnectionsInternal {
  const { connections, statusEvents, audit, clock, logger } = deps;

  async function find(idOrName: string): Promise<Result<Connection, ConnectionError>> {
    const c = (await connections.getById(idOrName)) ?? (await connections.getByName(idOrName));
    return c
      ? ok(c)
      : err({ code: 'not_found', message: `No connection named or with id '${idOrName.slice(0, 100)}'.` });
  }

  async function openSecrets(c: Connection): Promise<Result<SecretBundle, ConnectionError>> {
    const sealed = await connections.getSealedSecret(c.id);
    if (!sealed) return err({ code: 'not_found', message: 'No such connection.' });
    const opened = openBundle(deps.vault, c.id, sealed.sealed);
    if (!opened.ok) {
      logger.error('a stored secret could not be opened', {
        connection: c.id,
        reason: typeof opened.error === 'string' ? opened.error : opened.error.code,
      });
      return err({
        code: 'vault_error',
        message:
          'The stored secret could not be opened: the master key does not match the one it was sealed with, or the data was altered. Rotate the connection with a new secret.',
      });
    }
    return ok(opened.value);
  }

  async function runVerify(
    target: VerifyTarget,
    caCert: string | undefined,
  ): Promise<Result<VerifyReport, AtlassianError>> {
    return deps.verify(target, { http: deps.httpFor({ caCert }) });
  }

  async function appendAudit(
    actor: Actor,
    action: AuditAction,
    targetId: string | undefined,
    details: Record<string, string | number | boolean | null>,
  ): Promise<void> {
    await audit.append({
      at: clock.now(),
      actor,
      action,
      targetType: 'connection',
      ...(targetId ? { targetId } : {}),
      details,
    });
  }

  /** Applies an outcome to the status machine, stores it and the history event. Returns the updated connection. */
  async function record(
    c: Connection,
    outcome: { ok: true } | { ok: false; error: AtlassianError } | { expired: true },
  ): Promise<Connection> {
    const now = clock.now();
    const event =
      'expired' in outcome
        ? ({ type: 'token_expired' } as const)
        : outcome.ok
          ? ({ type: 'succeeded' } as const)
          : ({ type: 'failed', code: outcome.error.code } as const);
    const next = nextStatus(
      { status: c.status, consecutiveFailures: c.consecutiveFailures },
      event,
      deps.failureThreshold,
    );
    const lastError =
      'expired' in outcome
        ? {
            code: 'unauthorized' as const,
            message: 'The token passed its recorded expiry date; rotate the connection with a new token.',
          }
        : outcome.ok
          ? null
          : { code: outcome.error.code, message: safeMessage(outcome.error) };
    const updated = await connections.recordStatus(c.id, c.version, {
      status: next.status,
      consecutiveFailures: next.consecutiveFailures,
      lastCheckedAt: now,
      lastError,
    });
    if (!updated.ok) {
      // The connection was edited meanwhile: this outcome says nothing about the new settings.
      logger.info('check result discarded: the connection changed during the check', { connection: c.id });
      return (await connections.getById(c.id)) ?? c;
    }
    if (next.changed || c.status === 'unverified') {
      const reason: StatusChangeReason =
        'expired' in outcome ? 'token_expired' : outcome.ok ? 'succeeded' : outcome.error.code;
      await statusEvents.append({
        connectionId: c.id,
        fromStatus: c.status,
        toStatus: next.status,
        reasonCode: reason,
        ...(lastError ? { message: lastError.message } : {}),
        at: now,
      });
      logger.info('connection status changed', { connection: c.name, from: c.status, to: next.status, reason });
    }
    return updated.value;
  }

  async function verifyStored(actor: Actor, c: Connection): Promise<Result<VerifyOutcome, ConnectionError>> {
    const secrets = await openSecrets(c);
    if (!secrets.ok) return secrets;
    const result = await runVerify(targetOf(c, secrets.value), c.caCert);
    const updated = await record(c, result.ok ? { ok: true } : { ok: false, error: result.error });
    await appendAudit(
      actor,
      'connection.verify',
      c.id,
      result.ok ? { outcome: 'connected' } : { outcome: 'failed', code: result.error.code },
    );
    const outcome: VerifyOutcome = { connection: view(updated, clock.now()) };
    if (result.ok) outcome.report = result.value;
    else outcome.error = verificationFailed(result.error);
    return ok(outcome);
  }

  /** Edits that change where or how we connect need a fresh verify before they are kept. */
  function needsVerify(edit: ConnectionEdit): boolean {
    return [
      'url',
      'email',
      'orgId',
      'teamsUrl',
      'teamsEmail',
      'teamsSecret',
      'authMode',
      'gatewayUrl',
      'caCert',
      'secret',
    ].some((k) => edit[k as keyof ConnectionEdit] !== undefined);
  }

  async function applyEdit(
    actor: Actor,
    idOrName: string,
    rawEdit: ConnectionEdit,
    action: AuditAction,
  ): Promise<Result<VerifyOutcome, ConnectionError>> {
    const found = await find(idOrName);
    if (!found.ok) return found;
    const current = found.value;
    const checked = checkEdit(current.kind, rawEdit, deps.urlRules, clock.now());
    if (!checked.ok)
      return err({
        code: 'invalid_input',
        message: 'The edit is not valid; nothing was changed.',
        fields: checked.problems,
      });
    const edit = checked.value;
    if (edit.expectedVersion !== undefined && edit.expectedVersion !== current.version)
      return err(fromRepoError({ code: 'stale_version' } as RepoError));
    if (edit.name !== undefined && edit.name !== current.name) {
      const clash = await connections.getByName(edit.name);
      if (clash && clash.id !== current.id) return err(fromRepoError({ code: 'duplicate' } as RepoError));
    }

    const secrets = await openSecrets(current);
    if (!secrets.ok) return secrets;
    const nextSecrets: SecretBundle = {
      token: edit.secret !== undefined ? new OpenedSecret(edit.secret) : secrets.value.token,
    };
    const teams: OpenedSecret | undefined =
      edit.teamsSecret === null
        ? undefined
        : edit.teamsSecret !== undefined
          ? new OpenedSecret(edit.teamsSecret)
          : secrets.value.teamsToken;
    if (teams) nextSecrets.teamsToken = teams;
    const merged: Connection = {
      ...current,
      ...(edit.url !== undefined && edit.url !== null ? { url: edit.url } : {}),
      ...(edit.email !== undefined && edit.email !== null ? { email: edit.email } : {}),
      ...(edit.orgId !== undefined && edit.orgId !== null ? { orgId: edit.orgId } : {}),
      ...(edit.authMode !== undefined ? { authMode: edit.authMode } : {}),
    };
    for (const key of ['teamsUrl', 'teamsEmail', 'gatewayUrl', 'caCert'] as const) {
      const v = edit[key];
      if (v === null) delete merged[key];
      else if (v !== undefined) merged[key] = v;
    }

    let report: VerifyReport | undefined;
    if (needsVerify(edit)) {
      const result = await runVerify(targetOf(merged, nextSecrets), merged.caCert);
      if (!result.ok) {
        await appendAudit(actor, action, current.id, {
          outcome: 'refused',
          code: result.error.code,
          secretChanged: edit.secret !== undefined,
        });
        return err({
          ...verificationFailed(result.error),
          message: `${result.error.actionableMessage()} Nothing was changed.`,
        });
      }
      report = result.value;
    }

    const patch: ConnectionPatch = {};
    if (edit.name !== undefined) patch.name = edit.name;
    for (const key of [
      'url',
      'email',
      'orgId',
      'siteId',
      'teamsUrl',
      'teamsEmail',
      'gatewayUrl',
      'caCert',
      'tokenExpiresAt',
    ] as const) {
      const v = edit[key];
      if (v !== undefined) (patch as Record<string, unknown>)[key] = v;
    }
    if (edit.authMode !== undefined) patch.authMode = edit.authMode;
    if (edit.secret !== undefined || edit.teamsSecret !== undefined) {
      patch.secret = {
        sealed: sealBundle(deps.vault, current.id, nextSecrets.token.reveal(), nextSecrets.teamsToken?.reveal()),
        hint: maskSecret(nextSecrets.token.reveal()),
      };
      patch.teamsSecretHint = nextSecrets.teamsToken ? maskSecret(nextSecrets.teamsToken.reveal()) : null;
    }
    if (report) {
      Object.assign(patch, {
        status: 'connected',
        consecutiveFailures: 0,
        lastCheckedAt: clock.now(),
        lastError: null,
      });
      if (report.siteId && edit.siteId === undefined) patch.siteId = report.siteId;
    }
    if (edit.tokenExpiresAt !== undefined) patch.lastExpiryWarningDays = null;
    const updated = await connections.update(current.id, current.version, patch, clock.now());
    if (!updated.ok) return err(fromRepoError(updated.error));
    if (report && current.status !== 'connected') {
      await statusEvents.append({
        connectionId: current.id,
        fromStatus: current.status,
        toStatus: 'connected',
        reasonCode: 'succeeded',
        at: clock.now(),
      });
    }
    const changed = Object.keys(edit)
      .filter((k) => k !== 'expectedVersion' && k !== 'secret' && k !== 'teamsSecret')
      .join(',');
    await appendAudit(actor, action, current.id, {
      outcome: 'applied',
      fields: changed,
      secretChanged: edit.secret !== undefined,
      teamsSecretChanged: edit.teamsSecret !== undefined,
      verified: report !== undefined,
    });
    const outcome: VerifyOutcome = { connection: view(updated.value, clock.now()) };
    if (report) outcome.report = report;
    return ok(outcome);
  }

  return {
    async add(actor, input: NewConnectionInput) {
      const now = clock.now();
      const checked = checkNewConnection(input, deps.urlRules, now);
      if (!checked.ok)
        return err({
          code: 'invalid_input',
          message: 'The connection is not valid; nothing was stored.',
          fields: checked.problems,
        });
      const c = checked.value;
      if (await connections.getByName(c.name)) return err(fromRepoError({ code: 'duplicate' } as RepoError));
      const secrets: SecretBundle = { token: new OpenedSecret(c.secret) };
      if (c.teamsSecret) secrets.teamsToken = new OpenedSecret(c.teamsSecret);
      const draft = {
        kind: c.kind,
        url: c.url,
        authMode: c.authMode ?? 'direct',
        ...(c.email ? { email: c.email } : {}),
        ...(c.orgId ? { orgId: c.orgId } : {}),
        ...(c.teamsUrl ? { teamsUrl: c.teamsUrl } : {}),
        ...(c.teamsEmail ? { teamsEmail: c.teamsEmail } : {}),
        ...(c.gatewayUrl ? { gatewayUrl: c.gatewayUrl } : {}),
      } as const;
      const result = await runVerify(targetOf(draft, secrets), c.caCert);
      if (!result.ok) {
        await appendAudit(actor, 'connection.create', undefined, {
          outcome: 'refused',
          name: c.name,
          kind: c.kind,
          code: result.error.code,
        });
        return err({
          ...verificationFailed(result.error),
          message: `${result.error.actionableMessage()} Nothing was stored.`,
        });
      }
      const id = newId();
      const siteId = c.siteId ?? result.value.siteId;
      const inserted = await connections.insert({
        id,
        name: c.name,
        kind: c.kind,
        url: c.url,
        ...(c.email ? { email: c.email } : {}),
        ...(c.orgId ? { orgId: c.orgId } : {}),
        ...(siteId ? { siteId } : {}),
        ...(c.teamsUrl ? { teamsUrl: c.teamsUrl } : {}),
        ...(c.teamsEmail ? { teamsEmail: c.teamsEmail } : {}),
        ...(c.teamsSecret ? { teamsSecretHint: maskSecret(c.teamsSecret) } : {}),
        authMode: c.authMode ?? 'direct',
        ...(c.gatewayUrl ? { gatewayUrl: c.gatewayUrl } : {}),
        ...(c.caCert ? { caCert: c.caCert } : {}),
        ...(c.tokenExpiresAt ? { tokenExpiresAt: c.tokenExpiresAt } : {}),
        secret: { sealed: sealBundle(deps.vault, id, c.secret, c.teamsSecret), hint: maskSecret(c.secret) },
        status: 'connected',
        at: now,
      });
      if (!inserted.ok) return err(fromRepoError(inserted.error));
      const stored = await connections.recordStatus(id, inserted.value.version, {
        lastCheckedAt: now,
        consecutiveFailures: 0,
      });
      await statusEvents.append({ connectionId: id, toStatus: 'connected', reasonCode: 'created', at: now });
      await appendAudit(actor, 'connection.create', id, { outcome: 'created', name: c.name, kind: c.kind });
      logger.info('connection added', { connection: c.name, kind: c.kind });
      return ok({ connection: view(stored.ok ? stored.value : inserted.value, now), report: result.value });
    },

    async list(options = {}) {
      const page = await connections.list({
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
        ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
      });
      if (!page.ok) return err(fromRepoError(page.error));
      const now = clock.now();
      return ok({
        items: page.value.items.map((c) => view(c, now)),
        ...(page.value.nextCursor ? { nextCursor: page.value.nextCursor } : {}),
      });
    },

    async get(idOrName) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      const history = await statusEvents.listForConnection(found.value.id, { limit: 50 });
      const events = await audit.list({ target: { type: 'connection', id: found.value.id }, limit: 50 });
      return ok({
        connection: view(found.value, clock.now()),
        statusHistory: history.ok ? history.value.items : [],
        audit: events.ok ? events.value.items : [],
      });
    },

    async verify(actor, idOrName) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      return verifyStored(actor, found.value);
    },

    edit: (actor, idOrName, edit) => applyEdit(actor, idOrName, edit, 'connection.edit'),

    rotate(actor, idOrName, secret, options = {}) {
      const edit: ConnectionEdit = { secret };
      if (options.tokenExpiresAt !== undefined) edit.tokenExpiresAt = options.tokenExpiresAt;
      if (options.teamsSecret !== undefined) edit.teamsSecret = options.teamsSecret;
      return applyEdit(actor, idOrName, edit, 'connection.rotate_secret');
    },

    async dependents(idOrName) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      return ok(await deps.dependents.list(found.value.id));
    },

    async delete(actor, idOrName, options = {}) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      const c = found.value;
      const dependents: Dependent[] = await deps.dependents.list(c.id);
      if (dependents.length > 0 && !options.cascade) {
        return err({
          code: 'has_dependents',
          message: `'${c.name}' is used by ${dependents.length} other item(s); delete with cascade to remove them too. Nothing in Atlassian is ever deleted.`,
          dependents,
        });
      }
      if (dependents.length > 0) await deps.dependents.deleteAll(c.id);
      const deleted = await connections.delete(c.id);
      if (!deleted.ok) return err(fromRepoError(deleted.error));
      await appendAudit(actor, 'connection.delete', c.id, {
        outcome: 'deleted',
        name: c.name,
        kind: c.kind,
        cascaded: dependents.length,
      });
      logger.info('connection deleted', { connection: c.name, cascaded: dependents.length });
      return ok({ deleted: view(c, clock.now()), cascaded: dependents });
    },

    async checkHealth(actor) {
      let checked = 0;
      let changed = 0;
      let warnings = 0;
      let cursor: string | undefined;
      do {
        const page = await connections.list({ limit: 100, ...(cursor ? { cursor } : {}) });
        if (!page.ok) break;
        for (const c of page.value.items) {
          checked++;
          const now = clock.now();
          const before: AuthorizationStatus = c.status;
          if (c.tokenExpiresAt && c.tokenExpiresAt.getTime() <= now.getTime()) {
            // Past its recorded expiry the token is refused anyway: say so now, without waiting for a failure.
            const after = await record(c, { expired: true });
            if (after.status !== before) changed++;
            continue;
          }
          if (c.tokenExpiresAt) {
            const due = expiryWarningDue(c.tokenExpiresAt, now);
            if (due !== undefined && c.lastExpiryWarningDays !== due) {
              warnings++;
              logger.warn('connection token expires soon', {
                connection: c.name,
                daysLeft: Math.ceil((c.tokenExpiresAt.getTime() - now.getTime()) / DAY_MS),
                expiresAt: c.tokenExpiresAt.toISOString(),
              });
              await audit.append({
                at: now,
                actor,
                action: 'connection.expiry_warning',
                targetType: 'connection',
                targetId: c.id,
                details: { days: due, expiresAt: c.tokenExpiresAt.toISOString() },
              });
              await connections.recordStatus(c.id, c.version, { lastExpiryWarningDays: due });
            }
          }
          const fresh = (await connections.getById(c.id)) ?? c;
          const outcome = await verifyStored(actor, fresh);
          if (outcome.ok && outcome.value.connection.status !== before) changed++;
        }
        cursor = page.value.nextCursor;
      } while (cursor);
      return { checked, changed, warnings };
    },

    async rotateKeys(actor) {
      const rotated = await deps.rotateKeyRing();
      if (!rotated.ok) return err({ code: 'vault_error', message: rotated.error });
      const report = await resealAll({
        vault: deps.vault,
        items: connections.listSealedSecrets(),
        write: (id, next, previous) => connections.updateSealedSecret(id, next, previous),
      });
      for (const store of deps.otherSealedSecrets ?? []) {
        const more = await resealAll({
          vault: deps.vault,
          items: store.items(),
          write: (id, next, previous) => store.write(id, next, previous),
          ownerOf: (item) => store.ownerOf(item),
        });
        report.total += more.total;
        report.resealed += more.resealed;
        report.alreadyCurrent += more.alreadyCurrent;
        report.changedConcurrently += more.changedConcurrently;
        report.failed.push(...more.failed);
      }
      await audit.append({
        at: clock.now(),
        actor,
        action: 'vault.rotate_keys',
        targetType: 'vault',
        details: { keyId: rotated.value, total: report.total, resealed: report.resealed, failed: report.failed.length },
      });
      return ok({
        total: report.total,
        resealed: report.resealed,
        alreadyCurrent: report.alreadyCurrent,
        failed: report.failed.length,
        keyId: rotated.value,
      });
    },

    async open(idOrName) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      const secrets = await openSecrets(found.value);
      if (!secrets.ok) return secrets;
      return ok({
        connection: found.value,
        target: targetOf(found.value, secrets.value),
        http: deps.httpFor({ caCert: found.value.caCert }),
      });
    },

    async recordUse(connectionId, outcome) {
      const c = await connections.getById(connectionId);
      if (c) await record(c, outcome);
    },
  };
}
