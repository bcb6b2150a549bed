import type { Principal } from '../../../behaviour/tokens.ts';
import type { DcInstance } from '../../../world/types.ts';

/** Whether the principal is a Jira administrator of this DC instance: a sysadmin or a `*-administrators` member. */
export function isDcAdmin(instance: DcInstance, instanceIdx: number, principal: Principal | undefined): boolean {
  if (principal?.kind !== 'dc-user' || principal.instanceIdx !== instanceIdx) return false;
  if (instance.users[principal.userIdx]?.admin) return true;
  return instance.groups.some((g) => g.name.endsWith('-administrators') && g.members.includes(principal.userIdx));
}
