/**
 * Runs a task every `intervalMs`, never overlapping itself: if a run is still going when the next is due, that tick
 * is skipped. A failing run is reported and the schedule goes on. (Persistent, restart-surviving jobs are a later
 * module; the health check only needs to happen again after a restart, which starting the scheduler does.)
 */
export interface IntervalScheduler {
  start(): void;
  stop(): Promise<void>;
  /** Runs the task now (if not already running) and resolves when it is done. */
  runNow(): Promise<void>;
}

export function createIntervalScheduler(options: {
  intervalMs: number;
  task: () => Promise<void>;
  onError: (error: unknown) => void;
  /** Delay before the first run. Default: one minute, so a restart does not stampede Atlassian. */
  firstRunDelayMs?: number;
}): IntervalScheduler {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = (): Promise<void> => {
    if (running) return running;
    running = options
      .task()
      .catch(options.onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    start() {
      if (timer) return;
      timer = setTimeout(function tick() {
        void run();
        timer = setTimeout(tick, options.intervalMs);
        timer.unref();
      }, options.firstRunDelayMs ?? 60_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
    runNow: run,
  };
}
