import type { DependentsProvider } from '../connections/dependents-registry.ts';
import type { DataoutService } from './create-dataout-service.ts';
import type { InstancesRepo } from './instances-repo.ts';

/**
 * A Jira connection's data-out instances are its dependents: deleting the connection lists them, and with cascade
 * deletes them (and the hub's record of their tickets, with their queued jobs). Tickets in Jira stay.
 */
export function createDataoutDependents(deps: {
  instances: InstancesRepo;
  dataout: Pick<DataoutService, 'deleteInstance'>;
}): DependentsProvider {
  return {
    async list(connectionId) {
      const instances = await deps.instances.listByConnection(connectionId);
      return instances.map((i) => ({ type: 'dataout_instance' as const, id: i.id, name: i.name }));
    },
    async deleteAll(connectionId) {
      for (const instance of await deps.instances.listByConnection(connectionId))
        await deps.dataout.deleteInstance('system:cascade', instance.id);
    },
  };
}
