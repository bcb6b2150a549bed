import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listSpecDefects } from './spec-defects.ts';
import { SPEC_IDS, createContractValidator, loadSpec, specSkipNotice, specsDir } from './spec-validator.ts';
import type { ContractValidator, OpenApiSpec, SpecId, SpecLookup } from './spec-validator.ts';

const dig = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (at, key) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined),
    value,
  );

// The examples Atlassian wrote inside the spec; many are JSON text rather than objects (API-NOTES §1.2).
function specExample(spec: OpenApiSpec, method: string, template: string, status: string): unknown {
  const raw = dig(
    spec.document.paths,
    template,
    method.toLowerCase(),
    'responses',
    status,
    'content',
    'application/json',
    'example',
  );
  if (raw === undefined) throw new Error(`no example for ${method} ${template} ${status}`);
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

// The extracted examples in the shared specs folder (see specs/examples/INDEX.tsv): `{ ..., example }` wrappers.
function sharedExample(dir: string, file: string): unknown {
  return (JSON.parse(readFileSync(path.join(specsDir(), 'examples', dir, file), 'utf8')) as { example: unknown })
    .example;
}

function external(id: SpecId): SpecLookup {
  const lookup = loadSpec(id);
  if (!lookup.spec) console.warn(specSkipNotice(lookup));
  return lookup;
}

const jiraLookup = loadSpec('jira-cloud');

describe('loadSpec', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('finds the committed Jira platform spec and parses it once', () => {
    expect(jiraLookup.spec, jiraLookup.path).toBeDefined();
    expect(Object.keys(jiraLookup.spec?.document.paths ?? {}).length).toBeGreaterThan(400);
    expect(loadSpec('jira-cloud').spec).toBe(jiraLookup.spec);
  });

  it('reports a missing specs directory so tests can skip visibly', () => {
    const missing = path.join(os.tmpdir(), 'skybridge-no-such-specs-dir');
    vi.stubEnv('ATLASSIAN_SPECS_DIR', missing);
    const lookup = loadSpec('confluence-cloud');
    expect(lookup.spec).toBeUndefined();
    expect(lookup.path).toBe(path.join(missing, 'confluence-v2.openapi-v2.v3.json'));
    expect(specSkipNotice(lookup)).toBe(
      `[contract] skipped: confluence-cloud spec not found at ${lookup.path} (set ATLASSIAN_SPECS_DIR)`,
    );
    expect(loadSpec('jira-dc', { specsDir: missing }).spec).toBeUndefined();
  });

  it('defaults the specs directory to <repo>/../shared/atlassian/specs', () => {
    vi.stubEnv('ATLASSIAN_SPECS_DIR', undefined);
    expect(specsDir()).toBe(path.resolve(import.meta.dirname, '../../../../../shared/atlassian/specs'));
  });
});

describe.skipIf(!jiraLookup.spec)('Jira Cloud platform v3 (committed spec)', () => {
  const spec = jiraLookup.spec as OpenApiSpec;
  const validator = createContractValidator(spec, { prefix: '' });
  const myself = specExample(spec, 'GET', '/rest/api/3/myself', '200') as Record<string, unknown>;

  it("passes Atlassian's own example", () => {
    expect(myself['accountId']).toBe('5b10a2844c20165700ede21g');
    expect(validator.validate({ method: 'GET', path: '/rest/api/3/myself', status: 200, body: myself })).toEqual({
      ok: true,
      operation: 'GET /rest/api/3/myself',
    });
  });

  it('fails a wrong type and names the field', () => {
    const result = validator.validate({
      method: 'GET',
      path: '/rest/api/3/myself',
      status: 200,
      body: { ...myself, active: 'yes' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toContain('/active should be boolean');
    expect(result.errors).toContain('/active should be boolean');
  });

  it('fails an undocumented field (the schemas are closed)', () => {
    const result = validator.validate({
      method: 'GET',
      path: '/rest/api/3/myself',
      status: 200,
      body: { ...myself, favouriteColour: 'blue' },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain("'favouriteColour'");
  });

  it('fails when a required field is removed, naming it', () => {
    const template = '/rest/api/3/configuration/timetracking/options';
    const example = specExample(spec, 'GET', template, '200') as Record<string, unknown>;
    expect(validator.validate({ method: 'GET', path: template, status: 200, body: example }).ok).toBe(true);
    const { workingHoursPerDay: _dropped, ...broken } = example;
    const result = validator.validate({ method: 'GET', path: template, status: 200, body: broken });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain("should have required property 'workingHoursPerDay'");
  });

  it('fails an undocumented status', () => {
    expect(validator.validate({ method: 'GET', path: '/rest/api/3/myself', status: 418, body: {} })).toEqual({
      ok: false,
      reason: 'status 418 not documented for GET /rest/api/3/myself',
      errors: [],
    });
  });

  it('fails an unknown path or method', () => {
    expect(validator.validate({ method: 'GET', path: '/foo', status: 200, body: {} })).toMatchObject({
      ok: false,
      reason: 'no operation for GET /foo',
    });
    expect(validator.validate({ method: 'PATCH', path: '/rest/api/3/myself', status: 200, body: {} })).toMatchObject({
      ok: false,
      reason: 'no operation for PATCH /rest/api/3/myself',
    });
  });

  it('prefers literal segments over {param} when several templates match', () => {
    const page = specExample(spec, 'GET', '/rest/api/3/project/search', '200');
    const project = specExample(spec, 'GET', '/rest/api/3/project/{projectIdOrKey}', '200');
    const search = validator.validate({
      method: 'GET',
      path: '/rest/api/3/project/search?startAt=0',
      status: 200,
      body: page,
    });
    expect(search).toMatchObject({ ok: true, operation: 'GET /rest/api/3/project/search' });
    // A single project is not a page: proves the search operation's schema was the one applied.
    expect(
      validator.validate({ method: 'GET', path: '/rest/api/3/project/search', status: 200, body: project }).ok,
    ).toBe(false);
    expect(
      validator.validate({ method: 'GET', path: '/rest/api/3/project/EX', status: 200, body: project }),
    ).toMatchObject({
      ok: true,
      operation: 'GET /rest/api/3/project/{projectIdOrKey}',
    });
  });

  it('checks documented error bodies and fills in 401s from API-NOTES §4', () => {
    const err = { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} };
    expect(validator.validate({ method: 'GET', path: '/rest/api/3/project/search', status: 404, body: err }).ok).toBe(
      true,
    );
    const edge = { message: 'Client must be authenticated to access this resource.', 'status-code': 401 };
    const result = validator.validate({ method: 'GET', path: '/rest/api/3/myself', status: 401, body: edge });
    expect(result).toMatchObject({ ok: true, operation: 'GET /rest/api/3/myself' });
    expect(result.ok && result.defect?.status).toBe(401);
    expect(
      validator.validate({ method: 'GET', path: '/rest/api/3/myself', status: 401, body: { oops: true } }).ok,
    ).toBe(false);
  });

  it('validates hundreds of examples quickly, most of them clean', () => {
    let checked = 0;
    let passed = 0;
    const started = performance.now();
    for (const [template, item] of Object.entries(spec.document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const responses = dig(operation, 'responses');
        for (const status of Object.keys(typeof responses === 'object' && responses !== null ? responses : {})) {
          if (dig(responses, status, 'content', 'application/json', 'example') === undefined || !/^\d+$/.test(status)) {
            continue;
          }
          const body = specExample(spec, method, template, status);
          const concrete = template.replace(/\{[^}]+\}/g, '10000');
          const result = validator.validate({ method, path: concrete, status: Number(status), body });
          checked += 1;
          if (result.ok) passed += 1;
        }
      }
    }
    const elapsed = performance.now() - started;
    console.info(`[contract] jira-cloud examples: ${passed}/${checked} pass in ${Math.round(elapsed)} ms`);
    // Atlassian's examples drift from their own schemas (e.g. the createmeta stray "httpStatusCode", API-NOTES §1.2),
    // so not all pass; a converter bug would sink the rate far below this.
    expect(checked).toBeGreaterThan(500);
    expect(passed / checked).toBeGreaterThan(0.85);
    expect(elapsed).toBeLessThan(15_000);
  });
});

/** Stands in for a validator in suites skipped because their spec is absent; never called. */
const noValidator: ContractValidator = {
  validate: () => {
    throw new Error('no spec loaded');
  },
};

const jiraDc = external('jira-dc');
describe.skipIf(!jiraDc.spec)('Jira DC 10.3 with defect overrides', () => {
  // A skipped suite's body still runs while tests are collected: only build the validator when the spec exists.
  const validator = jiraDc.spec ? createContractValidator(jiraDc.spec, { prefix: '/rest' }) : noValidator;
  const project = { id: '10000', key: 'EX', name: 'Example', self: 'http://localhost:8090/rest/api/2/project/10000' };

  it('accepts the project list as a bare array (defect), not a single project', () => {
    const list = validator.validate({ method: 'GET', path: '/rest/api/2/project', status: 200, body: [project] });
    expect(list).toMatchObject({ ok: true, operation: 'GET /api/2/project' });
    expect(list.ok && list.defect?.reason).toContain('item schema instead of an array');
    expect(validator.validate({ method: 'GET', path: '/rest/api/2/project', status: 200, body: project }).ok).toBe(
      false,
    );
    expect(
      validator.validate({
        method: 'GET',
        path: '/rest/api/2/project',
        status: 200,
        body: [{ ...project, id: 10000 }],
      }),
    ).toMatchObject({ ok: false, errors: ['/0/id should be string'] });
  });

  it('needs the /rest prefix on concrete paths', () => {
    expect(validator.validate({ method: 'GET', path: '/api/2/project', status: 200, body: [] }).ok).toBe(false);
  });

  it('checks group/member as a PageBean of users', () => {
    const page = { startAt: 0, maxResults: 50, total: 1, isLast: true, values: [{ name: 'fred', active: true }] };
    expect(
      validator.validate({ method: 'GET', path: '/rest/api/2/group/member?groupname=x', status: 200, body: page }).ok,
    ).toBe(true);
    const bad = { ...page, values: [{ name: 'fred', active: 'yes' }] };
    expect(validator.validate({ method: 'GET', path: '/rest/api/2/group/member', status: 200, body: bad }).ok).toBe(
      false,
    );
  });

  it('leaves /serverInfo unchecked and checks DC errors as ErrorCollection', () => {
    expect(validator.validate({ method: 'GET', path: '/rest/api/2/serverInfo', status: 200, body: {} })).toMatchObject({
      ok: true,
      unchecked: true,
    });
    const notFound = { errorMessages: ['Issue Does Not Exist'], errors: {} };
    expect(validator.validate({ method: 'GET', path: '/rest/api/2/issue/EX-1', status: 404, body: notFound }).ok).toBe(
      true,
    );
    expect(
      validator.validate({ method: 'GET', path: '/rest/api/2/issue/EX-1', status: 404, body: { errorMessages: 'x' } })
        .ok,
    ).toBe(false);
  });

  it.skipIf(!existsSync(path.join(specsDir(), 'examples', 'jira-dc-10.3')))(
    "passes Atlassian's advanced-settings example (an array; the spec says a single Property)",
    () => {
      const body = sharedExample('jira-dc-10.3', 'getAdvancedSettings.200-example.json');
      const path_ = '/rest/api/2/application-properties/advanced-settings';
      expect(validator.validate({ method: 'GET', path: path_, status: 200, body }).ok).toBe(true);
    },
  );
});

const confluence = external('confluence-cloud');
describe.skipIf(!confluence.spec)('Confluence Cloud v2', () => {
  const validator = confluence.spec
    ? createContractValidator(confluence.spec, { prefix: '/wiki/api/v2' })
    : noValidator;

  it('supplies the error envelope the spec omits (API-NOTES §4)', () => {
    const body = { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] };
    const result = validator.validate({ method: 'GET', path: '/wiki/api/v2/pages/123', status: 404, body });
    expect(result).toMatchObject({ ok: true, operation: 'GET /pages/{id}' });
    expect(result.ok && result.unchecked).toBeFalsy();
    const jiraShaped = { errorMessages: ['nope'], errors: {} };
    expect(
      validator.validate({ method: 'GET', path: '/wiki/api/v2/pages/123', status: 404, body: jiraShaped }).ok,
    ).toBe(false);
  });

  it('checks success bodies against the spec schema', () => {
    const page = { id: '123', status: 'current', title: 'Home', spaceId: '42', version: { number: 1 } };
    expect(validator.validate({ method: 'GET', path: '/wiki/api/v2/pages/123', status: 200, body: page }).ok).toBe(
      true,
    );
    expect(
      validator.validate({ method: 'GET', path: '/wiki/api/v2/pages/123', status: 200, body: { ...page, title: 7 } }),
    ).toMatchObject({ ok: false, errors: ['/title should be string'] });
  });
});

const adminJul = external('admin-2026-07');
describe.skipIf(!adminJul.spec || !existsSync(path.join(specsDir(), 'examples', 'admin-organization')))(
  'Admin Organizations (Jul 2026)',
  () => {
    const validator = adminJul.spec ? createContractValidator(adminJul.spec, { prefix: '' }) : noValidator;

    it("passes Atlassian's example for v1 users/search and checks error envelopes", () => {
      const body = sharedExample('admin-organization', 'searchUsers.200-users_search_response.json');
      const p = '/v1/orgs/abc/users/search';
      expect(validator.validate({ method: 'POST', path: p, status: 200, body })).toMatchObject({ ok: true });
      const { data: _data, ...broken } = body as Record<string, unknown>;
      expect(validator.validate({ method: 'POST', path: p, status: 200, body: broken })).toMatchObject({
        ok: false,
        errors: ["(root) should have required property 'data'"],
      });
      const proxy = { code: 401, message: 'Unauthorized' };
      expect(validator.validate({ method: 'GET', path: '/v1/orgs/abc/users', status: 401, body: proxy }).ok).toBe(true);
    });

    it('matches the path the spec misspells with a stray quote (defect)', () => {
      const p = '/v2/orgs/o/directories/d/groups/g/role-assignments/revoke';
      const result = validator.validate({ method: 'POST', path: p, status: 204, body: undefined });
      expect(result.ok).toBe(true);
      expect(result.ok && result.defect?.reason).toContain('stray quote');
    });
  },
);

describe('spec defects', () => {
  it('are each documented from API-NOTES and compile against their spec', () => {
    const all = listSpecDefects();
    console.info(`[contract] ${all.length} recorded deviations from the official specs`);
    expect(all.length).toBeGreaterThanOrEqual(15);
    for (const defect of all) {
      expect(defect.reason, `${defect.spec} ${defect.method} ${defect.path}`).toMatch(/API-NOTES|same defect class/i);
      expect(SPEC_IDS).toContain(defect.spec);
    }
    for (const id of SPEC_IDS) {
      const spec = loadSpec(id).spec;
      if (!spec) continue;
      const validator = createContractValidator(spec);
      for (const defect of listSpecDefects(id).filter((d) => d.path !== '*' && d.fix !== 'unchecked')) {
        const status = typeof defect.status === 'number' ? defect.status : 200;
        const concrete = defect.path.replace(/\{[^}]+\}/g, 'x');
        const prefix = id === 'jira-dc' ? '/rest' : id === 'confluence-cloud' ? '/wiki/api/v2' : '';
        // A dangling $ref in a replacement schema would throw here.
        const result = validator.validate({
          method: defect.method === '*' ? 'POST' : defect.method,
          path: prefix + concrete,
          status,
          body: null,
        });
        expect(result.ok ? result.operation : result.reason, defect.path).not.toMatch(/no operation/);
      }
    }
  });
});
