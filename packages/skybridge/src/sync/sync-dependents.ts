import type { DependentsProvider } from '../connections/dependents-registry.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import { describeRecurrence } from './create-sync-service.ts';
import { SYNC_QUEUE, syncExclusiveKey, syncScheduleId } from './sync-jobs.ts';

/**
 * What sync keeps about a connection besides its runs: its schedule and its queued jobs. Deleting the connection
 * lists the schedule as a dependent; with cascade the schedule goes and queued runs are cancelled. (Runs and
 * snapshots go with the connection's row, by foreign key.)
 */
export function createSyncDependents(deps: { queue: JobQueue; scheduler: Scheduler }): DependentsProvider {
  return {
    async list(connectionId) {
      const schedule = await deps.scheduler.get(syncScheduleId(connectionId));
      return schedule === undefined
        ? []
        : [{ type: 'schedule', id: schedule.id, name: `sync ${describeRecurrence(schedule.every)}` }];
    },
    async deleteAll(connectionId) {
      await deps.scheduler.remove(syncScheduleId(connectionId));
      const queued = await deps.queue.list({
        queue: SYNC_QUEUE,
        status: 'queued',
        exclusiveKey: syncExclusiveKey(connectionId),
        limit: 500,
      });
      for (const job of queued) await deps.queue.cancel(job.id);
    },
  };
}
