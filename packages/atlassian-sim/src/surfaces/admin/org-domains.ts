import { createRandom } from '../../random.ts';
import type { Org } from '../../world/types.ts';

export interface OrgDomain {
  id: string;
  name: string;
}

/**
 * The org's verified domains: every email domain of its accounts (managed accounts are exactly those whose email
 * domain the org has verified). Ids are derived from the org and name, so they are stable across runs and resets.
 */
export function orgDomains(org: Org): OrgDomain[] {
  const names = new Set<string>();
  for (const user of org.users) {
    const at = user.email?.lastIndexOf('@') ?? -1;
    if (user.email && at > 0) names.add(user.email.slice(at + 1).toLowerCase());
  }
  return [...names].sort().map((name) => ({ id: createRandom(`domain|${org.id}|${name}`).uuid(), name }));
}
