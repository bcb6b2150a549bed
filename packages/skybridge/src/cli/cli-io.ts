import type { Writable } from 'node:stream';
import type { Config } from '../config.ts';
import type { Result } from '../domain/result.ts';
import type { Hub } from '../hub.ts';
import type { SecretIo } from './read-secret.ts';

/**
 * What the CLI touches of the outside world, injected so tests run it in-process: the arguments, the environment,
 * the three standard streams, and the factories for the hub and the HTTP server.
 */
export interface CliIo {
  /** The arguments after the program name (`process.argv.slice(2)`). */
  argv: readonly string[];
  env: Record<string, string | undefined>;
  stdin: SecretIo['stdin'];
  stdout: Writable;
  stderr: Writable;
}

/** Exit codes, and nothing else: only `cli/` knows them. */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The operation failed: verification failed, the connection has dependents, the database is unreachable. */
  failed: 1,
  /** Bad usage or input: an unknown flag, a missing or malformed value. Nothing was changed. */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Builds the hub (`createHub` from `../hub.ts` by default; tests pass a factory that returns fakes). */
export type HubFactory = (config: Config) => Promise<Result<Hub, string[]>>;

/** A listening HTTP server, as `serve` needs it. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:8080`. */
  url: string;
  close(): Promise<void>;
}

/** Starts the HTTP API for a hub (`createHttpApp` + `serveHttp` from `../http/` by default). */
export type HttpServerFactory = (hub: Hub, listen: { host: string; port: number }) => Promise<RunningServer>;

/** What the CLI needs besides I/O. Every field has a production default in `run-cli.ts`. */
export interface CliDeps {
  createHub: HubFactory;
  startHttpServer: HttpServerFactory;
  /** The OS user name, for the audit actor `cli:<user>`. Default: `os.userInfo()`, then `$USER`. */
  username: () => string;
  /** Resolves with the signal's name when the process is asked to stop (SIGINT or SIGTERM). */
  waitForShutdown: () => Promise<string>;
}
