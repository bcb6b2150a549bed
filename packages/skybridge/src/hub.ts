import type { ApiTokensService } from './access/api-tokens-service.ts';
import type { Config } from './config.ts';
import type { ConnectionsService } from './connections/connections-service.ts';
import type { Clock } from './domain/clock.ts';
import type { FetchLike } from './atlassian/guarded-fetch.ts';
import type { Logger } from './observability/logger.ts';

/**
 * The composition root: `createHub(config)` opens the database, loads the key ring, builds the outbound client
 * and the use-cases, and returns them with `close()`. The HTTP API (`http/`) and the CLI (`cli/`) are built on a
 * hub; nothing else constructs services.
 */
export interface Hub {
  config: Config;
  connections: ConnectionsService;
  apiTokens: ApiTokensService;
  logger: Logger;
  clock: Clock;
  /** What happened on this start that a person must be told (printed by `serve` and the CLI). */
  firstStart: { keyFileCreated: boolean; keyFile?: string };
  /** Starts the periodic health check (every `config.healthIntervalMs`). `serve` calls it; the CLI does not. */
  startScheduler(): void;
  close(): Promise<void>;
}

export interface HubOptions {
  clock?: Clock;
  logger?: Logger;
  /**
   * The transport under the guarded client. Default: undici with DNS pinning. Tests pass the simulator's in-process
   * `fetch` here; the address guard, timeouts and size caps still apply.
   */
  fetch?: FetchLike;
  /** DNS resolver for the address guard (tests). */
  lookup?: (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;
  /** Test hook: no jitter, no real waiting between retries. */
  sleep?: (ms: number) => Promise<void>;
}
