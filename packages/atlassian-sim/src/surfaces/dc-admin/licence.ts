import type { DcInstance } from '../../world/types.ts';

/**
 * Licence arithmetic both Data Center products share; the licence beans themselves differ per product (Jira's
 * application licence, Confluence's `/rest/license/1.0/license/*`).
 */

const DAY = 86_400_000;

/** The simulated licence runs for a year, so it was created a year before it expires. */
export function licenceCreationDate(license: DcInstance['license']): number {
  return license.expiryDate - 365 * DAY;
}

/** Distinct active users across `groups`: what a licence seat counts. */
export function activeUsersIn(instance: DcInstance, groups: readonly string[]): number {
  const wanted = new Set(groups);
  const seen = new Set<number>();
  for (const g of instance.groups) {
    if (!wanted.has(g.name)) continue;
    for (const m of g.members) if (instance.users[m]?.active) seen.add(m);
  }
  return seen.size;
}
