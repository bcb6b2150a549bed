/** Time comes from an injected Clock so tests control it; only the composition root uses the system clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: starts at `start` and moves only when told. */
export function createManualClock(start: Date | string | number) {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(date: Date | string | number) {
      t = new Date(date).getTime();
    },
  };
}
