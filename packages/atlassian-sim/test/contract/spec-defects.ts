// The ONE register of known defects in Atlassian's official OpenAPI specs (API-NOTES §1.2) and of the error envelopes
// Atlassian really sends but the specs omit or mis-type (API-NOTES §4). The contract validator consults this list
// before the spec, so a simulator that copies the wire (not the broken spec) still passes, and every deviation from
// the published contract is written down here with its source rather than scattered through tests.
import type { SpecId } from './spec-validator.ts';

/** An OpenAPI 3.0 schema fragment; `$ref`s to `#/components/schemas/...` point into the defect's own spec. */
export type OpenApiSchema = { readonly [keyword: string]: unknown };

export type StatusRange = '1XX' | '2XX' | '3XX' | '4XX' | '5XX';

export type DefectFix =
  /** The response is not checked at all (the spec gives nothing usable and no better shape is documented). */
  | 'unchecked'
  /** Validate against this schema instead of whatever the spec says (or omits). */
  | { readonly schema: OpenApiSchema }
  /** The spec documents the operation under a misspelt path key; use that key's operation. */
  | { readonly specPath: string };

export type SpecDefect = {
  readonly spec: SpecId;
  /** Upper-case HTTP method, or '*' for every method. */
  readonly method: string;
  /**
   * A path template as the spec spells its keys (e.g. `/api/2/project` for Jira DC), or '*' for every operation.
   * A '*' entry only fills in responses the spec documents without a schema: it describes the envelope Atlassian
   * omitted, and must neither override a schema the spec does give nor make an undocumented status acceptable.
   */
  readonly path: string;
  /** Omitted: every status of the operation. */
  readonly status?: number | StatusRange;
  /** Why, quoting API-NOTES.md. */
  readonly reason: string;
  readonly fix: DefectFix;
};

const ref = (name: string): OpenApiSchema => ({ $ref: `#/components/schemas/${name}` });
const arrayOf = (name: string): OpenApiSchema => ({ type: 'array', items: ref(name) });

// Jira DC declares `IssueBean.fields` values as `object`; real fields are strings, numbers, arrays and nulls too.
// Only `fields` (and its rendered twin) is relaxed; the rest of IssueBean is still checked through its components.
const jiraDcIssue: OpenApiSchema = {
  type: 'object',
  properties: {
    expand: { type: 'string' },
    id: { type: 'string' },
    key: { type: 'string' },
    self: { type: 'string' },
    fields: { type: 'object' },
    renderedFields: { type: 'object' },
    names: { type: 'object', additionalProperties: { type: 'string' } },
    schema: { type: 'object' },
    properties: ref('PropertiesBean'),
    transitions: { type: 'array', items: ref('TransitionBean') },
    operations: ref('OpsbarBean'),
    editmeta: ref('EditMetaBean'),
    changelog: ref('ChangelogBean'),
    versionedRepresentations: { type: 'object' },
    fieldsToInclude: { type: 'object' },
  },
};

const jiraDcSearchResults: OpenApiSchema = {
  type: 'object',
  properties: {
    expand: { type: 'string' },
    startAt: { type: 'integer' },
    maxResults: { type: 'integer' },
    total: { type: 'integer' },
    issues: { type: 'array', items: jiraDcIssue },
    warningMessages: { type: 'array', items: { type: 'string' } },
    names: { type: 'object', additionalProperties: { type: 'string' } },
    schema: { type: 'object' },
  },
};

const jiraDcItemNotArray = (path: string, item: string): SpecDefect => ({
  spec: 'jira-dc',
  method: 'GET',
  path,
  status: 200,
  reason: `API-NOTES §1.2 Jira DC 10.3: "GET /project, /field, /issuetype, /priority and /status reference an item schema instead of an array" (${item}).`,
  fix: { schema: arrayOf(item) },
});

// API-NOTES §4: "Confluence Cloud v2 | {"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]};
// 400 uses "code":"INVALID_REQUEST_PARAMETER"".
const confluenceV2Errors: OpenApiSchema = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['status', 'code', 'title'],
        properties: {
          status: { type: 'integer' },
          code: { type: 'string' },
          title: { type: 'string' },
          detail: { type: 'string', nullable: true },
        },
      },
    },
  },
};

// API-NOTES §4: Jira Cloud and DC `/rest/api/*` errors are `ErrorCollection`:
// {"errorMessages":["…"],"errors":{"field":"message"},"status"?:int}.
const jiraErrorCollection: OpenApiSchema = ref('ErrorCollection');

// API-NOTES §4, Jira Cloud auth failure (edge): a JSON 401 is either
// {"message":"Client must be authenticated to access this resource.","status-code":401} or, for a missing OAuth scope,
// {"code":401,"message":"Unauthorized; scope does not match"} (plain-text bodies are not JSON and are not checked).
const jiraCloud401: OpenApiSchema = {
  anyOf: [
    jiraErrorCollection,
    {
      type: 'object',
      required: ['message', 'status-code'],
      properties: { message: { type: 'string' }, 'status-code': { type: 'integer' } },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'integer' }, message: { type: 'string' } },
      additionalProperties: false,
    },
  ],
};

// API-NOTES §4, Admin Organizations: "(a) ProxyError {"code":401|429,"message":"…"} for gateway 401/429;
// (b) ApplicationErrors {"errors":[{"id","status":"404","code":"ADMIN-404-2","title","detail"}]}".
const adminErrors: OpenApiSchema = { anyOf: [ref('ProxyError'), ref('Errors.ApplicationErrors.Model')] };

const adminEnvelope = (spec: 'admin' | 'admin-2026-07'): SpecDefect => ({
  spec,
  method: '*',
  path: '*',
  status: '4XX',
  reason:
    'API-NOTES §4 Admin Organizations: errors are "ProxyError {code,message}" from the gateway or "ApplicationErrors {errors:[{id,status,code,title,detail}]}"; some error responses in the spec carry no schema.',
  fix: { schema: adminErrors },
});

const defects: readonly SpecDefect[] = [
  // --- Jira DC 10.3 (API-NOTES §1.2, from zackbunch/jira-dc-mock-server contracts/COMPATIBILITY.md) ---
  {
    spec: 'jira-dc',
    method: 'GET',
    path: '/api/2/project',
    status: 200,
    reason:
      'API-NOTES §1.2 Jira DC 10.3: "GET /project … reference an item schema instead of an array"; §7.1/§6 list DC "bare arrays (/project, /user/search)".',
    fix: { schema: arrayOf('ProjectBean') },
  },
  jiraDcItemNotArray('/api/2/field', 'FieldBean'),
  jiraDcItemNotArray('/api/2/issuetype', 'IssueTypeJsonBean'),
  jiraDcItemNotArray('/api/2/priority', 'PriorityJsonBean'),
  jiraDcItemNotArray('/api/2/status', 'StatusJsonBean'),
  {
    spec: 'jira-dc',
    method: 'GET',
    path: '/api/2/application-properties/advanced-settings',
    status: 200,
    reason:
      'API-NOTES §1.2 Jira DC 10.3 defect list (COMPATIBILITY.md #4): advanced-settings "describes and exemplifies an array of properties, but its generated response schema is a single Property".',
    fix: { schema: arrayOf('Property') },
  },
  {
    spec: 'jira-dc',
    method: 'GET',
    path: '/api/2/application-properties',
    status: 200,
    reason:
      'Same defect class as API-NOTES §1.2 Jira DC 10.3 "reference an item schema instead of an array": without `key` the operation lists properties, and the spec\'s own example (specs/examples/jira-dc-10.3/getProperty.200-example.json) is an array, while the schema is a single Property.',
    fix: { schema: { anyOf: [ref('Property'), arrayOf('Property')] } },
  },
  {
    spec: 'jira-dc',
    method: 'GET',
    path: '/api/2/group/member',
    status: 200,
    reason:
      'API-NOTES §1.2 Jira DC 10.3: "GET /api/2/group/member declares groupname as a path parameter (it is a query parameter) and declares a UserBean response (it is really a PageBean)". Request parameters are not validated here; the response is a PageBean of users.',
    fix: {
      schema: {
        allOf: [
          ref('PageBean'),
          { type: 'object', properties: { values: { type: 'array', items: ref('UserJsonBean') } } },
        ],
      },
    },
  },
  {
    spec: 'jira-dc',
    method: 'GET',
    path: '/api/2/serverInfo',
    status: 200,
    reason:
      'API-NOTES §1.2 Jira DC 10.3: "ServerInfoBean has no required fields; /serverInfo has no schema at all" (ServerInfoBean is a bare {type: object}).',
    fix: 'unchecked',
  },
  {
    spec: 'jira-dc',
    method: 'GET',
    path: '/api/2/issue/{issueIdOrKey}',
    status: 200,
    reason: 'API-NOTES §1.2 Jira DC 10.3: "IssueBean.fields values are typed as object".',
    fix: { schema: jiraDcIssue },
  },
  {
    spec: 'jira-dc',
    method: 'GET',
    path: '/api/2/search',
    status: 200,
    reason:
      'API-NOTES §1.2 Jira DC 10.3: "IssueBean.fields values are typed as object" (search results embed IssueBean).',
    fix: { schema: jiraDcSearchResults },
  },
  {
    spec: 'jira-dc',
    method: 'POST',
    path: '/api/2/search',
    status: 200,
    reason:
      'API-NOTES §1.2 Jira DC 10.3: "IssueBean.fields values are typed as object" (search results embed IssueBean).',
    fix: { schema: jiraDcSearchResults },
  },
  {
    spec: 'jira-dc',
    method: '*',
    path: '*',
    status: '4XX',
    reason:
      'API-NOTES §4: "Jira DC | Same ErrorCollection" ({"errorMessages":[…],"errors":{…}}); the DC spec documents almost every error status without a body schema.',
    fix: { schema: jiraErrorCollection },
  },

  // --- Jira Cloud platform v3 (API-NOTES §4) ---
  {
    spec: 'jira-cloud',
    method: '*',
    path: '*',
    status: 401,
    reason:
      'API-NOTES §4 Jira Cloud auth failure: 401 bodies are ErrorCollection, {"message":"Client must be authenticated to access this resource.","status-code":401} or {"code":401,"message":"Unauthorized; scope does not match"}; the spec gives most 401s no schema.',
    fix: { schema: jiraCloud401 },
  },
  {
    spec: 'jira-cloud',
    method: '*',
    path: '*',
    status: '4XX',
    reason:
      'API-NOTES §4: Jira Cloud `/rest/api/*` errors are "ErrorCollection: {"errorMessages":["…"],"errors":{"field":"message"},"status"?:int}"; many error responses in the spec have no schema.',
    fix: { schema: jiraErrorCollection },
  },

  // --- Confluence Cloud v2 (API-NOTES §1.2 "Error responses have no schema", §4) ---
  {
    spec: 'confluence-cloud',
    method: '*',
    path: '*',
    status: '4XX',
    reason:
      'API-NOTES §1.2 Confluence v2: "Error responses have no schema"; §4: {"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}.',
    fix: { schema: confluenceV2Errors },
  },
  {
    spec: 'confluence-cloud',
    method: '*',
    path: '*',
    status: '5XX',
    reason: 'API-NOTES §1.2 Confluence v2: "Error responses have no schema"; §4 gives the {"errors":[…]} envelope.',
    fix: { schema: confluenceV2Errors },
  },

  // --- Admin Organizations (API-NOTES §1.2, §4) ---
  adminEnvelope('admin'),
  adminEnvelope('admin-2026-07'),
  {
    spec: 'admin-2026-07',
    method: 'POST',
    path: '/v2/orgs/{orgId}/directories/{directoryId}/groups/{groupId}/role-assignments/revoke',
    reason:
      'API-NOTES §1.2 Admin Organizations: "A path with a stray quote (…/role-assignments/revoke\'), present in the Jul 2026 copy and fixed in Aug 2026."',
    fix: { specPath: "/v2/orgs/{orgId}/directories/{directoryId}/groups/{groupId}/role-assignments/revoke'" },
  },

  // --- Confluence Cloud v2 nulls and Confluence DC RestError (API-NOTES §2.3, §4) ---
  ...confluenceV2NullFieldDefects(),
  ...confluenceDcRestErrorDefects(),
  // --- Jira identity routes (test/contract/jira-identity.contract.test.ts) ---
  {
    spec: 'jira-dc',
    method: 'GET',
    path: '/api/2/user/search',
    status: 200,
    reason:
      'API-NOTES §2.4 and §6: DC user/search is a "bare array" of users; the spec declares a single UserBean (the same item-instead-of-array defect as API-NOTES §1.2 "GET /project … reference an item schema instead of an array").',
    fix: { schema: arrayOf('UserBean') },
  },
  jiraDcItemNotArray('/api/2/applicationrole', 'ApplicationRoleBean'),
  jiraDcItemNotArray('/api/2/cluster/nodes', 'NodeBean'),
  {
    spec: 'jira-cloud',
    method: 'GET',
    path: '/rest/api/3/user',
    status: 400,
    reason:
      'API-NOTES §4: Jira Cloud errors are ErrorCollection. GET user without accountId answers 400 {"errorMessages":["The \'accountId\' query parameter needs to be provided"],"errors":{}} (quoted in apache/devlake#4302 and jenkinsci/jira-plugin#474); the spec documents only 200/401/403/404.',
    fix: { schema: jiraErrorCollection },
  },
  // --- Jira issue machinery (appended by the issue-routes work) ---
  ...(['GET', 'POST'] as const).map((method): SpecDefect => ({
    spec: 'jira-cloud',
    method,
    path: '/rest/api/3/search',
    status: 410,
    reason:
      'API-NOTES §2.1: the old /rest/api/{2,3}/search is "marked deprecated: Endpoint is currently being removed (CHANGE-2046)" in the spec, which documents no 410; "[2nd] it returns 410 Gone where removed" with an ErrorCollection ("The requested API has been removed. Please migrate to the /rest/api/3/search/jql API…").',
    fix: { schema: jiraErrorCollection },
  })),
  {
    spec: 'jira-dc',
    method: 'GET',
    path: '/api/2/issue/{issueIdOrKey}/properties/{propertyKey}',
    status: 200,
    reason:
      'Same defect class as API-NOTES §1.2 Jira DC 10.3 "IssueBean.fields values are typed as object": EntityPropertyBean.value is typed as string, but a property value is any JSON (the PUT takes "a valid, non-empty JSON blob"; the cloud spec leaves the same field untyped).',
    fix: { schema: { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string' }, value: {} } } },
  },
  {
    spec: 'jira-dc',
    method: 'POST',
    path: '/api/2/issue/{issueIdOrKey}/attachments',
    status: 200,
    reason:
      'Same defect class as API-NOTES §1.2 Jira DC 10.3 "reference an item schema instead of an array": addAttachment "Returns a JSON representation of the attachments added" (one per multipart file part, as the cloud spec types it: an array of Attachment), but the DC spec declares a single AttachmentJsonBean.',
    fix: { schema: arrayOf('AttachmentJsonBean') },
  },
  ...(
    [
      ['/api/2/issue/createmeta/{projectIdOrKey}/issuetypes', 'CreateMetaIssueTypeBean'],
      ['/api/2/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}', 'FieldMetaBean'],
    ] as const
  ).map(([path, item]): SpecDefect => ({
    spec: 'jira-dc',
    method: 'GET',
    path,
    status: 200,
    reason: `API-NOTES §1.2 Jira DC 10.3: "Paged operations reference item beans instead of page beans": createmeta pages are {maxResults,startAt,total,isLast,values:[${item}]}.`,
    fix: {
      schema: {
        type: 'object',
        required: ['maxResults', 'startAt', 'total', 'isLast', 'values'],
        properties: {
          maxResults: { type: 'integer' },
          startAt: { type: 'integer' },
          total: { type: 'integer' },
          isLast: { type: 'boolean' },
          values: arrayOf(item),
        },
      },
    },
  })),
];

/** Every recorded defect, or those of one spec, so a test can print how far the contract deviates from the specs. */
export function listSpecDefects(spec?: SpecId): readonly SpecDefect[] {
  return spec === undefined ? defects : defects.filter((d) => d.spec === spec);
}

// --- Confluence (appended by the Confluence surface; hoisted declarations so the list above can use them) ---

/** A schema that lets `nullable` wrap a component reference or an inline type. */
function nullable(schema: OpenApiSchema): OpenApiSchema {
  return { ...schema, nullable: true };
}

/**
 * Confluence v2 sends `null` for fields the spec types as non-nullable objects and strings: `"icon":null,
 * "description":null` on spaces unless include-icon / description-format ask for them (API-NOTES §2.3, the
 * text2confl fixture of GET /wiki/api/v2/spaces), and `"parentId":null,"parentType":null` on top-level pages, which
 * the spec's own descriptions admit ("ID of the parent page, or null if there is no parent page") while typing them
 * as plain strings. The wire shapes below are the spec's SpaceBulk/PageBulk with just those fields made nullable.
 */
function confluenceV2NullFieldDefects(): SpecDefect[] {
  const space: OpenApiSchema = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      key: { type: 'string' },
      name: { type: 'string' },
      type: ref('SpaceType'),
      status: ref('SpaceStatus'),
      authorId: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      homepageId: { type: 'string' },
      description: nullable(ref('SpaceDescription')),
      icon: nullable(ref('SpaceIcon')),
      _links: { allOf: [ref('SpaceLinks'), { type: 'object', properties: { base: { type: 'string' } } }] },
    },
  };
  const page = (body: string): OpenApiSchema => ({
    type: 'object',
    properties: {
      id: { type: 'string' },
      status: ref('ContentStatus'),
      title: { type: 'string' },
      spaceId: { type: 'string' },
      parentId: nullable({ type: 'string' }),
      parentType: nullable(ref('ParentContentType')),
      position: nullable({ type: 'integer' }),
      authorId: { type: 'string' },
      ownerId: nullable({ type: 'string' }),
      lastOwnerId: nullable({ type: 'string' }),
      createdAt: { type: 'string', format: 'date-time' },
      version: ref('Version'),
      body: ref(body),
      _links: { allOf: [ref('AbstractPageLinks'), { type: 'object', properties: { base: { type: 'string' } } }] },
    },
  });
  const list = (item: OpenApiSchema): OpenApiSchema => ({
    type: 'object',
    properties: { results: { type: 'array', items: item }, _links: ref('MultiEntityLinks') },
  });
  const spaceReason =
    'API-NOTES §2.3: real GET /wiki/api/v2/spaces payloads carry "icon":null and "description":null (text2confl fixture) where the spec types SpaceDescription/SpaceIcon as non-nullable objects.';
  const pageReason =
    'Same defect class as API-NOTES §2.3 (nulls the spec types as non-nullable): Confluence v2 sends "parentId":null and "parentType":null for top-level pages; the spec describes parentId as "ID of the parent page, or null if there is no parent page" but types it as a non-nullable string.';
  const entry = (path: string, schema: OpenApiSchema, reason: string): SpecDefect => ({
    spec: 'confluence-cloud',
    method: 'GET',
    path,
    status: 200,
    reason,
    fix: { schema },
  });
  return [
    entry('/spaces', list(space), spaceReason),
    entry('/spaces/{id}', space, spaceReason),
    entry('/pages', list(page('BodyBulk')), pageReason),
    entry('/spaces/{id}/pages', list(page('BodyBulk')), pageReason),
    entry('/pages/{id}', page('BodySingle'), pageReason),
  ];
}

/**
 * Confluence DC's RestError declares `data` as ValidationResult with `errors` typed `object`, but the wire sends an
 * array: {"statusCode":404,"data":{"authorized":false,"valid":true,"errors":[],"successful":false},...} (API-NOTES
 * §4). One entry per documented RestError response of the routes the simulator serves, so an undocumented status
 * still fails.
 */
function confluenceDcRestErrorDefects(): SpecDefect[] {
  const restError: OpenApiSchema = {
    type: 'object',
    properties: {
      statusCode: { type: 'integer' },
      data: {
        type: 'object',
        properties: {
          authorized: { type: 'boolean' },
          valid: { type: 'boolean' },
          errors: { type: 'array' },
          successful: { type: 'boolean' },
          allowedInReadOnlyMode: { type: 'boolean' },
        },
      },
      message: { type: 'string' },
      reason: { type: 'string' },
    },
  };
  const documented: ReadonlyArray<readonly [string, number]> = [
    ['/rest/api/server-information', 401],
    ['/rest/api/instance-metrics', 401],
    ['/rest/api/instance-metrics', 403],
    ['/rest/api/space/{spaceKey}', 404],
    ['/rest/api/space/{spaceKey}/permissions', 401],
    ['/rest/api/space/{spaceKey}/permissions', 403],
    ['/rest/api/user', 403],
    ['/rest/api/user', 404],
    ['/rest/api/user/current', 403],
    ['/rest/api/user/list', 403],
    ['/rest/api/group', 403],
    ['/rest/api/group/{groupName}/member', 403],
  ];
  return documented.map(([path, status]) => ({
    spec: 'confluence-dc',
    method: 'GET',
    path,
    status,
    reason:
      'API-NOTES §4: Confluence DC errors are {"statusCode","data":{"authorized","valid","errors":[],"successful"},"message","reason"}; the spec types ValidationResult.errors as an object, but it is an array on the wire.',
    fix: { schema: restError },
  }));
}
