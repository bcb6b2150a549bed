/** How big each preset world is. `small` is the demo; `large` is what the benchmarks load. */
export interface PresetSizes {
  orgUsers: number;
  appAccounts: number;
  groups: number;
  memberships: number;
  teams: number;
  avgTeamSize: number;
  cloudSites: number;
  projectsPerSite: number;
  issuesPerProject: number;
  spacesPerSite: number;
  pagesPerSpace: number;
  jiraDcInstances: number;
  confluenceDcInstances: number;
  dcUsers: number;
  dcGroups: number;
  dcMemberships: number;
  dcProjects: number;
  dcApps: number;
}

export const PRESET_NAMES = ['small', 'medium', 'large'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const PRESETS: Record<PresetName, PresetSizes> = {
  small: {
    orgUsers: 57,
    appAccounts: 3,
    groups: 8,
    memberships: 150,
    teams: 5,
    avgTeamSize: 5,
    cloudSites: 1,
    projectsPerSite: 6,
    issuesPerProject: 5,
    spacesPerSite: 4,
    pagesPerSpace: 5,
    jiraDcInstances: 1,
    confluenceDcInstances: 1,
    dcUsers: 30,
    dcGroups: 6,
    dcMemberships: 60,
    dcProjects: 5,
    dcApps: 8,
  },
  medium: {
    orgUsers: 1_980,
    appAccounts: 20,
    groups: 200,
    memberships: 8_000,
    teams: 100,
    avgTeamSize: 8,
    cloudSites: 2,
    projectsPerSite: 50,
    issuesPerProject: 3,
    spacesPerSite: 30,
    pagesPerSpace: 5,
    jiraDcInstances: 1,
    confluenceDcInstances: 1,
    dcUsers: 500,
    dcGroups: 40,
    dcMemberships: 1_500,
    dcProjects: 40,
    dcApps: 40,
  },
  large: {
    orgUsers: 49_900,
    appAccounts: 100,
    groups: 2_000,
    memberships: 200_000,
    teams: 1_001,
    avgTeamSize: 8,
    cloudSites: 2,
    projectsPerSite: 500,
    issuesPerProject: 2,
    spacesPerSite: 200,
    pagesPerSpace: 3,
    jiraDcInstances: 2,
    confluenceDcInstances: 1,
    dcUsers: 5_000,
    dcGroups: 300,
    dcMemberships: 20_000,
    dcProjects: 200,
    dcApps: 40,
  },
};
