import { promises as dns } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { AtlassianError, coerceError } from './atlassian-error.ts';
import { classifyAddress, describeBlockReason } from './address-guard.ts';

/**
 * The ONE client for every request to a user-supplied host (a Jira or Confluence site, a Data Center instance,
 * the Admin API). Nothing in Skybridge calls `fetch` on a URL that came from a user except through this.
 *
 * What it enforces, in order:
 * 1. the URL parses, is https (plain http only for allowed hosts) and carries no `user:password@`;
 * 2. unless the host is allowed, every address the name resolves to is public (see `address-guard.ts`);
 *    one bad address refuses the whole host, since we cannot know which one a connection would use;
 * 3. the connection goes to an address that was checked (DNS pinning, below);
 * 4. redirects are followed by hand, only within the same origin, at most `maxRedirects` times, so a
 *    credential is never replayed to another host;
 * 5. a total deadline covers DNS, connect, headers and the body; a connect timeout covers DNS and TCP/TLS;
 * 6. the body is streamed through a byte counter and abandoned past `maxResponseBytes`.
 * Every failure is an `AtlassianError` (`bad_url`, `blocked_address`, `dns`, `tls`, `connect`, `timeout`,
 * `redirect_refused`, `too_large`).
 *
 * DNS pinning (why and how): checking the name and then letting the HTTP stack resolve it again leaves a window
 * in which a hostile DNS server answers "public" to the check and "127.0.0.1" to the connect (DNS rebinding).
 * So the default transport is undici with an `Agent` whose `connect.lookup` does not ask DNS when the guard has
 * just checked the name: it returns the addresses the guard accepted for that host (a per-client pin table,
 * refreshed by every request's check). If no pin exists (it always should) it resolves and checks itself, so the
 * address connected to is always one that passed the guard. The URL keeps the host name, so TLS still verifies
 * the certificate against the name (SNI), not against the IP. No proxy is used: a proxy would resolve the name
 * itself and defeat the pin.
 * An injected `fetch` (tests, the in-process simulator) gets the same checks but is responsible for its own
 * connection; it is only ever used with allowed hosts.
 */

/** A fetch-compatible function: what the guarded client returns and what it wraps. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Resolves a host name to all its addresses (like `dns.promises.lookup(name, { all: true })`). */
export type Lookup = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface GuardedFetchOptions {
  /**
   * Hosts (`name`, or `name:port`) exempt from the address guard and allowed over plain http: how tests and the
   * demo reach the simulator (`127.0.0.1:4010`, `sim.local`) and how an operator allows a Data Center instance on
   * the private network. Comes from `SKYBRIDGE_ALLOWED_HOSTS` (see `parseAllowedHosts`). Default: none.
   */
  allowedHosts?: readonly string[];
  /** DNS resolution plus TCP/TLS connect, in ms. Default 10 000. */
  connectTimeoutMs?: number;
  /** Everything, from DNS to the last byte of the body, in ms. Default 60 000. */
  totalTimeoutMs?: number;
  /** Largest response body accepted, in bytes (after decompression). Default 20 MiB. */
  maxResponseBytes?: number;
  /** Same-origin redirects followed before giving up. Default 3. */
  maxRedirects?: number;
  /** DNS resolver. Default `dns.promises.lookup(name, { all: true })`. */
  lookup?: Lookup;
  /**
   * The transport. Default: undici's fetch through a pinning `Agent` (see above). Tests pass the simulator's
   * `sim.fetch` here; an injected fetch does its own connecting, so the pin does not apply to it.
   */
  fetch?: FetchLike;
  /**
   * An extra CA certificate (PEM) to trust besides the system roots, for Data Center instances behind a private
   * CA. Only used by the default transport. Default: none.
   */
  ca?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_TOTAL_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 3;

/** Parses `SKYBRIDGE_ALLOWED_HOSTS`: comma- or space-separated `host` or `host:port`, case-insensitive. */
export function parseAllowedHosts(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[\s,]+/)
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0);
}

const defaultLookup: Lookup = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : '';
}

/** Rejects with the signal's reason when it aborts, otherwise settles like `promise` (failures coerced). */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(coerceError(e));
      },
    );
  });
}

interface RequestParts {
  url: string;
  method: string;
  headers: Headers;
  body: RequestInit['body'] | undefined;
  signal: AbortSignal | undefined;
}

async function toParts(input: string | URL | Request, init: RequestInit | undefined): Promise<RequestParts> {
  if (input instanceof Request) {
    const request = init ? new Request(input, init) : input;
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
    return {
      url: request.url,
      method: request.method,
      headers: new Headers(request.headers),
      body: hasBody ? await request.arrayBuffer() : undefined,
      signal: init?.signal ?? undefined,
    };
  }
  return {
    url: String(input),
    method: (init?.method ?? 'GET').toUpperCase(),
    headers: new Headers(init?.headers),
    body: init?.body ?? undefined,
    signal: init?.signal ?? undefined,
  };
}

/** Wraps the body in a byte counter that errors with `too_large` past `max`, and maps stream errors. */
function capBody(res: Response, max: number): Response {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) {
    void res.body?.cancel().catch(() => undefined);
    throw new AtlassianError('too_large', {
      status: res.status,
      detail: `the response declares ${declared} bytes; the cap is ${max}`,
    });
  }
  if (!res.body || NULL_BODY_STATUSES.has(res.status)) {
    return new Response(null, { status: res.status, statusText: res.statusText, headers: res.headers });
  }
  const reader = res.body.getReader();
  let seen = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        seen += value.byteLength;
        if (seen > max) {
          await reader.cancel().catch(() => undefined);
          controller.error(
            new AtlassianError('too_large', { status: res.status, detail: `the response exceeded ${max} bytes` }),
          );
          return;
        }
        controller.enqueue(value);
      } catch (error) {
        controller.error(coerceError(error));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(stream, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** Node's `lookup` callback shape, as `net.connect` calls it (with `all: true` when it wants every address). */
export type NodeLookup = LookupFunction;

/**
 * The connect-time resolver of the default transport: returns the addresses the guard pinned for the host, never
 * asking DNS again; without a pin, allowed hosts resolve normally and any other host is resolved and checked.
 */
export function createPinnedLookup(deps: {
  pins: ReadonlyMap<string, readonly LookupAddress[]>;
  allowedNames: ReadonlySet<string>;
  resolve: Lookup;
  resolveChecked: Lookup;
}): NodeLookup {
  return (hostname, lookupOptions, callback) => {
    const name = hostname.toLowerCase();
    const pinned = deps.pins.get(name);
    const resolved = pinned
      ? Promise.resolve(pinned)
      : deps.allowedNames.has(name)
        ? deps.resolve(hostname)
        : deps.resolveChecked(hostname);
    resolved.then(
      (addresses) => {
        const wanted = lookupOptions.family;
        const family = wanted === 4 || wanted === 'IPv4' ? 4 : wanted === 6 || wanted === 'IPv6' ? 6 : 0;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        const first = usable[0];
        if (!first) callback(Object.assign(new Error('no usable address'), { code: 'ENOTFOUND' }), '', 0);
        else if (lookupOptions.all) callback(null, [...usable]);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/** The guarded client. See the module comment for what it enforces. */
export function createGuardedFetch(options: GuardedFetchOptions = {}): FetchLike {
  const allowed = new Set((options.allowedHosts ?? []).map((h) => h.trim().toLowerCase()));
  const allowedNames = new Set([...allowed].map((h) => h.replace(/:\d+$/, '')));
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const totalTimeoutMs = options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const lookup = options.lookup ?? defaultLookup;
  /** Host name -> addresses the guard accepted for it most recently. */
  const pins = new Map<string, readonly LookupAddress[]>();

  const isAllowed = (url: URL): boolean => {
    const host = url.hostname.toLowerCase();
    return allowed.has(host) || allowed.has(`${host}:${url.port || defaultPort(url.protocol)}`);
  };

  /** Resolves `hostname` within the connect timeout and refuses it if any address is internal. */
  const resolveChecked = async (hostname: string, signal?: AbortSignal): Promise<readonly LookupAddress[]> => {
    const limit = AbortSignal.timeout(connectTimeoutMs);
    let addresses: readonly LookupAddress[];
    try {
      addresses = await raceSignal(lookup(hostname), signal ? AbortSignal.any([signal, limit]) : limit);
    } catch (error) {
      const coerced = coerceError(error);
      if (coerced.code === 'timeout' && limit.aborted) {
        throw new AtlassianError('timeout', {
          detail: `resolving ${hostname} took longer than ${connectTimeoutMs} ms`,
        });
      }
      // A resolver failure without a recognised code is still a DNS failure, not a connect one.
      throw coerced.code === 'connect'
        ? new AtlassianError('dns', { detail: `could not resolve ${hostname}` })
        : coerced;
    }
    if (addresses.length === 0) throw new AtlassianError('dns', { detail: `${hostname} has no addresses` });
    for (const { address } of addresses) {
      const reason = classifyAddress(address);
      // The resolved address is not echoed: telling a caller what an internal name resolves to is itself a leak.
      if (reason)
        throw new AtlassianError('blocked_address', {
          detail: `${hostname} resolves to ${describeBlockReason(reason)}`,
        });
    }
    return addresses;
  };

  /** Validates one URL (the first, or a redirect target) before anything is sent to it. */
  const check = async (raw: string, signal: AbortSignal): Promise<URL> => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new AtlassianError('bad_url', { detail: 'not a valid absolute URL' });
    }
    if (url.username || url.password) {
      throw new AtlassianError('bad_url', { detail: 'a user name or password inside the URL is not allowed' });
    }
    const hostAllowed = isAllowed(url);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && hostAllowed)) {
      throw new AtlassianError('bad_url', {
        detail:
          url.protocol === 'http:'
            ? `plain http is refused for ${url.host}; use https`
            : `the scheme ${url.protocol} is not supported`,
      });
    }
    if (hostAllowed) return url;
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(hostname)) {
      const reason = classifyAddress(hostname);
      if (reason)
        throw new AtlassianError('blocked_address', { detail: `the address is ${describeBlockReason(reason)}` });
      return url;
    }
    pins.set(hostname.toLowerCase(), await resolveChecked(hostname, signal));
    return url;
  };

  const transport: FetchLike = options.fetch ?? createPinnedTransport();

  function createPinnedTransport(): FetchLike {
    const agent = new Agent({
      connect: {
        timeout: connectTimeoutMs,
        ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}),
        lookup: createPinnedLookup({ pins, allowedNames, resolve: lookup, resolveChecked }),
      },
    });
    return async (input, init) => {
      // undici's own fetch with its own Agent: mixing the package's Agent with Node's bundled fetch is fragile.
      const response = await undiciFetch(String(input instanceof Request ? input.url : input), {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: agent,
      });
      return response;
    };
  }

  return async function guardedFetch(input, init) {
    const deadline = AbortSignal.timeout(totalTimeoutMs);
    try {
      const parts = await toParts(input, init);
      const signal = parts.signal ? AbortSignal.any([parts.signal, deadline]) : deadline;
      let { method, body } = parts;
      const headers = parts.headers;
      let current = parts.url;
      for (let hop = 0; ; hop++) {
        const url = await check(current, signal);
        const requestInit: RequestInit = { method, headers, redirect: 'manual', signal };
        if (body !== undefined) requestInit.body = body;
        const response = await transport(url.href, requestInit);
        const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
        if (location === null) return capBody(response, maxResponseBytes);
        await response.body?.cancel().catch(() => undefined);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new AtlassianError('redirect_refused', {
            status: response.status,
            detail: 'the redirect target is not a valid URL',
          });
        }
        if (next.origin !== url.origin) {
          throw new AtlassianError('redirect_refused', {
            status: response.status,
            detail: `redirect from ${url.host} to another origin (${next.protocol}//${next.host}) refused`,
          });
        }
        if (hop >= maxRedirects) {
          throw new AtlassianError('redirect_refused', {
            status: response.status,
            detail: `more than ${maxRedirects} redirects`,
          });
        }
        // As fetch does: 303, and 301/302 after a POST, become a GET without a body.
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          headers.delete('content-type');
          headers.delete('content-length');
        } else if (body instanceof ReadableStream) {
          throw new AtlassianError('redirect_refused', {
            status: response.status,
            detail: 'a streamed body cannot be re-sent to a redirect',
          });
        }
        current = next.href;
      }
    } catch (error) {
      const coerced = coerceError(error);
      if (coerced.code === 'timeout' && deadline.aborted && !coerced.detail?.startsWith('resolving')) {
        throw new AtlassianError('timeout', { detail: `no complete answer within ${totalTimeoutMs} ms` });
      }
      throw coerced;
    }
  };
}
