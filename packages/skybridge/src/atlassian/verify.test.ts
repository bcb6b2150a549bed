import { describe, expect, it, vi } from 'vitest';
import type { ConnectionKind } from '../domain/connection-kinds.ts';
import { createManualClock } from '../domain/clock.ts';
import { createGuardedFetch } from './guarded-fetch.ts';
import type { FetchLike, Lookup } from './guarded-fetch.ts';
import { createAtlassianHttp } from './http-client.ts';
import type { RequestOutcome } from './http-client.ts';
import { createRetryPolicy } from './retry-policy.ts';
import { verifyTarget } from './verify.ts';
import type { HttpFactory, VerifyTarget } from './verify-target.ts';
import { meterRequests, targetBaseUrl } from './verify-target.ts';

/**
 * Failures that happen before Atlassian answers come from the guarded fetch, for every kind. No network: the
 * resolver and the transport are injected, and the transport must not even be called when the guard refuses.
 */

const TOKEN = 'ATATT3xUnitTestToken0123456789abcdef';

function harness(o: { lookup: Lookup; fetch?: FetchLike }) {
  const fetch = vi.fn<FetchLike>(o.fetch ?? (() => Promise.resolve(Response.json({}))));
  const lookup = vi.fn<Lookup>(o.lookup);
  const clock = createManualClock('2026-11-22T10:00:00Z');
  const guardedFetch = createGuardedFetch({ fetch, lookup });
  const http: HttpFactory = (options) =>
    createAtlassianHttp({
      guardedFetch,
      clock,
      sleep: (ms) => {
        clock.advance(ms);
        return Promise.resolve();
      },
      retryPolicy: createRetryPolicy({ random: () => 0.5 }),
      ...options,
    });
  return { fetch, lookup, http };
}

function target(kind: ConnectionKind, url: string): VerifyTarget {
  return {
    kind,
    url,
    email: 'mia@acme.example',
    orgId: 'f0b13e05-b16b-41fd-ad86-e56bf5f92722',
    authMode: 'direct',
    secret: { reveal: () => TOKEN },
  };
}

const KINDS: ConnectionKind[] = ['jira-cloud', 'confluence-cloud', 'jira-dc', 'confluence-dc', 'atlassian-org'];

const publicAddress: Lookup = () => Promise.resolve([{ address: '93.184.216.34', family: 4 }]);

describe('verifyTarget: failures before Atlassian answers', () => {
  it.each(KINDS)('%s: a host that does not resolve is dns, and nothing is sent', async (kind) => {
    const env = harness({ lookup: () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })) });
    const result = await verifyTarget(target(kind, 'https://acme.example.invalid'), { http: env.http });
    expect(result).toMatchObject({ ok: false, error: { code: 'dns' } });
    expect(env.lookup).toHaveBeenCalledWith('acme.example.invalid');
    expect(env.fetch).not.toHaveBeenCalled();
  });

  it.each(KINDS)('%s: a host on a private address is refused before any connection', async (kind) => {
    const env = harness({ lookup: () => Promise.resolve([{ address: '10.1.2.3', family: 4 }]) });
    const result = await verifyTarget(target(kind, 'https://jira.corp.example'), { http: env.http });
    expect(result).toMatchObject({ ok: false, error: { code: 'blocked_address' } });
    expect(env.fetch).not.toHaveBeenCalled();
    expect(JSON.stringify(result)).not.toContain('10.1.2.3');
  });

  it.each(KINDS)('%s: an untrusted certificate is tls, tried once', async (kind) => {
    const env = harness({
      lookup: publicAddress,
      fetch: () =>
        Promise.reject(
          new TypeError('fetch failed', {
            cause: Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }),
          }),
        ),
    });
    const result = await verifyTarget(target(kind, 'https://jira.acme.example'), { http: env.http });
    expect(result).toMatchObject({ ok: false, error: { code: 'tls', detail: 'CERT_HAS_EXPIRED' } });
    expect(env.fetch).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['plain http to a host that is not allowed', 'http://jira.acme.example'],
    ['a URL that does not parse', 'jira dot acme'],
    ['another scheme', 'ftp://jira.acme.example'],
  ])('%s is bad_url, and nothing is resolved or sent', async (_name, url) => {
    const env = harness({ lookup: publicAddress });
    const result = await verifyTarget(target('jira-cloud', url), { http: env.http });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_url' } });
    expect(env.lookup).not.toHaveBeenCalled();
    expect(env.fetch).not.toHaveBeenCalled();
  });

  it('a password inside the URL is bad_url, and the password is not repeated', async () => {
    const env = harness({ lookup: publicAddress });
    const result = await verifyTarget(target('jira-dc', 'https://admin:hunter2secret@jira.acme.example/jira'), {
      http: env.http,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_url' } });
    expect(JSON.stringify(result)).not.toContain('hunter2secret');
    if (!result.ok) expect(result.error.message).not.toContain('hunter2secret');
    expect(env.fetch).not.toHaveBeenCalled();
  });

  it('the token never appears in what the transport failure produced', async () => {
    const env = harness({
      lookup: publicAddress,
      // A transport error whose own message carries the credential: it must not be copied.
      fetch: () =>
        Promise.reject(new Error(`connect failed for Basic ${Buffer.from(`mia:${TOKEN}`).toString('base64')}`)),
    });
    const result = await verifyTarget(target('jira-cloud', 'https://jira.acme.example'), { http: env.http });
    expect(result).toMatchObject({ ok: false, error: { code: 'connect' } });
    const text = JSON.stringify(result) + (result.ok ? '' : result.error.message);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(`mia:${TOKEN}`).toString('base64'));
  });
});

describe('targetBaseUrl', () => {
  it.each([
    ['https://acme.atlassian.net/', 'https://acme.atlassian.net'],
    ['https://acme.atlassian.net/wiki/?x=1#y', 'https://acme.atlassian.net/wiki'],
    ['  https://jira.corp.example/jira//  ', 'https://jira.corp.example/jira'],
  ])('%s → %s', (input, expected) => {
    expect(targetBaseUrl(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['', 'acme.atlassian.net', 'file:///etc/passwd', 'https://u:p@acme.atlassian.net'])('refuses %j', (input) => {
    expect(targetBaseUrl(input)).toMatchObject({ ok: false, error: { code: 'bad_url' } });
  });
});

describe('meterRequests', () => {
  it('counts the requests of every client it built, and still calls the caller’s own hook', () => {
    const outcomes: Array<(o: RequestOutcome) => void> = [];
    const factory: HttpFactory = (options) => {
      if (options.onOutcome) outcomes.push(options.onOutcome);
      return createAtlassianHttp({
        guardedFetch: () => Promise.reject(new Error('unused')),
        clock: createManualClock(0),
        ...options,
      });
    };
    const own = vi.fn();
    const meter = meterRequests(factory);
    meter.http({
      baseUrl: 'https://a.example',
      auth: { type: 'bearer', token: { reveal: () => 'x' } },
      onOutcome: own,
    });
    meter.http({ baseUrl: 'https://b.example', auth: { type: 'bearer', token: { reveal: () => 'x' } } });
    const outcome = { ok: true, method: 'GET', route: '/', requests: 3, retries: 2, rateLimited: 2 };
    for (const report of outcomes) report(outcome);
    expect(meter.requests()).toBe(6);
    expect(own).toHaveBeenCalledTimes(1);
  });
});
