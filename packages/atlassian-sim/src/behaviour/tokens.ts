import type { Random } from '../random.ts';

/** Who a credential belongs to. Cloud API tokens belong to an org account; admin keys to an org; PATs to a DC user. */
export type Principal =
  | { kind: 'cloud-user'; orgIdx: number; userIdx: number }
  | { kind: 'org-key'; orgIdx: number }
  | { kind: 'dc-user'; instanceIdx: number; userIdx: number };

export interface TokenRecord {
  token: string;
  principal: Principal;
  createdAt: number;
  /** Epoch ms; absent means no expiry. */
  expiresAt?: number;
  revoked: boolean;
}

export type TokenCheck =
  | { status: 'ok'; record: TokenRecord }
  | { status: 'unknown' }
  | { status: 'expired'; record: TokenRecord }
  | { status: 'revoked'; record: TokenRecord };

export interface TokenStore {
  add(token: string, principal: Principal, expiresAt?: number): TokenRecord;
  check(token: string): TokenCheck;
  revoke(token: string): boolean;
  expire(token: string): boolean;
  /** Every token, for `reset` and for tests. */
  all(): Iterable<TokenRecord>;
  clear(): void;
}

export function createTokenStore(now: () => number): TokenStore {
  const tokens = new Map<string, TokenRecord>();
  return {
    add(token, principal, expiresAt) {
      const record: TokenRecord = { token, principal, createdAt: now(), revoked: false };
      if (expiresAt !== undefined) record.expiresAt = expiresAt;
      tokens.set(token, record);
      return record;
    },
    check(token) {
      const record = tokens.get(token);
      if (!record) return { status: 'unknown' };
      if (record.revoked) return { status: 'revoked', record };
      if (record.expiresAt !== undefined && now() >= record.expiresAt) return { status: 'expired', record };
      return { status: 'ok', record };
    },
    revoke(token) {
      const record = tokens.get(token);
      if (!record) return false;
      record.revoked = true;
      return true;
    },
    expire(token) {
      const record = tokens.get(token);
      if (!record) return false;
      record.expiresAt = now() - 1;
      return true;
    },
    all: () => tokens.values(),
    clear: () => tokens.clear(),
  };
}

/** Parses `Authorization` into its scheme and credentials without judging them. */
export type AuthHeader =
  | { scheme: 'basic'; user: string; secret: string }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'none' }
  | { scheme: 'malformed' };

export function parseAuthorization(header: string | undefined | null): AuthHeader {
  if (!header) return { scheme: 'none' };
  const space = header.indexOf(' ');
  if (space < 0) return { scheme: 'malformed' };
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value ? { scheme: 'bearer', token: value } : { scheme: 'malformed' };
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { scheme: 'malformed' };
    return { scheme: 'basic', user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  return { scheme: 'malformed' };
}

export function issueToken(random: Random, kind: Principal['kind']): string {
  if (kind === 'org-key') return `ATCTT3xFfGN0${random.hex(8).toUpperCase()}${random.hex(48)}`;
  if (kind === 'dc-user')
    return Buffer.from(random.hex(66), 'hex').toString('base64').replace(/[+/=]/g, 'x').slice(0, 44);
  return `ATATT3xFfGF0${random.hex(8).toUpperCase()}${random.hex(48)}`;
}
