// What every issue route needs: the site, the REST flavour it is serving, lookups, and the browse rule.
import type { SimState } from '../../../state.ts';
import type { Principal } from '../../../behaviour/tokens.ts';
import type { Issue, Project } from '../../../world/types.ts';
import type { JiraSite } from '../jira-site.ts';

export interface IssueContext {
  state: SimState;
  jira: JiraSite;
  version: 2 | 3;
  /** `/rest/api/2` or `/rest/api/3`. */
  api: string;
  /** Absolute API base for `self` links, e.g. `http://sim.local/s/acme/rest/api/3`. */
  apiBase: string;
  /** Rich-text fields are ADF documents only on cloud v3; v2 and Data Center use wiki-markup strings. */
  adf: boolean;
  findProject(idOrKey: string): Project | undefined;
  findIssue(idOrKey: string): Issue | undefined;
  projectOf(issue: Issue): Project | undefined;
  /** The caller's user ref (accountId on cloud, username on DC); undefined for anonymous callers. */
  userRef(principal: Principal | undefined): string | undefined;
  canBrowse(userRef: string | undefined, project: Project): boolean;
}

/** Maps project role actor indexes (into the org's or DC instance's user list) to user refs. */
function actorRefResolver(state: SimState, jira: JiraSite): (idx: number) => string | undefined {
  const site = state.world.cloudSites.find((s) => s.jira === jira.data);
  if (site) {
    const users = state.world.orgs[site.orgIdx]?.users ?? [];
    return (idx) => users[idx]?.accountId;
  }
  const instance = state.world.dcInstances.find((d) => d.jira === jira.data);
  const users = instance?.users ?? [];
  return (idx) => users[idx]?.name;
}

export function createIssueContext(state: SimState, jira: JiraSite, version: 2 | 3): IssueContext {
  const api = `/rest/api/${version}`;
  const refAt = actorRefResolver(state, jira);
  const projectsById = new Map<string, Project>();
  const projectFor = (id: string): Project | undefined => {
    let project = projectsById.get(id);
    if (!project) {
      project = jira.data.projects.find((p) => p.id === id);
      if (project) projectsById.set(id, project);
    }
    return project;
  };
  // Role actors per project, resolved once: the browse check runs for every issue a search looks at.
  const actorsByProject = new Map<string, Set<string>>();
  const actorsOf = (project: Project): Set<string> => {
    let actors = actorsByProject.get(project.id);
    if (!actors) {
      actors = new Set();
      for (const role of project.roles) {
        for (const idx of role.actorUsers) {
          const ref = refAt(idx);
          if (ref !== undefined) actors.add(ref);
        }
      }
      actorsByProject.set(project.id, actors);
    }
    return actors;
  };

  return {
    state,
    jira,
    version,
    api,
    apiBase: `${jira.baseUrl}${api}`,
    adf: jira.deployment === 'cloud' && version === 3,
    findProject: (idOrKey) => {
      const upper = idOrKey.toUpperCase();
      return jira.data.projects.find((p) => p.id === idOrKey || p.key === upper);
    },
    findIssue: (idOrKey) => {
      // Issue keys are matched case-insensitively, as Jira does (`abc-1` finds ABC-1).
      if (/^\d+$/.test(idOrKey)) return jira.data.issues.find((i) => i.id === idOrKey);
      const upper = idOrKey.toUpperCase();
      return jira.data.issues.find((i) => i.key === upper);
    },
    projectOf: (issue) => projectFor(issue.projectId),
    userRef: (principal) => jira.principalUserRef(principal),
    canBrowse: (userRef, project) => {
      // Browse rule: admins see everything; an open project is visible to every user of the site (and to anonymous
      // callers, who only get here on sites with anonymous browse); a restricted one only to its role actors.
      if (userRef === undefined) return !project.restricted;
      if (jira.isAdmin(userRef)) return true;
      if (jira.userBean(userRef) === undefined) return false;
      if (!project.restricted) return true;
      if (actorsOf(project).has(userRef)) return true;
      const groups = jira.groupsOf(userRef);
      return project.roles.some((role) => role.actorGroups.some((g) => groups.has(g)));
    },
  };
}
