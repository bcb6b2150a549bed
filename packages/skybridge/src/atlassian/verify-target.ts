import type { ConnectionKind } from '../domain/connection-kinds.ts';
import type { Result } from '../domain/result.ts';
import type { AtlassianError } from './atlassian-error.ts';
import type { AtlassianHttp, AtlassianHttpOptions, OpenedSecretLike } from './http-client.ts';

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
export type HttpFactory = (options: Pick<AtlassianHttpOptions, 'baseUrl' | 'auth'> & Partial<AtlassianHttpOptions>) => AtlassianHttp;

export interface VerifyDeps {
  http: HttpFactory;
}

export type VerifyFn = (target: VerifyTarget, deps: VerifyDeps) => Promise<Result<VerifyReport, AtlassianError>>;
