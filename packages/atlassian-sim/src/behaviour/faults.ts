import type { Random } from '../random.ts';

export const FAULT_KINDS = ['500', '502', '503', 'reset', 'slow'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Latency, jitter and injected faults; changed at run time through `POST /_sim/scenario`. */
export interface FaultSettings {
  latencyMs: number;
  jitterMs: number;
  /** Probability in [0, 1] that a request gets a fault instead of its answer. */
  faultRate: number;
  faultKinds: FaultKind[];
  /** How long a `slow` body takes to trickle out. */
  slowBodyMs: number;
}

export const DEFAULT_FAULTS: FaultSettings = {
  latencyMs: 0,
  jitterMs: 0,
  faultRate: 0,
  faultKinds: ['500', '503', 'reset', 'slow'],
  slowBodyMs: 1_500,
};

/** Decides, from the seeded generator, the delay and fault for one request: the same seed gives the same run. */
export function decideFault(
  random: Random,
  settings: FaultSettings,
): { delayMs: number; fault: FaultKind | undefined } {
  const delayMs = settings.latencyMs + (settings.jitterMs > 0 ? random.next() * settings.jitterMs : 0);
  const fault =
    settings.faultRate > 0 && settings.faultKinds.length > 0 && random.chance(settings.faultRate)
      ? random.pick(settings.faultKinds)
      : undefined;
  return { delayMs, fault };
}

/**
 * Requests chosen for a `slow` fault. Handlers that would write straight to the socket answer through the normal
 * response path for these, so the fault middleware can trickle the body out.
 */
export const slowRequests = new WeakSet<Request>();
