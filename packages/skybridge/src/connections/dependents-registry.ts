import type { Dependent } from './connections-service.ts';

/**
 * What uses a connection. Features that hold references to connections (schedules, data-out instances, tracked
 * tickets) register a provider, so delete can list them and cascade without the connections feature knowing
 * those features.
 */
export interface DependentsProvider {
  list(connectionId: string): Promise<Dependent[]>;
  /** Deletes this provider's dependents of the connection (never anything in Atlassian). */
  deleteAll(connectionId: string): Promise<void>;
}

export interface DependentsRegistry extends DependentsProvider {
  register(provider: DependentsProvider): void;
}

export function createDependentsRegistry(): DependentsRegistry {
  const providers: DependentsProvider[] = [];
  return {
    register: (provider) => void providers.push(provider),
    async list(connectionId) {
      const all = await Promise.all(providers.map((p) => p.list(connectionId)));
      return all.flat();
    },
    async deleteAll(connectionId) {
      for (const p of providers) await p.deleteAll(connectionId);
    },
  };
}
