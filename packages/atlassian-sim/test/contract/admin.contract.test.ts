// Contract test for the Admin API (specs 'admin' = Aug 2026 and 'admin-2026-07' for the v1 searches it removed) and
// the Teams API (no published spec: validated against the shapes API-NOTES §2.2 gives, with a small schema here).
// Every response, success and error, goes through the validator; the request bodies sent to the search endpoints
// are checked against the spec's request schemas too, so a test cannot pass by sending what Atlassian would refuse.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { issueScopedAdminKey } from '../../src/surfaces/admin/admin-key-scopes.ts';
import { describeWithSpec, fetchContract } from './contract-harness.ts';
import { loadSpec, specsDir } from './spec-validator.ts';
import type { ContractResponse, OpenApiSpec } from './spec-validator.ts';

type Sim = ReturnType<typeof createSimulator>;
// The tests walk deep into untyped response JSON; a missing field fails the assertion that reads it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Checks a request body against the spec's `requestBody` schema of `METHOD template`. */
function requestChecker(spec: OpenApiSpec) {
  const definitions = JSON.parse(
    JSON.stringify(spec.document.components?.schemas ?? {}).replaceAll('#/components/schemas/', '#/definitions/'),
  );
  const ajv = new Ajv({
    allErrors: true,
    format: 'fast',
    unknownFormats: 'ignore',
    validateSchema: false,
    logger: false,
  });
  return (method: string, template: string, body: unknown) => {
    const op = spec.document.paths[template]?.[method.toLowerCase()] as Json | undefined;
    const schema = op?.['requestBody']?.['content']?.['application/json']?.['schema'];
    if (!schema) throw new Error(`no request schema for ${method} ${template}`);
    const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', '#/definitions/'));
    const validate = ajv.compile({ ...rewritten, definitions });
    expect(validate(body) ? 'valid' : ajv.errorsText(validate.errors), `request of ${method} ${template}`).toBe(
      'valid',
    );
  };
}

function sharedExample(file: string): Json {
  return (
    JSON.parse(readFileSync(path.join(specsDir(), 'examples', 'admin-organization', file), 'utf8')) as { example: Json }
  ).example;
}

function admin(sim: Sim, key: string) {
  return (method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<ContractResponse> =>
    // Paths are validated as the spec writes them, relative to https://api.atlassian.com/admin.
    fetchContract(sim, `${sim.state.baseUrl}/admin${p}`, p, {
      method,
      headers: headers ?? { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

describeWithSpec(loadSpec('admin'), 'Admin API contract (Aug 2026 spec)', (validate, spec) => {
  const checkRequest = requestChecker(spec);
  const sim = createSimulator({ preset: 'small' });
  const org = sim.describe().orgs[0];
  if (!org) throw new Error('no org');
  const call = admin(sim, org.apiKey);
  const expectStatus = async (
    status: number,
    method: string,
    p: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => {
    const res = await call(method, p, body, headers);
    expect(res.status, `${method} ${p} ${JSON.stringify(body)} -> ${JSON.stringify(res.body)}`).toBe(status);
    validate(res);
    return res.body as Json;
  };
  const o = `/v1/orgs/${org.id}`;
  const d = `/v2/orgs/${org.id}/directories/-`;

  it('serves the v1 org, users and domains', async () => {
    await expectStatus(200, 'GET', '/v1/orgs');
    await expectStatus(200, 'GET', o);
    await expectStatus(200, 'GET', `${o}/users`);
    // The small preset fits one page; the medium one shows a full-URL links.next to follow.
    const medium = createSimulator({ preset: 'medium' });
    const mediumOrg = medium.describe().orgs[0];
    const mediumCall = admin(medium, mediumOrg?.apiKey ?? '');
    const usersPath = `/v1/orgs/${mediumOrg?.id ?? ''}/users`;
    const page = await mediumCall('GET', usersPath);
    validate(page);
    const next = new URL((page.body as Json)['links']['next']);
    const second = await mediumCall('GET', `${usersPath}${next.search}`);
    expect(second.status).toBe(200);
    validate(second);
    const domains = await expectStatus(200, 'GET', `${o}/domains`);
    await expectStatus(200, 'GET', `${o}/domains/${domains['data'][0]['id']}`);
  });

  it('answers v1 errors in the documented envelopes', async () => {
    await expectStatus(401, 'GET', '/v1/orgs', undefined, {});
    await expectStatus(401, 'GET', `${o}/users`, undefined, { authorization: 'Bearer not-a-key' });
    await expectStatus(400, 'GET', '/v1/orgs?cursor=bad');
    await expectStatus(400, 'GET', `${o}/users?cursor=bad`);
    await expectStatus(404, 'GET', '/v1/orgs/00000000-0000-4000-8000-000000000000');
    await expectStatus(404, 'GET', '/v1/orgs/00000000-0000-4000-8000-000000000000/users');
    await expectStatus(404, 'GET', `${o}/domains/nope`);
    // The third envelope: a key issued without read:domains:admin gets the domains NoPermsError.
    const narrow = issueScopedAdminKey(sim.state, 0, ['read:org:admin']);
    await expectStatus(403, 'GET', `${o}/domains`, undefined, { authorization: `Bearer ${narrow}` });
    await expectStatus(403, 'GET', `${o}/domains/any`, undefined, { authorization: `Bearer ${narrow}` });
  });

  it('serves directories, user search (Atlassian’s own request examples) and the deprecated GET', async () => {
    await expectStatus(200, 'GET', `/v2/orgs/${org.id}/directories`);
    const bodies = [
      sharedExample('searchDirectoryUsers.request-search_by_emails.json'),
      sharedExample('searchDirectoryUsers.request-search_by_term.json'),
      sharedExample('searchDirectoryUsers.request-search_with_expand.json'),
      { emails: [org.email] },
      {
        limit: 5,
        expand: ['platformRoles', 'counts.resources', 'productAccess', 'groups'],
        accountStatus: ['active', 'inactive'],
      },
      {
        limit: 3,
        sortBy: [{ field: 'nick_name', direction: 'desc' }],
        status: ['active'],
        membershipStatus: ['active'],
      },
    ];
    for (const body of bodies) {
      checkRequest('POST', '/v2/orgs/{orgId}/directories/{directoryId}/users/search', body);
      await expectStatus(200, 'POST', `${d}/users/search`, body);
    }
    const first = await expectStatus(200, 'POST', `${d}/users/search`, {
      limit: 10,
      expand: ['groups', 'productAccess', 'platformRoles'],
    });
    await expectStatus(200, 'POST', `${d}/users/search`, { limit: 10, cursor: first['links']['next'] });
    await expectStatus(200, 'GET', `${d}/users?limit=10&accountStatus=active`);
    await expectStatus(200, 'GET', `${d}/users/${encodeURIComponent(first['data'][0]['accountId'])}/role-assignments`);
    await expectStatus(200, 'GET', `${d}/users/${encodeURIComponent(first['data'][0]['accountId'])}`);
    await expectStatus(404, 'GET', `${d}/users/nope`);
  });

  it('answers v2 user errors in the documented envelopes', async () => {
    await expectStatus(400, 'POST', `${d}/users/search`, { emails: ['a@acme.example'], searchTerm: 'a' });
    await expectStatus(400, 'POST', `${d}/users/search`, { limit: 101 });
    await expectStatus(400, 'POST', `${d}/users/search`, { cursor: 'not-ours' });
    await expectStatus(400, 'GET', `${d}/users?limit=0`);
    await expectStatus(401, 'POST', `${d}/users/search`, {}, {});
    await expectStatus(404, 'POST', `/v2/orgs/${org.id}/directories/nope/users/search`, {});
    await expectStatus(404, 'GET', `${d}/users/nope/role-assignments`);
    await expectStatus(400, 'GET', `/v2/orgs/${org.id}/directories?limit=500`);
  });

  it('serves group search (Atlassian’s request examples), group details and membership writes', async () => {
    const world = sim.state.world.orgs[0];
    const group = world?.groups[1];
    if (!world || !group) throw new Error('no group');
    const bodies = [
      sharedExample('searchDirectoryGroups.request-filter_by_group_ids.json'),
      sharedExample('searchDirectoryGroups.request-search_by_term.json'),
      sharedExample('searchDirectoryGroups.request-search_with_expand.json'),
      { groupIds: [group.id], expand: ['counts.users'] },
      { limit: 3, sortBy: [{ field: 'name', direction: 'asc' }] },
    ];
    for (const body of bodies) {
      checkRequest('POST', '/v2/orgs/{orgId}/directories/{directoryId}/groups/search', body);
      await expectStatus(200, 'POST', `${d}/groups/search`, body);
    }
    await expectStatus(200, 'GET', `${d}/groups?limit=5&counts[includeUsers]=true`);
    await expectStatus(200, 'GET', `${d}/groups/${group.id}`);
    const outsider = world.users.find((u, i) => u.accountType === 'atlassian' && !group.members.includes(i));
    if (!outsider) throw new Error('no outsider');
    await expectStatus(204, 'POST', `${d}/groups/${group.id}/memberships`, { accountId: outsider.accountId });
    await expectStatus(204, 'DELETE', `${d}/groups/${group.id}/memberships/${encodeURIComponent(outsider.accountId)}`);
    await expectStatus(404, 'GET', `${d}/groups/nope`);
    await expectStatus(404, 'POST', `${d}/groups/nope/memberships`, { accountId: outsider.accountId });
    await expectStatus(404, 'POST', `${d}/groups/${group.id}/memberships`, { accountId: 'nobody' });
    await expectStatus(400, 'POST', `${d}/groups/${group.id}/memberships`, {});
    await expectStatus(400, 'POST', `${d}/groups/search`, { expand: ['counts.everything'] });
  });

  it('serves the workspaces search (Atlassian’s request examples)', async () => {
    const query = sharedExample('queryWorkspacesV2.request-search_workspaces_request.json');
    checkRequest('POST', '/v2/orgs/{orgId}/workspaces', query);
    await expectStatus(200, 'POST', `/v2/orgs/${org.id}/workspaces`, query);
    const all = await expectStatus(200, 'POST', `/v2/orgs/${org.id}/workspaces`, { limit: 1 });
    await expectStatus(200, 'POST', `/v2/orgs/${org.id}/workspaces`, { limit: 1, cursor: all['links']['next'] });
    // The example's cursor was issued by Atlassian, not by this simulator: an invalid cursor.
    const foreignCursor = sharedExample('queryWorkspacesV2.request-cursor_only.json');
    checkRequest('POST', '/v2/orgs/{orgId}/workspaces', foreignCursor);
    await expectStatus(400, 'POST', `/v2/orgs/${org.id}/workspaces`, foreignCursor);
    await expectStatus(401, 'POST', `/v2/orgs/${org.id}/workspaces`, {}, {});
    await expectStatus(404, 'POST', '/v2/orgs/00000000-0000-4000-8000-000000000000/workspaces', {});
  });

  it('answers a burst with the documented 429 ProxyError', async () => {
    const limited = createSimulator({ preset: 'small', rateLimits: { adminRps: 1 }, now: () => 0 });
    const key = limited.describe().orgs[0]?.apiKey ?? '';
    const get = admin(limited, key);
    expect((await get('GET', '/v1/orgs')).status).toBe(200);
    const res = await get('GET', '/v1/orgs');
    expect(res.status).toBe(429);
    validate(res);
  });
});

describeWithSpec(
  loadSpec('admin-2026-07'),
  'Admin API contract (Jul 2026 spec: deprecated v1 searches)',
  (validate, spec) => {
    const checkRequest = requestChecker(spec);
    const sim = createSimulator({ preset: 'small' });
    const org = sim.describe().orgs[0];
    if (!org) throw new Error('no org');
    const call = admin(sim, org.apiKey);
    const expectStatus = async (status: number, p: string, body: unknown, headers?: Record<string, string>) => {
      const res = await call('POST', p, body, headers);
      expect(res.status, `${p} ${JSON.stringify(body)} -> ${JSON.stringify(res.body)}`).toBe(status);
      validate(res);
      return res.body as Json;
    };

    it('serves users/search and groups/search with bare cursor tokens', async () => {
      for (const kind of ['users', 'groups'] as const) {
        const template = `/v1/orgs/{orgId}/${kind}/search`;
        const example = sharedExample(`search${kind === 'users' ? 'Users' : 'Groups'}.request-limit_only.json`);
        checkRequest('POST', template, example);
        const first = await expectStatus(200, `/v1/orgs/${org.id}/${kind}/search`, example);
        const next = { limit: 20, cursor: first['links']['next'] };
        checkRequest('POST', template, next);
        await expectStatus(200, `/v1/orgs/${org.id}/${kind}/search`, next);
      }
      const filtered = {
        limit: 5,
        accountStatuses: ['ACTIVE'],
        accountTypes: ['atlassian'],
        expand: ['NAME', 'EMAIL', 'EMAIL_VERIFIED'],
        emailDomains: { eq: [org.email.split('@')[1] ?? ''] },
      };
      checkRequest('POST', '/v1/orgs/{orgId}/users/search', filtered);
      await expectStatus(200, `/v1/orgs/${org.id}/users/search`, filtered);
      const groups = { limit: 5, groupNames: { contains: 'site' }, expand: ['ROLE_ASSIGNMENTS'] };
      checkRequest('POST', '/v1/orgs/{orgId}/groups/search', groups);
      await expectStatus(200, `/v1/orgs/${org.id}/groups/search`, groups);
    });

    it('answers errors in the documented envelopes', async () => {
      await expectStatus(400, `/v1/orgs/${org.id}/users/search`, { cursor: 'bad' });
      await expectStatus(400, `/v1/orgs/${org.id}/groups/search`, { limit: 100_000 });
      await expectStatus(401, `/v1/orgs/${org.id}/users/search`, {}, {});
    });
  },
);

// --- Teams: no official spec; the shapes of API-NOTES §2.2 ("Teams public API") as a schema ---

const TEAM = {
  type: 'object',
  required: ['teamId', 'displayName', 'description', 'organizationId', 'state', 'teamType'],
  additionalProperties: false,
  properties: {
    teamId: { type: 'string' },
    displayName: { type: 'string' },
    description: { type: 'string' },
    organizationId: { type: 'string' },
    state: { enum: ['ACTIVE', 'ARCHIVED'] },
    teamType: { enum: ['OPEN', 'MEMBER_INVITE', 'EXTERNAL', 'ORG_ADMIN_MANAGED'] },
    creatorId: { type: 'string' },
    externalReference: { type: 'object' },
  },
};
const TEAMS_SCHEMAS: Record<string, object> = {
  teams: {
    type: 'object',
    required: ['entities', 'cursor'],
    additionalProperties: false,
    properties: { entities: { type: 'array', items: TEAM }, cursor: { type: ['string', 'null'] } },
  },
  team: TEAM,
  members: {
    type: 'object',
    required: ['results', 'pageInfo'],
    additionalProperties: false,
    properties: {
      results: {
        type: 'array',
        items: {
          type: 'object',
          required: ['accountId'],
          additionalProperties: false,
          properties: { accountId: { type: 'string' } },
        },
      },
      pageInfo: {
        type: 'object',
        required: ['endCursor', 'hasNextPage'],
        additionalProperties: false,
        properties: { endCursor: { type: ['string', 'null'] }, hasNextPage: { type: 'boolean' } },
      },
    },
  },
  error: {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: ['string', 'number'] }, message: { type: 'string' } },
  },
};

describe('Teams API contract (API-NOTES §2.2 shapes)', () => {
  const ajv = new Ajv({ allErrors: true });
  const sim = createSimulator({ preset: 'small' });
  const org = sim.describe().orgs[0];
  if (!org) throw new Error('no org');
  const teams = sim.state.world.orgs[0]?.teams ?? [];
  const check = async (shape: keyof typeof TEAMS_SCHEMAS, status: number, p: string, init: RequestInit = {}) => {
    const res = await sim.fetch(`${sim.state.baseUrl}/public/teams${p}`, {
      ...init,
      headers: {
        authorization: `Bearer ${org.apiKey}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    expect(res.status, p).toBe(status);
    const body: unknown = await res.json();
    const schema = TEAMS_SCHEMAS[shape];
    if (!schema) throw new Error(shape);
    const validateShape = ajv.compile(schema);
    expect(validateShape(body) ? 'valid' : ajv.errorsText(validateShape.errors), `${p} ${status}`).toBe('valid');
    return body as Json;
  };

  it('lists teams, gets one and pages its members', async () => {
    const first = await check('teams', 200, `/v1/org/${org.id}/teams?size=2`);
    await check('teams', 200, `/v1/org/${org.id}/teams?size=300&cursor=${first['cursor']}`);
    await check('team', 200, `/v1/org/${org.id}/teams/${teams[0]?.teamId}`);
    const members = await check('members', 200, `/v1/org/${org.id}/teams/${teams[0]?.teamId}/members`, {
      method: 'POST',
      body: JSON.stringify({ first: 1 }),
    });
    await check('members', 200, `/v1/org/${org.id}/teams/${teams[0]?.teamId}/members`, {
      method: 'POST',
      body: JSON.stringify({ first: 50, after: members['pageInfo']['endCursor'] }),
    });
  });

  it('answers errors with a status and a {code, message} body', async () => {
    await check('error', 410, `/v1/org/${org.id}/teams/${teams[teams.length - 1]?.teamId}`);
    await check('error', 410, `/v1/org/${org.id}/teams/${teams[teams.length - 1]?.teamId}/members`, {
      method: 'POST',
      body: '{}',
    });
    await check('error', 404, `/v1/org/${org.id}/teams/nope`);
    await check('error', 400, `/v1/org/${org.id}/teams?cursor=nope`);
    await check('error', 400, `/v1/org/${org.id}/teams/${teams[0]?.teamId}/members`, {
      method: 'POST',
      body: JSON.stringify({ first: 'ten' }),
    });
    await check('error', 401, `/v1/org/${org.id}/teams`, { headers: { authorization: 'Bearer nope' } });
  });
});
