import type { ConnectionKind } from '../domain/connection-kinds.ts';
import { DEFAULT_GATEWAY_URL, KIND_TRAITS } from '../domain/connection-kinds.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { AtlassianError } from './atlassian-error.ts';
import type { AtlassianAuth, AtlassianHttp, AtlassianHttpOptions, OpenedSecretLike } from './http-client.ts';
import { pathOf } from './http-client.ts';

/**
 * Verify: the read-only calls that prove a credential works against its target and show what it can see.
 * This module only talks to Atlassian; recording the outcome (status, history, audit) is the connections
 * use-case's job.
 */

/** Everything verify needs to know about a target, with the secret opened for this one use. */
export interface VerifyTarget {
  kind: ConnectionKind;
  /** Site URL (cloud), base URL with context path (DC). For `atlassian-org`: the Admin API base. */
  url: string;
  email?: string;
  orgId?: string;
  /** Teams API base (`atlassian-org`). */
  teamsUrl?: string;
  teamsEmail?: string;
  teamsSecret?: OpenedSecretLike;
  /** Cloud kinds: `gateway` sends requests through `{gatewayUrl}/ex/{jira|confluence}/{cloudId}`. */
  authMode: 'direct' | 'gateway';
  /** Default `https://api.atlassian.com`. */
  gatewayUrl?: string;
  secret: OpenedSecretLike;
}

/** What a successful verify learnt. No secret, and nothing a viewer may not see. */
export interface VerifyReport {
  kind: ConnectionKind;
  product: {
    /** e.g. `Jira`, `Confluence`, `Atlassian Admin`. */
    name: string;
    version?: string;
    /** `Cloud`, `Server`, `DataCenter` as the server says; absent for the Admin API. */
    deploymentType?: string;
    buildNumber?: number;
    title?: string;
  };
  /** Who the credential acts as. Absent for an org API key (it is not an account). */
  account?: { id: string; displayName: string; email?: string; active?: boolean };
  /** The organization (`atlassian-org`). */
  org?: { id: string; name: string; users?: number };
  /** The cloud site id learnt from `/_edge/tenant_info` (cloud kinds). */
  siteId?: string;
  /** A sample of what the credential can see: up to 10 projects (Jira), spaces (Confluence) or users (org). */
  sample: { type: 'project' | 'space' | 'user'; items: Array<{ key?: string; id?: string; name: string }> };
  /** Cloud Jira: the account's permissions on each sampled project (`mypermissions`), by project key. */
  permissions?: Record<string, string[]>;
  /** Teams API check (`atlassian-org` with a Teams token): whether it answered, and a sample count. */
  teams?: { ok: true; sampled: number } | { ok: false; error: string };
  /** Things worth knowing that did not fail the check. */
  warnings: string[];
  /** HTTP requests the check made. */
  requests: number;
}

/** Builds one HTTP client per base URL + auth; the connections layer supplies guarded fetch, pacer and outcome hook. */
export type HttpFactory = (
  options: Pick<AtlassianHttpOptions, 'baseUrl' | 'auth'> & Partial<AtlassianHttpOptions>,
) => AtlassianHttp;

export interface VerifyDeps {
  http: HttpFactory;
}

export type VerifyFn = (target: VerifyTarget, deps: VerifyDeps) => Promise<Result<VerifyReport, AtlassianError>>;

/**
 * Wraps a factory so every client it builds also reports to a request counter: what `VerifyReport.requests` says.
 * The factory must pass `onOutcome` through to `createAtlassianHttp` (the hub's does, by spreading the options last);
 * an `onOutcome` the caller gave is still called.
 */
export function meterRequests(factory: HttpFactory): { http: HttpFactory; requests(): number } {
  let requests = 0;
  return {
    http: (options) =>
      factory({
        ...options,
        onOutcome: (outcome) => {
          requests += outcome.requests;
          options.onOutcome?.(outcome);
        },
      }),
    requests: () => requests,
  };
}

/**
 * A target URL as a base for `createAtlassianHttp`: origin and path, without a trailing slash, query or fragment.
 * Refused (`bad_url`, before anything is sent) when it does not parse or carries a user name or password, so that
 * nothing later silently drops or reuses them. The URL itself never goes into the error: it may hold a password.
 */
export function targetBaseUrl(url: string): Result<string, AtlassianError> {
  const parsed = URL.parse(url.trim());
  if (!parsed || !/^https?:$/.test(parsed.protocol)) {
    return err(new AtlassianError('bad_url', { detail: 'the connection URL is not a valid http(s) URL' }));
  }
  if (parsed.username || parsed.password) {
    return err(new AtlassianError('bad_url', { detail: 'a user name or password inside the URL is not allowed' }));
  }
  return ok(`${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`);
}

/**
 * The auth a target's kind uses (`KIND_TRAITS`): Basic email:API-token for cloud kinds, Bearer for an org API key or
 * a Data Center personal access token. A cloud target without an email is a caller bug (the connections layer
 * requires it), so it throws.
 */
export function targetAuth(target: VerifyTarget): AtlassianAuth {
  if (KIND_TRAITS[target.kind].auth === 'bearer') return { type: 'bearer', token: target.secret };
  if (!target.email) throw new TypeError(`verify: a ${target.kind} target needs an email`);
  return { type: 'basic', email: target.email, token: target.secret };
}

/** `{gatewayUrl}/ex/{product}/{cloudId}`: where a cloud product's REST API is reached in `gateway` auth mode. */
export function gatewayBaseUrl(target: VerifyTarget, product: 'jira' | 'confluence', cloudId: string): string {
  const gateway = (target.gatewayUrl ?? DEFAULT_GATEWAY_URL).replace(/\/+$/, '');
  return `${gateway}${pathOf`/ex/${product}/${cloudId}`}`;
}
