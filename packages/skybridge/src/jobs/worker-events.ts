import type { WorkerEvent, WorkerEventType } from './worker.ts';

/**
 * Records a worker's events and lets a caller await the next one of a type (the idea of graphile/worker's test
 * helpers): tests wait for what they expect to happen, never for time to pass. Also usable by the hub's CLI to
 * follow a job.
 */
export interface WorkerEventLog {
  /** Pass as the worker's `onEvent`. */
  readonly onEvent: (event: WorkerEvent) => void;
  /** Every event so far, oldest first. */
  readonly events: readonly WorkerEvent[];
  /** The next event of `type` (after this call) that `match` accepts. */
  next<T extends WorkerEventType>(
    type: T,
    match?: (event: Extract<WorkerEvent, { type: T }>) => boolean,
  ): Promise<Extract<WorkerEvent, { type: T }>>;
}

export function createWorkerEventLog(): WorkerEventLog {
  const events: WorkerEvent[] = [];
  const waiters = new Set<(event: WorkerEvent) => boolean>();
  return {
    events,
    onEvent(event) {
      events.push(event);
      for (const waiter of [...waiters]) if (waiter(event)) waiters.delete(waiter);
    },
    next(type, match) {
      type Wanted = Extract<WorkerEvent, { type: typeof type }>;
      return new Promise<Wanted>((resolve) => {
        waiters.add((event) => {
          if (event.type !== type || (match !== undefined && !match(event as Wanted))) return false;
          resolve(event as Wanted);
          return true;
        });
      });
    },
  };
}
