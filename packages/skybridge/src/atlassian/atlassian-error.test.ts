import { describe, expect, it } from 'vitest';
import { ATLASSIAN_ERROR_CODES } from '../domain/atlassian-error-code.ts';
import { AtlassianError, coerceError, formatWait, safeDetail } from './atlassian-error.ts';

const TOKEN = 'ATATT3xFfGF0E31D80A0dc852c177a3e90c11859363bde521680b88a4b3c1adf5573';
const PAT = '5tkTv1Xb9SvgRxdEybMwBomnT7Tce5fukwn2Nt4TVmmp';

describe('AtlassianError', () => {
  it('has a distinct actionable message for every code', () => {
    const messages = ATLASSIAN_ERROR_CODES.map((code) => new AtlassianError(code).actionableMessage());
    expect(new Set(messages).size).toBe(ATLASSIAN_ERROR_CODES.length);
    for (const m of messages) expect(m.length).toBeGreaterThan(40);
  });

  it('says what to do for the credential failures', () => {
    expect(new AtlassianError('unauthorized', { status: 401 }).actionableMessage()).toBe(
      'Atlassian refused the credential (401). The API token may be wrong, expired or revoked: create a new one at id.atlassian.com → Security → API tokens (or a new personal access token / org API key) and rotate the connection.',
    );
    expect(new AtlassianError('authenticated_failed').actionableMessage()).toContain(
      'served the request anonymously (X-Seraph-LoginReason: AUTHENTICATED_FAILED)',
    );
    expect(new AtlassianError('authenticated_failed').actionableMessage()).toContain('the token has probably expired');
    expect(new AtlassianError('basic_auth_disabled').actionableMessage()).toContain('personal access token');
    expect(new AtlassianError('rate_limited', { retryAfterMs: 125_000 }).actionableMessage()).toContain(
      'Retry after 2 min 5 s',
    );
    expect(new AtlassianError('forbidden', { permission: 'Administer Jira' }).actionableMessage()).toContain(
      '"Administer Jira" permission',
    );
    expect(new AtlassianError('not_found', { status: 404 }).actionableMessage()).toContain('cannot see it');
  });

  it('serialises only allow-listed fields', () => {
    const error = new AtlassianError('server_error', { status: 502, retryAfterMs: 1000, detail: 'Bad gateway' });
    Object.assign(error, { request: { headers: { authorization: `Basic ${TOKEN}` } } });
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['code', 'detail', 'message', 'name', 'retryAfterMs', 'status']);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('scrubs secrets out of any detail it is given', () => {
    const error = new AtlassianError('bad_request', {
      detail: `token ${TOKEN} at https://me:hunter2@acme.atlassian.net?api_key=abc123 with Bearer ${PAT}`,
    });
    for (const secret of [TOKEN, 'hunter2', 'abc123', PAT]) {
      expect(error.detail).not.toContain(secret);
      expect(error.message).not.toContain(secret);
    }
  });
});

describe('safeDetail', () => {
  it('keeps ordinary Atlassian text intact', () => {
    expect(safeDetail("Field 'priority' is required")).toBe("Field 'priority' is required");
    expect(safeDetail('Issue does not exist or you do not have permission to see it.')).toBe(
      'Issue does not exist or you do not have permission to see it.',
    );
    expect(safeDetail('null for uri: http://sim.local/s/acme/rest/api/3/no-such-thing')).toBe(
      'null for uri: http://sim.local/s/acme/rest/api/3/no-such-thing',
    );
  });

  it('truncates and strips control characters', () => {
    expect(safeDetail('a\r\nb')).toBe('a b');
    const long = safeDetail('word '.repeat(200));
    expect(long.length).toBe(300);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('coerceError', () => {
  it('returns an AtlassianError unchanged, even from a cause chain', () => {
    const inner = new AtlassianError('blocked_address');
    expect(coerceError(inner)).toBe(inner);
    expect(coerceError(new TypeError('fetch failed', { cause: inner }))).toBe(inner);
  });

  it('maps fetch failures by their cause code, keeping only the code', () => {
    const cases: Array<[string, string]> = [
      ['ENOTFOUND', 'dns'],
      ['ECONNREFUSED', 'connect'],
      ['ECONNRESET', 'connect'],
      ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
      ['CERT_HAS_EXPIRED', 'tls'],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ];
    for (const [code, expected] of cases) {
      const cause = Object.assign(new Error(`connect ${code} https://me:${TOKEN}@host`), { code });
      const error = coerceError(new TypeError('fetch failed', { cause }));
      expect(error.code).toBe(expected);
      expect(error.detail).toBe(code);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    }
  });

  it('maps timeouts and aborts', () => {
    expect(coerceError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).code).toBe(
      'timeout',
    );
    expect(coerceError(new DOMException('aborted', 'AbortError')).code).toBe('timeout');
  });

  it('never copies an unknown message', () => {
    const error = coerceError(new Error(`Authorization: Basic ${TOKEN}`));
    expect(error.code).toBe('connect');
    expect(error.detail).toBe('unexpected failure (Error)');
    expect(coerceError('a string with a secret').detail).toBe('unexpected failure');
    expect(coerceError(undefined).code).toBe('connect');
  });
});

describe('formatWait', () => {
  it('rounds up to seconds and reads naturally', () => {
    expect(formatWait(1)).toBe('1 s');
    expect(formatWait(30_000)).toBe('30 s');
    expect(formatWait(3_600_000)).toBe('1 h');
    expect(formatWait(3_725_000)).toBe('1 h 2 min');
  });
});

describe('safeDetail and Authorization values', () => {
  it('masks a header value but keeps prose about the scheme', () => {
    expect(safeDetail('sent Authorization: Basic bWVAYWNtZTpzZWNyZXQ=')).toBe('sent Authorization: Basic ••••');
    expect(safeDetail('Bearer abc.def.ghi-jkl_mno')).toBe('Bearer ••••');
    expect(safeDetail('Basic authentication with passwords is deprecated.')).toBe(
      'Basic authentication with passwords is deprecated.',
    );
    expect(safeDetail('The API token is invalid')).toBe('The API token is invalid');
  });
});
