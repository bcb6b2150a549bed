/** What a connection can point at. The kind fixes the auth scheme and the API family. */
export const CONNECTION_KINDS = [
  'jira-cloud',
  'confluence-cloud',
  'atlassian-org',
  'jira-dc',
  'confluence-dc',
] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export interface KindTraits {
  /** `basic` is email:API-token, `bearer` is an org API key or a Data Center personal access token. */
  auth: 'basic' | 'bearer';
  deployment: 'cloud' | 'dc' | 'org';
  product: 'jira' | 'confluence' | 'admin';
  /** Fields the user must give besides the name and the secret. */
  requires: ReadonlyArray<'url' | 'email' | 'orgId'>;
  /** What the secret is called in messages and prompts. */
  secretLabel: string;
}

export const KIND_TRAITS: Record<ConnectionKind, KindTraits> = {
  'jira-cloud': {
    auth: 'basic',
    deployment: 'cloud',
    product: 'jira',
    requires: ['url', 'email'],
    secretLabel: 'API token',
  },
  'confluence-cloud': {
    auth: 'basic',
    deployment: 'cloud',
    product: 'confluence',
    requires: ['url', 'email'],
    secretLabel: 'API token',
  },
  'atlassian-org': {
    auth: 'bearer',
    deployment: 'org',
    product: 'admin',
    requires: ['orgId'],
    secretLabel: 'organization API key',
  },
  'jira-dc': {
    auth: 'bearer',
    deployment: 'dc',
    product: 'jira',
    requires: ['url'],
    secretLabel: 'personal access token',
  },
  'confluence-dc': {
    auth: 'bearer',
    deployment: 'dc',
    product: 'confluence',
    requires: ['url'],
    secretLabel: 'personal access token',
  },
};

/** Atlassian's public endpoints; overridable per connection (that is how tests and the demo reach the simulator). */
export const DEFAULT_ADMIN_API_URL = 'https://api.atlassian.com/admin';
export const DEFAULT_TEAMS_API_URL = 'https://api.atlassian.com/public/teams';
export const DEFAULT_GATEWAY_URL = 'https://api.atlassian.com';

export function isConnectionKind(value: unknown): value is ConnectionKind {
  return typeof value === 'string' && (CONNECTION_KINDS as readonly string[]).includes(value);
}
