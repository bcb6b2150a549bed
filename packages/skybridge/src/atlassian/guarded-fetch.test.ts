import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AtlassianError } from './atlassian-error.ts';
import { createGuardedFetch, createPinnedLookup, parseAllowedHosts } from './guarded-fetch.ts';
import type { FetchLike, Lookup } from './guarded-fetch.ts';

/** Rejection of `promise`, asserted to be an AtlassianError. */
async function failure(promise: Promise<unknown>): Promise<AtlassianError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AtlassianError);
  return error as AtlassianError;
}

function spyFetch(): FetchLike & ReturnType<typeof vi.fn> {
  return vi.fn<FetchLike>(() => Promise.resolve(new Response('{}', { status: 200 }))) as never;
}

function fixedLookup(...addresses: string[]): Lookup & ReturnType<typeof vi.fn> {
  return vi.fn<Lookup>(() =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))),
  ) as never;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A test server on 127.0.0.1 (never any other address), returning its origin. */
async function loopbackServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('address guard, before any connection', () => {
  const refused = [
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '127.0.0.1',
    '::1',
    'fe80::1',
    '169.254.169.254',
    '::ffff:10.0.0.1',
    '100.64.0.1',
    '0.0.0.0',
    'fd12:3456::1',
    '224.0.0.1',
  ];

  it.each(refused)('refuses a host name that resolves to %s without calling fetch', async (address) => {
    const fetch = spyFetch();
    const lookup = fixedLookup(address);
    const guarded = createGuardedFetch({ fetch, lookup });
    const error = await failure(guarded('https://jira.made-up.test/rest/api/3/myself'));
    expect(error.code).toBe('blocked_address');
    expect(lookup).toHaveBeenCalledWith('jira.made-up.test');
    expect(fetch).not.toHaveBeenCalled();
    // The internal address is not revealed to whoever typed the URL.
    expect(JSON.stringify(error)).not.toContain(address);
  });

  it.each(refused)('refuses the literal address %s in the URL without resolving or fetching', async (address) => {
    const fetch = spyFetch();
    const lookup = fixedLookup('93.184.216.34');
    const host = address.includes(':') ? `[${address}]` : address;
    const error = await failure(createGuardedFetch({ fetch, lookup })(`https://${host}/`));
    expect(error.code).toBe('blocked_address');
    expect(lookup).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses a host when any one of its addresses is internal', async () => {
    const fetch = spyFetch();
    const error = await failure(
      createGuardedFetch({ fetch, lookup: fixedLookup('93.184.216.34', '10.1.2.3') })('https://mixed.made-up.test/'),
    );
    expect(error.code).toBe('blocked_address');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('lets a public address through to the transport (the guard is not a blanket refusal)', async () => {
    const fetch = spyFetch();
    const res = await createGuardedFetch({ fetch, lookup: fixedLookup('93.184.216.34') })(
      'https://public.made-up.test/x',
    );
    expect(res.status).toBe(200);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]?.[0]).toBe('https://public.made-up.test/x');
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ redirect: 'manual' });
  });

  it('maps a resolver failure to dns', async () => {
    const fetch = spyFetch();
    const lookup: Lookup = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }));
    const error = await failure(createGuardedFetch({ fetch, lookup })('https://nowhere.made-up.test/'));
    expect(error.code).toBe('dns');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('times out a resolver that never answers, within the connect timeout', async () => {
    const fetch = spyFetch();
    const lookup: Lookup = () => new Promise(() => undefined);
    const error = await failure(
      createGuardedFetch({ fetch, lookup, connectTimeoutMs: 20 })('https://slow-dns.made-up.test/'),
    );
    expect(error.code).toBe('timeout');
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('URL rules', () => {
  it('refuses plain http to a host that is not allowed', async () => {
    const fetch = spyFetch();
    const lookup = fixedLookup('93.184.216.34');
    const error = await failure(createGuardedFetch({ fetch, lookup })('http://jira.made-up.test/'));
    expect(error.code).toBe('bad_url');
    expect(lookup).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses credentials inside the URL and never repeats them', async () => {
    const fetch = spyFetch();
    const error = await failure(
      createGuardedFetch({ fetch, lookup: fixedLookup('93.184.216.34') })(
        'https://me:hunter2secret@jira.made-up.test/',
      ),
    );
    expect(error.code).toBe('bad_url');
    expect(JSON.stringify(error)).not.toContain('hunter2secret');
    expect(error.message).not.toContain('hunter2secret');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses other schemes and unparseable URLs', async () => {
    const guarded = createGuardedFetch({ fetch: spyFetch(), allowedHosts: ['sim.local'] });
    expect((await failure(guarded('file:///etc/passwd'))).code).toBe('bad_url');
    expect((await failure(guarded('not a url'))).code).toBe('bad_url');
  });

  it('allows http and skips the guard for an allowed host, with or without a port', async () => {
    const fetch = spyFetch();
    const lookup = fixedLookup('10.0.0.1');
    const guarded = createGuardedFetch({ fetch, lookup, allowedHosts: ['sim.local', 'jira.internal:8443'] });
    await guarded('http://sim.local/s/acme/rest/api/3/serverInfo');
    await guarded('https://jira.internal:8443/jira/rest/api/2/myself');
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(lookup).not.toHaveBeenCalled();
    // The port is part of the entry: the same host on another port is guarded as usual.
    expect((await failure(guarded('https://jira.internal/'))).code).toBe('blocked_address');
  });

  it('parses SKYBRIDGE_ALLOWED_HOSTS', () => {
    expect(parseAllowedHosts(' 127.0.0.1:4010, Sim.Local  jira.corp ')).toEqual([
      '127.0.0.1:4010',
      'sim.local',
      'jira.corp',
    ]);
    expect(parseAllowedHosts(undefined)).toEqual([]);
  });
});

describe('DNS pinning', () => {
  const publicAddress: LookupAddress = { address: '93.184.216.34', family: 4 };

  it('connects to the address the guard checked, without asking DNS again (no rebinding window)', async () => {
    const resolve = vi.fn<Lookup>(() => Promise.resolve([{ address: '127.0.0.1', family: 4 }]));
    const resolveChecked = vi.fn<Lookup>(() => Promise.reject(new Error('must not be called')));
    const lookup = createPinnedLookup({
      pins: new Map([['jira.made-up.test', [publicAddress]]]),
      allowedNames: new Set(),
      resolve,
      resolveChecked,
    });
    const one = await new Promise((ok) =>
      lookup('Jira.Made-Up.test', {}, (e, address, family) => ok({ e, address, family })),
    );
    expect(one).toEqual({ e: null, address: '93.184.216.34', family: 4 });
    const all = await new Promise((ok) =>
      lookup('jira.made-up.test', { all: true }, (e, address) => ok({ e, address })),
    );
    expect(all).toEqual({ e: null, address: [publicAddress] });
    expect(resolve).not.toHaveBeenCalled();
    expect(resolveChecked).not.toHaveBeenCalled();
  });

  it('checks a host that has no pin, and passes the refusal to the connection', async () => {
    const refusal = new AtlassianError('blocked_address', { detail: 'x resolves to a loopback address' });
    const lookup = createPinnedLookup({
      pins: new Map(),
      allowedNames: new Set(['sim.local']),
      resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
      resolveChecked: () => Promise.reject(refusal),
    });
    const error = await new Promise((ok) => lookup('rebind.made-up.test', {}, (e) => ok(e)));
    expect(error).toBe(refusal);
    const allowed = await new Promise((ok) => lookup('sim.local', {}, (e, address) => ok({ e, address })));
    expect(allowed).toEqual({ e: null, address: '127.0.0.1' });
  });
});

describe('against a loopback server', () => {
  it('fetches through the default (pinned undici) transport', async () => {
    const origin = await loopbackServer((_req, res) => res.end('{"ok":true}'));
    const res = await createGuardedFetch({ allowedHosts: ['127.0.0.1'] })(`${origin}/hello`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('refuses a redirect to another host, without following it', async () => {
    const origin = await loopbackServer((_req, res) => {
      res.writeHead(302, { location: 'http://elsewhere.made-up.test/steal' }).end();
    });
    const lookup = fixedLookup('127.0.0.1');
    const error = await failure(createGuardedFetch({ allowedHosts: ['127.0.0.1'], lookup })(`${origin}/start`));
    expect(error.code).toBe('redirect_refused');
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses a redirect to the same host on another port (another origin)', async () => {
    const other = await loopbackServer((_req, res) => res.end('other'));
    const origin = await loopbackServer((_req, res) => res.writeHead(307, { location: `${other}/x` }).end());
    const error = await failure(createGuardedFetch({ allowedHosts: ['127.0.0.1'] })(`${origin}/`));
    expect(error.code).toBe('redirect_refused');
  });

  it('follows a same-origin redirect, keeping the headers, and turns a 303 after POST into a GET', async () => {
    const seen: string[] = [];
    const origin = await loopbackServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['authorization'] ?? ''}`);
      if (req.url === '/a') res.writeHead(301, { location: '/b' }).end();
      else if (req.url === '/post') res.writeHead(303, { location: '/done' }).end();
      else res.end(`at ${req.url}`);
    });
    const guarded = createGuardedFetch({ allowedHosts: ['127.0.0.1'] });
    const res = await guarded(`${origin}/a`, { headers: { authorization: 'Bearer t' } });
    expect(await res.text()).toBe('at /b');
    const posted = await guarded(`${origin}/post`, { method: 'POST', body: '{}' });
    expect(await posted.text()).toBe('at /done');
    expect(seen).toEqual(['GET /a Bearer t', 'GET /b Bearer t', 'POST /post ', 'GET /done ']);
  });

  it('gives up after maxRedirects', async () => {
    let hits = 0;
    const origin = await loopbackServer((_req, res) => {
      hits++;
      res.writeHead(302, { location: `/loop${hits}` }).end();
    });
    const error = await failure(createGuardedFetch({ allowedHosts: ['127.0.0.1'], maxRedirects: 2 })(`${origin}/`));
    expect(error.code).toBe('redirect_refused');
    expect(hits).toBe(3);
  });

  it('aborts a streamed body past the cap', async () => {
    const origin = await loopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Chunked, no content-length: only counting the stream can catch it.
      for (let i = 0; i < 8; i++) res.write('x'.repeat(512));
      res.end();
    });
    const res = await createGuardedFetch({ allowedHosts: ['127.0.0.1'], maxResponseBytes: 1024 })(origin);
    const error = await failure(res.text());
    expect(error.code).toBe('too_large');
  });

  it('refuses a declared content-length over the cap before reading', async () => {
    const origin = await loopbackServer((_req, res) =>
      res.writeHead(200, { 'content-length': '4096' }).end('y'.repeat(4096)),
    );
    const error = await failure(createGuardedFetch({ allowedHosts: ['127.0.0.1'], maxResponseBytes: 1024 })(origin));
    expect(error.code).toBe('too_large');
  });

  it('times out a server that never answers', async () => {
    let received = false;
    const origin = await loopbackServer(() => {
      received = true; // and never respond
    });
    const error = await failure(createGuardedFetch({ allowedHosts: ['127.0.0.1'], totalTimeoutMs: 100 })(origin));
    expect(error.code).toBe('timeout');
    expect(received).toBe(true);
  });

  it('times out a body that stalls after the headers', async () => {
    const origin = await loopbackServer((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    const res = await createGuardedFetch({ allowedHosts: ['127.0.0.1'], totalTimeoutMs: 150 })(origin);
    expect((await failure(res.text())).code).toBe('timeout');
  });

  it('maps a refused connection to connect', async () => {
    const origin = await loopbackServer(() => undefined);
    const server = servers.pop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const error = await failure(createGuardedFetch({ allowedHosts: ['127.0.0.1'] })(origin));
    expect(error.code).toBe('connect');
  });
});
