import { createRandom, type Random } from '../random.ts';
import {
  APP_NAMES,
  APP_VENDORS,
  DEPARTMENTS,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  LOCALES,
  PROJECT_WORDS,
  TIME_ZONES,
} from './names.ts';
import type { PresetSizes } from './presets.ts';
import type {
  CloudSite,
  CustomField,
  DcApp,
  DcGroup,
  DcInstance,
  DcUser,
  Issue,
  IssueType,
  JiraData,
  Org,
  OrgGroup,
  OrgUser,
  Page,
  Project,
  Space,
  Status,
  Team,
  Transition,
  World,
} from './types.ts';

const DAY = 86_400_000;

/** Fixed so that a seed gives byte-identical worlds on every run; relative dates are computed from it. */
export const DEFAULT_EPOCH = Date.UTC(2026, 10, 1);

/** Samples `count` distinct integers from [0, n) (Floyd's algorithm: no n-sized allocation). */
function sampleDistinct(random: Random, n: number, count: number): number[] {
  const k = Math.min(count, n);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = random.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}

/** Splits `total` into `parts` positive-ish integers with a long tail (a few big groups, many small ones). */
function splitWithTail(random: Random, total: number, parts: number, maxPart: number): number[] {
  const weights = Array.from({ length: parts }, (_, i) => 1 / (1 + i * 0.05) + random.next() * 0.5);
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.min(maxPart, Math.max(0, Math.floor((w / sum) * total))));
  let rest = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0 && i < parts * 4; i++) {
    const idx = i % parts;
    if ((sizes[idx] ?? 0) < maxPart) {
      sizes[idx] = (sizes[idx] ?? 0) + 1;
      rest--;
    }
  }
  return sizes;
}

function isoDaysAgo(epoch: number, days: number): string {
  return new Date(epoch - days * DAY).toISOString();
}

function accountId(random: Random): string {
  // Both shapes occur on real sites: the legacy 24-hex id and the newer `712020:<uuid>`.
  return random.chance(0.6) ? random.hex(24) : `712020:${random.uuid()}`;
}

function token(random: Random, prefix: string): string {
  return `${prefix}${random.hex(8).toUpperCase()}${random.hex(48)}=${random.hex(8).toUpperCase()}`;
}

export function newApiToken(random: Random): string {
  return token(random, 'ATATT3xFfGF0');
}

export function newAdminApiKey(random: Random): string {
  return token(random, 'ATCTT3xFfGN0');
}

export function newPat(random: Random): string {
  // Data Center PATs are 44 base64-ish characters.
  return Buffer.from(random.hex(66), 'hex').toString('base64').replace(/[+/=]/g, 'x').slice(0, 44);
}

function makeOrgUsers(
  random: Random,
  sizes: PresetSizes,
  orgName: string,
  epoch: number,
  directoryId: string,
  siteCount: number,
): OrgUser[] {
  const users: OrgUser[] = [];
  const domain = `${orgName.toLowerCase()}.example`;
  const total = sizes.orgUsers + sizes.appAccounts;
  for (let i = 0; i < total; i++) {
    const isApp = i >= sizes.orgUsers;
    const first = FIRST_NAMES[i % FIRST_NAMES.length] ?? 'Alex';
    const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length] ?? 'Doe';
    const serial = Math.floor(i / (FIRST_NAMES.length * LAST_NAMES.length));
    const isAdmin = i === 0;
    // Roughly: 88% active, 9% inactive (deactivated), 3% closed; the admin is always active.
    const roll = random.next();
    const status = isAdmin || isApp ? 'active' : roll < 0.88 ? 'active' : roll < 0.97 ? 'inactive' : 'closed';
    const neverLoggedIn = !isAdmin && random.chance(0.05);
    const siteAccess =
      isApp || isAdmin
        ? Array.from({ length: siteCount }, (_, s) => s)
        : [0, ...(siteCount > 1 && random.chance(0.4) ? [1] : [])];
    const user: OrgUser = {
      accountId: isApp ? `557058:${random.uuid()}` : accountId(random),
      accountType: isApp ? 'app' : 'atlassian',
      status,
      name: isApp
        ? `${APP_NAMES[i % APP_NAMES.length] ?? 'App'} bot ${i - sizes.orgUsers + 1}`
        : `${first} ${last}${serial > 0 ? ` ${serial + 1}` : ''}`,
      nickname: isApp ? `app-${i}` : `${first.toLowerCase()}${serial > 0 ? serial + 1 : ''}`,
      timeZone: random.pick(TIME_ZONES),
      locale: random.pick(LOCALES),
      addedToOrg: isoDaysAgo(epoch, 30 + random.int(1500)),
      directoryId,
      siteAccess,
      orgAdmin: isAdmin,
    };
    if (!isApp) {
      user.email = `${first.toLowerCase()}.${last.toLowerCase()}${serial > 0 ? serial + 1 : ''}@${domain}`;
      user.jobTitle = random.pick(JOB_TITLES);
      user.department = random.pick(DEPARTMENTS);
    }
    if (!neverLoggedIn) user.lastActive = isoDaysAgo(epoch, isAdmin ? 0 : random.int(status === 'active' ? 120 : 700));
    users.push(user);
  }
  return users;
}

function makeOrgGroups(
  random: Random,
  sizes: PresetSizes,
  users: OrgUser[],
  directoryId: string,
  siteHosts: string[],
): OrgGroup[] {
  const groups: OrgGroup[] = [];
  const fixedNames = [
    `site-admins`,
    ...siteHosts.map((h) => `jira-software-users-${h}`),
    ...siteHosts.map((h) => `confluence-users-${h}`),
  ];
  const humanCount = sizes.orgUsers;
  const memberSizes = splitWithTail(random, sizes.memberships - 1, sizes.groups - 1, humanCount);
  for (let g = 0; g < sizes.groups; g++) {
    const name =
      fixedNames[g] ??
      `${(DEPARTMENTS[g % DEPARTMENTS.length] ?? 'team').toLowerCase()}-${(PROJECT_WORDS[Math.floor(g / DEPARTMENTS.length) % PROJECT_WORDS.length] ?? 'x').toLowerCase()}-${Math.floor(g / (DEPARTMENTS.length * PROJECT_WORDS.length)) + 1}`;
    // site-admins holds exactly the admin; the rest of the membership budget is spread with a long tail.
    const members = g === 0 ? [0] : sampleDistinct(random, humanCount, memberSizes[g - 1] ?? 0);
    groups.push({
      id: random.uuid(),
      name,
      description: g === 0 ? 'Grants site administration' : `${name} members`,
      directoryId,
      members,
      grantsSiteAdmin: g === 0,
    });
  }
  void users;
  return groups;
}

function makeTeams(random: Random, sizes: PresetSizes, users: OrgUser[]): Team[] {
  const teams: Team[] = [];
  for (let t = 0; t < sizes.teams; t++) {
    const size = Math.max(1, Math.round(sizes.avgTeamSize * (0.5 + random.next())));
    const members = sampleDistinct(random, sizes.orgUsers, size);
    const word = PROJECT_WORDS[t % PROJECT_WORDS.length] ?? 'Team';
    const team: Team = {
      teamId: random.uuid(),
      displayName: `${word} squad ${Math.floor(t / PROJECT_WORDS.length) + 1}`,
      description: `The ${word} squad`,
      state: random.chance(0.05) ? 'ARCHIVED' : 'ACTIVE',
      teamType: random.pick(['OPEN', 'MEMBER_INVITE', 'ORG_ADMIN_MANAGED'] as const),
      members,
      // One deleted team per world, so clients meet the 410 Gone answer.
      deleted: t === sizes.teams - 1 && sizes.teams > 1,
    };
    const creator = members[0];
    if (creator !== undefined) team.creatorIdx = creator;
    teams.push(team);
  }
  void users;
  return teams;
}

export const STANDARD_ISSUE_TYPES: IssueType[] = [
  { id: '10001', name: 'Task', description: 'A small, distinct piece of work.', subtask: false, requiredFields: [] },
  // Bug also requires a custom field, so clients meet "required fields nobody mapped" on create.
  {
    id: '10002',
    name: 'Bug',
    description: 'A problem or error.',
    subtask: false,
    requiredFields: ['priority', 'customfield_10050'],
  },
  { id: '10003', name: 'Story', description: 'A user-facing feature.', subtask: false, requiredFields: [] },
  {
    id: '10004',
    name: 'Epic',
    description: 'A big user story that needs to be broken down.',
    subtask: false,
    requiredFields: [],
  },
  {
    id: '10005',
    name: 'Subtask',
    description: 'A small piece of work that is part of a larger task.',
    subtask: true,
    requiredFields: ['parent'],
  },
];

export const STANDARD_STATUSES: Status[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10001', name: 'Done', category: 'done' },
];

export const STANDARD_TRANSITIONS: Transition[] = [
  { id: '11', name: 'To Do', toStatusId: '10000' },
  { id: '21', name: 'In Progress', toStatusId: '3' },
  { id: '31', name: 'Done', toStatusId: '10001' },
];

export const STANDARD_CUSTOM_FIELDS: CustomField[] = [
  {
    id: 'customfield_10050',
    name: 'Severity',
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select',
    type: 'option',
    options: [
      { id: '10100', value: 'Critical' },
      { id: '10101', value: 'Major' },
      { id: '10102', value: 'Minor' },
    ],
    issueTypeIds: ['10002'],
  },
  {
    id: 'customfield_10016',
    name: 'Story point estimate',
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float',
    type: 'number',
    issueTypeIds: ['10003', '10001'],
  },
  {
    id: 'customfield_10060',
    name: 'Acceptance criteria',
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea',
    type: 'string',
    issueTypeIds: ['10003'],
  },
];

function emptyJira(): JiraData {
  return {
    projects: [],
    issueTypes: STANDARD_ISSUE_TYPES.map((t) => ({ ...t, requiredFields: [...t.requiredFields] })),
    statuses: STANDARD_STATUSES.map((s) => ({ ...s })),
    transitions: STANDARD_TRANSITIONS.map((t) => ({ ...t })),
    customFields: STANDARD_CUSTOM_FIELDS.map((f) => ({
      ...f,
      issueTypeIds: [...f.issueTypeIds],
      ...(f.options ? { options: f.options.map((o) => ({ ...o })) } : {}),
    })),
    issues: [],
    nextIssueId: 10000,
    nextCommentId: 10000,
    nextAttachmentId: 10000,
  };
}

function projectKey(index: number): string {
  const word = (PROJECT_WORDS[index % PROJECT_WORDS.length] ?? 'PRJ').toUpperCase().slice(0, 3);
  const round = Math.floor(index / PROJECT_WORDS.length);
  return round === 0 ? word : `${word}${round}`;
}

function makeProjects(
  random: Random,
  count: number,
  userCount: number,
  groupRefs: string[],
  firstId: number,
): Project[] {
  const projects: Project[] = [];
  for (let p = 0; p < count; p++) {
    const key = projectKey(p);
    const word = PROJECT_WORDS[p % PROJECT_WORDS.length] ?? 'Project';
    const lead = userCount > 1 ? 1 + random.int(userCount - 1) : 0;
    const devGroup = groupRefs.length > 0 ? random.pick(groupRefs) : undefined;
    projects.push({
      id: String(firstId + p),
      key,
      name: `${word} ${Math.floor(p / PROJECT_WORDS.length) + 1}`,
      description: `The ${word} project`,
      projectTypeKey: p % 7 === 3 ? 'business' : p % 11 === 5 ? 'service_desk' : 'software',
      leadIdx: lead,
      // Every fourth project is restricted to its role actors, so permissions visibly matter.
      restricted: p % 4 === 1,
      archived: false,
      roles: [
        {
          id: 10002,
          name: 'Administrators',
          description: 'Project administrators',
          actorUsers: [lead],
          actorGroups: [],
        },
        {
          id: 10001,
          name: 'Developers',
          description: 'Developers of the project',
          actorUsers: sampleDistinct(random, userCount, 3),
          actorGroups: devGroup ? [devGroup] : [],
        },
        { id: 10000, name: 'Viewers', description: 'Read-only access', actorUsers: [], actorGroups: [] },
      ],
      issueTypeIds: ['10001', '10002', '10003', '10004', '10005'],
      nextIssueNumber: 1,
    });
  }
  return projects;
}

function seedIssues(
  random: Random,
  jira: JiraData,
  perProject: number,
  epoch: number,
  authorRef: (p: Project) => string,
): void {
  for (const project of jira.projects) {
    for (let n = 0; n < perProject; n++) {
      const created = isoDaysAgo(epoch, 1 + random.int(300));
      const status = random.pick(jira.statuses);
      const issue: Issue = {
        id: String(jira.nextIssueId++),
        key: `${project.key}-${project.nextIssueNumber++}`,
        projectId: project.id,
        issueTypeId: random.pick(['10001', '10002', '10003']),
        statusId: status.id,
        fields: {
          summary: `${random.pick(['Fix', 'Add', 'Improve', 'Remove'])} ${random.pick(['login', 'export', 'search', 'billing', 'audit log'])} ${n + 1}`,
          labels: [],
          priority: { id: '3', name: 'Medium' },
        },
        properties: new Map(),
        comments: [],
        attachments: [],
        created,
        updated: created,
        creatorRef: authorRef(project),
      };
      jira.issues.push(issue);
    }
  }
}

function makeSpaces(
  random: Random,
  count: number,
  userCount: number,
  groupRefs: string[],
  epoch: number,
  firstId: number,
): { spaces: Space[]; pages: Page[] } {
  const spaces: Space[] = [];
  for (let s = 0; s < count; s++) {
    const word = PROJECT_WORDS[s % PROJECT_WORDS.length] ?? 'Docs';
    const id = String(firstId + s * 100);
    const readers = groupRefs.length > 0 ? [random.pick(groupRefs)] : [];
    const author = userCount > 1 ? 1 + random.int(userCount - 1) : 0;
    spaces.push({
      id,
      key: `${word.toUpperCase().slice(0, 4)}${Math.floor(s / PROJECT_WORDS.length) || ''}`,
      name: `${word} docs${s >= PROJECT_WORDS.length ? ` ${Math.floor(s / PROJECT_WORDS.length) + 1}` : ''}`,
      type: s % 9 === 4 ? 'knowledge_base' : 'global',
      status: 'current',
      authorIdx: author,
      createdAt: isoDaysAgo(epoch, 100 + random.int(900)),
      homepageId: String(firstId + s * 100 + 1),
      permissions: [
        { id: `${id}01`, principal: { type: 'user', idx: author }, operation: { key: 'administer', target: 'space' } },
        { id: `${id}02`, principal: { type: 'user', idx: author }, operation: { key: 'read', target: 'space' } },
        ...readers.map((g, i) => ({
          id: `${id}1${i}`,
          principal: { type: 'group' as const, groupId: g },
          operation: { key: 'read' as const, target: 'space' as const },
        })),
      ],
    });
  }
  return { spaces, pages: [] };
}

function makePages(random: Random, spaces: Space[], perSpace: number, userCount: number, epoch: number): Page[] {
  const pages: Page[] = [];
  for (const space of spaces) {
    for (let n = 0; n < perSpace; n++) {
      pages.push({
        id: n === 0 ? space.homepageId : String(Number(space.id) + 1 + n),
        spaceId: space.id,
        title: n === 0 ? `${space.name} home` : `${space.name} page ${n}`,
        parentId: n === 0 ? null : space.homepageId,
        authorIdx: userCount > 1 ? random.int(userCount) : 0,
        createdAt: isoDaysAgo(epoch, random.int(400)),
        status: 'current',
        body: `<p>Content of ${space.name} page ${n}</p>`,
      });
    }
  }
  return pages;
}

function makeDcUsers(random: Random, count: number, epoch: number, domain: string): DcUser[] {
  const users: DcUser[] = [];
  for (let i = 0; i < count; i++) {
    const first = FIRST_NAMES[(i * 7) % FIRST_NAMES.length] ?? 'sam';
    const last = LAST_NAMES[(i * 3) % LAST_NAMES.length] ?? 'lee';
    const user: DcUser = {
      key: i === 0 ? 'admin' : `JIRAUSER${10100 + i}`,
      name: i === 0 ? 'admin' : `${first.toLowerCase()}.${last.toLowerCase()}${i}`,
      displayName: i === 0 ? 'Instance Administrator' : `${first} ${last}`,
      emailAddress: i === 0 ? `admin@${domain}` : `${first.toLowerCase()}.${last.toLowerCase()}${i}@${domain}`,
      active: i === 0 || random.chance(0.9),
      timeZone: random.pick(TIME_ZONES),
      locale: random.pick(LOCALES),
      admin: i === 0,
    };
    if (i === 0 || random.chance(0.92)) user.lastLogin = isoDaysAgo(epoch, i === 0 ? 0 : random.int(500));
    users.push(user);
  }
  return users;
}

function makeDcGroups(random: Random, sizes: PresetSizes, users: DcUser[], product: 'jira' | 'confluence'): DcGroup[] {
  const fixed =
    product === 'jira'
      ? ['jira-administrators', 'jira-software-users']
      : ['confluence-administrators', 'confluence-users'];
  const groups: DcGroup[] = [
    { name: fixed[0] ?? 'admins', members: [0] },
    // Every active user holds the product licence through the users group.
    { name: fixed[1] ?? 'users', members: users.flatMap((u, i) => (u.active ? [i] : [])) },
  ];
  const rest = sizes.dcGroups - 2;
  const budget = Math.max(0, sizes.dcMemberships - (groups[1]?.members.length ?? 0) - 1);
  const memberSizes = splitWithTail(random, budget, Math.max(1, rest), users.length);
  for (let g = 0; g < rest; g++) {
    groups.push({
      name: `${(DEPARTMENTS[g % DEPARTMENTS.length] ?? 'dept').toLowerCase()}-${g + 1}`,
      members: sampleDistinct(random, users.length, memberSizes[g] ?? 0),
    });
  }
  return groups;
}

function makeDcApps(random: Random, count: number): DcApp[] {
  const apps: DcApp[] = [];
  for (let a = 0; a < count; a++) {
    const name = APP_NAMES[a % APP_NAMES.length] ?? 'App';
    const vendor = APP_VENDORS[a % APP_VENDORS.length] ?? 'Vendor';
    // A handful of the 40 are bundled system plugins, as on a real instance; the rest are marketplace apps.
    const system = a % 10 === 9;
    apps.push({
      key: `com.${vendor.toLowerCase()}.${name.toLowerCase().replace(/[^a-z]+/g, '-')}${a >= APP_NAMES.length ? `-${a}` : ''}`,
      name: a >= APP_NAMES.length ? `${name} ${Math.floor(a / APP_NAMES.length) + 1}` : name,
      version: `${1 + random.int(9)}.${random.int(20)}.${random.int(10)}`,
      vendor,
      enabled: random.chance(0.9),
      userInstalled: !system,
      cloudAvailable: random.chance(0.7),
    });
  }
  return apps;
}

export interface GenerateOptions {
  seed: number;
  sizes: PresetSizes;
  /** Base URL of the simulator; `self` links and app links point back at it. */
  baseUrl: string;
  epoch?: number;
}

/** Builds a complete, deterministic world: the same seed and sizes always give the same data. */
export function generateWorld(options: GenerateOptions): World {
  const { seed, sizes } = options;
  const epoch = options.epoch ?? DEFAULT_EPOCH;
  const root = createRandom(seed);
  const siteHosts = ['acme', 'globex', 'initech'].slice(0, sizes.cloudSites);

  const orgRandom = root.fork('org');
  const directoryId = orgRandom.uuid();
  const users = makeOrgUsers(orgRandom.fork('users'), sizes, 'Acme', epoch, directoryId, siteHosts.length);
  const groups = makeOrgGroups(orgRandom.fork('groups'), sizes, users, directoryId, siteHosts);
  const teams = makeTeams(orgRandom.fork('teams'), sizes, users);
  const org: Org = {
    id: orgRandom.uuid(),
    name: 'Acme Corporation',
    apiKey: newAdminApiKey(orgRandom),
    adminIdx: 0,
    directories: [{ directoryId, name: 'Acme directory' }],
    users,
    groups,
    teams,
    roleAssignments: [],
  };

  const cloudSites: CloudSite[] = siteHosts.map((host, s) => {
    const r = root.fork(`site-${host}`);
    const jira = emptyJira();
    const groupIds = groups.slice(3).map((g) => g.id);
    jira.projects = makeProjects(r, sizes.projectsPerSite, sizes.orgUsers, groupIds, 10000);
    seedIssues(r, jira, sizes.issuesPerProject, epoch, (p) => users[p.leadIdx]?.accountId ?? '');
    const { spaces } = makeSpaces(r, sizes.spacesPerSite, sizes.orgUsers, groupIds, epoch, 98000);
    const pages = makePages(r, spaces, sizes.pagesPerSpace, sizes.orgUsers, epoch);
    return { host, cloudId: r.uuid(), orgIdx: 0, anonymousAccess: s === 0, jira, confluence: { spaces, pages } };
  });

  for (const [s, site] of cloudSites.entries()) {
    org.roleAssignments.push({ userIdx: 0, role: 'atlassian/org-admin', resource: 'org' });
    for (const [u, user] of users.entries()) {
      if (!user.siteAccess.includes(s) || user.status === 'closed') continue;
      org.roleAssignments.push({
        userIdx: u,
        role: u === 0 ? 'jira/admin' : 'jira/user',
        resource: `ari:cloud:jira::site/${site.cloudId}`,
      });
      if (u % 3 !== 2)
        org.roleAssignments.push({
          userIdx: u,
          role: 'confluence/user',
          resource: `ari:cloud:confluence::site/${site.cloudId}`,
        });
    }
  }

  const dcInstances: DcInstance[] = [];
  const dcSpecs = [
    ...Array.from({ length: sizes.jiraDcInstances }, (_, i) => ({
      product: 'jira' as const,
      name: `jira-dc-${i + 1}`,
    })),
    ...Array.from({ length: sizes.confluenceDcInstances }, (_, i) => ({
      product: 'confluence' as const,
      name: `confluence-dc-${i + 1}`,
    })),
  ];
  for (const spec of dcSpecs) {
    const r = root.fork(spec.name);
    const dcUsers = makeDcUsers(r, sizes.dcUsers, epoch, `${spec.name}.example`);
    if (spec.product === 'confluence') {
      // Confluence user keys are 32 hex digits (`4028ae289154667d0191546e11a10001`), not Jira's `JIRAUSER10100`.
      // A separate generator, so the rest of this instance's data does not shift.
      const keys = createRandom(`${spec.name}-user-keys-${seed}`);
      for (const user of dcUsers) user.key = keys.hex(32);
    }
    const dcGroups = makeDcGroups(r, sizes, dcUsers, spec.product);
    const jira = emptyJira();
    let spaces: Space[] = [];
    let pages: Page[] = [];
    const groupNames = dcGroups.slice(2).map((g) => g.name);
    if (spec.product === 'jira') {
      jira.projects = makeProjects(r, sizes.dcProjects, dcUsers.length, groupNames, 10100);
      seedIssues(r, jira, sizes.issuesPerProject, epoch, (p) => dcUsers[p.leadIdx]?.name ?? 'admin');
    } else {
      spaces = makeSpaces(r, sizes.dcProjects, dcUsers.length, groupNames, epoch, 65000).spaces;
      pages = makePages(r, spaces, sizes.pagesPerSpace, dcUsers.length, epoch);
    }
    dcInstances.push({
      name: spec.name,
      product: spec.product,
      contextPath: spec.product === 'jira' ? '/jira' : '/confluence',
      version: spec.product === 'jira' ? '10.3.12' : '9.2.6',
      buildNumber: spec.product === 'jira' ? 10030012 : 9020006,
      serverId: `${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}`.toUpperCase(),
      title: `${spec.name} (Acme)`,
      nodeCount: spec.name.endsWith('-1') ? 1 : 2,
      users: dcUsers,
      groups: dcGroups,
      jira,
      spaces,
      pages,
      applicationRoles:
        spec.product === 'jira'
          ? [
              {
                key: 'jira-software',
                name: 'Jira Software',
                groups: ['jira-software-users', 'jira-administrators'],
                defaultGroups: ['jira-software-users'],
                numberOfSeats: Math.ceil(sizes.dcUsers * 1.1),
              },
              {
                key: 'jira-servicedesk',
                name: 'Jira Service Management',
                groups: ['jira-administrators'],
                defaultGroups: [],
                numberOfSeats: 10,
              },
            ]
          : [],
      apps: makeDcApps(r, sizes.dcApps),
      appLinks: [],
      license: {
        licenseType: 'COMMERCIAL',
        maximumNumberOfUsers: Math.ceil(sizes.dcUsers * 1.1),
        expiryDate: epoch + 200 * DAY,
        organizationName: 'Acme Corporation',
        sen: `SEN-L${10000000 + r.int(9000000)}`,
        dataCenter: true,
      },
    });
  }
  // Application links: every DC instance links to every other one (and the first Jira to the first cloud site's
  // Confluence is not modelled: cloud links go through a different mechanism).
  for (const instance of dcInstances) {
    for (const other of dcInstances) {
      if (other === instance) continue;
      const url = `${options.baseUrl}/dc/${other.name}${other.contextPath}`;
      instance.appLinks.push({
        id: createRandom(`${instance.name}->${other.name}`).uuid(),
        typeId: other.product,
        name: other.title,
        displayUrl: url,
        rpcUrl: url,
        isPrimary: !instance.appLinks.some((l) => l.typeId === other.product),
      });
    }
  }

  return { seed, epoch, orgs: [org], cloudSites, dcInstances };
}
