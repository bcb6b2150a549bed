import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from './app.ts';
import { createState, issueInitialCredentials, type SimState } from './state.ts';
import { generateWorld } from './world/generate-world.ts';
import { PRESETS, type PresetName, type PresetSizes } from './world/presets.ts';
import { applyScenarioFile, type ScenarioFile } from './world/scenario-file.ts';
import { describeSimulator } from './site-directory.ts';
import type { RateLimitSettings } from './behaviour/rate-limit.ts';
import type { FaultSettings } from './behaviour/faults.ts';

export interface SimulatorOptions {
  /** Default `small`. */
  preset?: PresetName;
  /** Default 1. The same seed gives the same world, credentials and fault sequence. */
  seed?: number;
  /** A JSON scenario file describing a custom world (sizes and overrides); see `world/scenario-file.ts`. */
  scenario?: ScenarioFile;
  rateLimits?: Partial<RateLimitSettings>;
  faults?: Partial<FaultSettings>;
  /** Origin used for `self` links when not listening (in-process use). Default `http://sim.local`. */
  baseUrl?: string;
  now?: () => number;
}

/** What the simulator says about itself: the `--json` line of the CLI, `describe()` in-process. */
export type SimulatorDescription = ReturnType<typeof describeSimulator>;

export interface Simulator {
  state: SimState;
  /** Serves one request in-process; inject it as `fetch` in unit tests. */
  fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** Serves one request with the Node adapter's env (so a simulated reset can destroy the socket). */
  handle(request: Request, env: unknown): Promise<Response>;
  /** The first line the CLI prints with `--json`. */
  describe(): SimulatorDescription;
}

function sizesFor(options: SimulatorOptions): PresetSizes {
  const base = PRESETS[options.preset ?? options.scenario?.preset ?? 'small'];
  return { ...base, ...options.scenario?.sizes };
}

/** Builds a simulator in memory. Nothing listens until `listenSimulator`. */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const seed = options.seed ?? options.scenario?.seed ?? 1;
  const baseUrl = options.baseUrl ?? 'http://sim.local';
  const build = () => {
    const world = generateWorld({ seed, sizes: sizesFor(options), baseUrl });
    if (options.scenario) applyScenarioFile(world, options.scenario);
    return world;
  };
  const stateOptions = {
    world: build(),
    baseUrl,
    seed,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const state = createState(stateOptions);
  let app: Hono = createApp(state);
  const initialFaults = { ...state.faults };
  const initialLimits = { ...state.rateLimits };
  state.reset = () => {
    state.world = build();
    issueInitialCredentials(state, seed);
    state.faults = { ...initialFaults };
    state.rateLimits = { ...initialLimits };
    state.buckets.clear();
    state.perIssue.clear();
    state.requestCounts.clear();
    app = createApp(state);
    return Promise.resolve();
  };
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    return app.fetch(request);
  };
  return {
    state,
    fetch,
    handle: (request, env) => Promise.resolve(app.fetch(request, env)),
    describe: () => describeSimulator(state),
  };
}

export interface RunningSimulator extends Simulator {
  url: string;
  close(): Promise<void>;
}

/** Starts the simulator on 127.0.0.1 (port 0 picks a free one). `self` links use the real address. */
export async function listenSimulator(
  options: SimulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const holder: { sim?: Simulator } = {};
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    // The server starts before the world is built because `self` links need the port that port 0 picks.
    server = serve(
      {
        fetch: (req, env) =>
          holder.sim ? holder.sim.handle(req, env) : Promise.resolve(new Response('starting', { status: 503 })),
        port: options.port ?? 0,
        hostname: host,
      },
      (info: AddressInfo) => resolve(info.port),
    );
    server.on('error', reject);
  });
  const url = `http://${host}:${port}`;
  const running = createSimulator({ ...options, baseUrl: url });
  holder.sim = running;
  return {
    ...running,
    url,
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
