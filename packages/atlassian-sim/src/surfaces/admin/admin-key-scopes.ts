import { randomBytes } from 'node:crypto';
import type { SimState } from '../../state.ts';
import type { TokenStore } from '../../behaviour/tokens.ts';
import { parseAuthorization } from '../../behaviour/tokens.ts';
import type { RouteContext } from '../route.ts';

/** OAuth-style scopes an Admin API key can be limited to (the spec's `oauth2` scopes, API-NOTES §2.2). */
export const ADMIN_SCOPES = [
  'read:org:admin',
  'read:directories:admin',
  'read:user:admin',
  'write:user:admin',
  'read:group:admin',
  'write:group:admin',
  'read:domains:admin',
  'read:events:admin',
  'read:accounts:admin',
  'read:workspaces:admin',
] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

/**
 * Admin keys created "with scopes" in admin.atlassian.com. The world's own keys are unscoped (full access); a scoped
 * key exists only when a test or the demo issues one. Kept per token store, so a reset (which clears the store's
 * tokens) also makes every scoped key unknown.
 */
const scopedKeys = new WeakMap<TokenStore, Map<string, ReadonlySet<AdminScope>>>();

export function issueScopedAdminKey(state: SimState, orgIdx: number, scopes: readonly AdminScope[]): string {
  const key = `ATCTT3xFfGN0${randomBytes(28).toString('hex')}`;
  state.tokens.add(key, { kind: 'org-key', orgIdx });
  const keys = scopedKeys.get(state.tokens) ?? new Map<string, ReadonlySet<AdminScope>>();
  keys.set(key, new Set(scopes));
  scopedKeys.set(state.tokens, keys);
  return key;
}

/** Whether the caller's key may use `scope`: unscoped keys may use everything. */
export function keyAllows(ctx: RouteContext, scope: AdminScope): boolean {
  const header = parseAuthorization(ctx.c.req.header('authorization'));
  if (header.scheme !== 'bearer') return true;
  const scopes = scopedKeys.get(ctx.state.tokens)?.get(header.token);
  return scopes === undefined || scopes.has(scope);
}
