import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

/**
 * Serves an app over HTTP with Node's server. Loopback by default: exposing the API beyond this machine is an
 * explicit choice (`SKYBRIDGE_HOST`), best made behind a TLS-terminating proxy.
 */
export interface ServeOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default `0`: any free port (tests); `url` says which. */
  port?: number;
  /** Longest time a request may take to arrive, in ms. Default 30 000. */
  requestTimeoutMs?: number;
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  /** Stops accepting connections, ends idle ones, and resolves when the server has closed. */
  close(): Promise<void>;
}

/** A minimal view of the app, so any Hono app (whatever its Env type) can be served. */
export interface Fetchable {
  fetch: (request: Request) => Response | Promise<Response>;
}

export function serveHttp(app: Fetchable, options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: (request: Request) => app.fetch(request),
        hostname: host,
        port: options.port ?? 0,
        serverOptions: { requestTimeout: options.requestTimeoutMs ?? 30_000 },
      },
      (info: AddressInfo) => {
        server.off('error', reject);
        const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${shownHost}:${info.port}`,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((error) => (error ? fail(error) : done()));
              if ('closeIdleConnections' in server) server.closeIdleConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
