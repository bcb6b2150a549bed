import type { Org, Team } from '../../world/types.ts';

/** `Team` as the Teams public API serializes it (PublicApiTeamResponse). */
export function teamBean(org: Org, team: Team): Record<string, unknown> {
  const bean: Record<string, unknown> = {
    teamId: team.teamId,
    displayName: team.displayName,
    description: team.description,
    organizationId: org.id,
    state: team.state,
    teamType: team.teamType,
  };
  // Optional in Atlassian's model: teams created by an integration have no creator.
  const creator = team.creatorIdx === undefined ? undefined : org.users[team.creatorIdx];
  if (creator) bean['creatorId'] = creator.accountId;
  return bean;
}
