import { createRandom, type Random } from './random.ts';
import { createTokenStore, type Principal, type TokenStore } from './behaviour/tokens.ts';
import {
  createBuckets,
  createPerIssueWindows,
  DEFAULT_RATE_LIMITS,
  type RateLimitSettings,
} from './behaviour/rate-limit.ts';
import { DEFAULT_FAULTS, type FaultSettings } from './behaviour/faults.ts';
import type { World } from './world/types.ts';

/** Everything the simulator holds for the life of the process. */
export interface SimState {
  world: World;
  /** Origin the simulator is reachable at, e.g. `http://127.0.0.1:4010`; `self` links are built from it. */
  baseUrl: string;
  now: () => number;
  /** Drives latency jitter and faults; reseeded on reset so runs are reproducible. */
  random: Random;
  tokens: TokenStore;
  /** The credentials handed out at start (printed in the JSON line). */
  issued: { orgKeys: string[]; orgAdminTokens: string[]; dcPats: string[] };
  rateLimits: RateLimitSettings;
  faults: FaultSettings;
  buckets: ReturnType<typeof createBuckets>;
  perIssue: ReturnType<typeof createPerIssueWindows>;
  /** Counts by `METHOD route status`. */
  requestCounts: Map<string, number>;
  /** Regenerates the world from its seed and forgets every write, token, count and bucket. Set by the simulator. */
  reset: () => Promise<void>;
}

export interface StateOptions {
  world: World;
  baseUrl: string;
  seed: number;
  rateLimits?: Partial<RateLimitSettings>;
  faults?: Partial<FaultSettings>;
  now?: () => number;
}

export function createState(options: StateOptions): SimState {
  const now = options.now ?? Date.now;
  const state: SimState = {
    world: options.world,
    baseUrl: options.baseUrl,
    now,
    random: createRandom(`faults-${options.seed}`),
    tokens: createTokenStore(now),
    issued: { orgKeys: [], orgAdminTokens: [], dcPats: [] },
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
    faults: { ...DEFAULT_FAULTS, ...options.faults },
    buckets: createBuckets(now),
    perIssue: createPerIssueWindows(now),
    requestCounts: new Map(),
    reset: () => Promise.resolve(),
  };
  issueInitialCredentials(state, options.seed);
  return state;
}

/** The world's built-in credentials: one admin key per org, one API token for each org admin, one PAT per DC admin. */
export function issueInitialCredentials(state: SimState, seed: number): void {
  const random = createRandom(`credentials-${seed}`);
  state.tokens.clear();
  state.issued = { orgKeys: [], orgAdminTokens: [], dcPats: [] };
  for (const [orgIdx, org] of state.world.orgs.entries()) {
    state.tokens.add(org.apiKey, { kind: 'org-key', orgIdx });
    state.issued.orgKeys.push(org.apiKey);
    const token = `ATATT3xFfGF0${random.hex(8).toUpperCase()}${random.hex(48)}`;
    state.tokens.add(token, { kind: 'cloud-user', orgIdx, userIdx: org.adminIdx });
    state.issued.orgAdminTokens.push(token);
  }
  for (const [instanceIdx] of state.world.dcInstances.entries()) {
    const pat = Buffer.from(random.hex(66), 'hex').toString('base64').replace(/[+/=]/g, 'x').slice(0, 44);
    state.tokens.add(pat, { kind: 'dc-user', instanceIdx, userIdx: 0 });
    state.issued.dcPats.push(pat);
  }
}

export type { Principal };
