import type { ApiToken, ApiTokenRole } from '../domain/connection.ts';
import type { Result } from '../domain/result.ts';
import type { Actor } from '../connections/connections-service.ts';

/**
 * Who may call the hub's API. Tokens are random, shown once, stored only as a SHA-256 hash. Roles: `owner` and
 * `admin` may change things (owner also manages tokens); `viewer` sees connections and their status, never
 * changes them, and never sees a secret (nobody does).
 */
export const ROLE_RANK: Record<ApiTokenRole, number> = { viewer: 1, admin: 2, owner: 3 };

export function roleAllows(role: ApiTokenRole, needed: ApiTokenRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export interface ApiTokensError {
  code: 'invalid_input' | 'not_found' | 'duplicate_name';
  message: string;
  fields?: Array<{ field: string; message: string }>;
}

export interface ApiTokensService {
  /** The unrevoked token this bearer value belongs to (and records its use), or undefined. */
  authenticate(bearer: string): Promise<ApiToken | undefined>;
  /** Creates a token; `token` is the only time its value is ever shown. */
  create(
    actor: Actor,
    input: { name: string; role: ApiTokenRole },
  ): Promise<Result<{ token: string; apiToken: ApiToken }, ApiTokensError>>;
  list(): Promise<ApiToken[]>;
  revoke(actor: Actor, id: string): Promise<Result<ApiToken, ApiTokensError>>;
  /** First start: when no token exists at all, creates the owner token and returns it (printed once). */
  ensureOwner(actor: Actor): Promise<{ created: true; token: string } | { created: false }>;
}
