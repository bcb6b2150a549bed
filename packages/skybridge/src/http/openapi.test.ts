import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiRoutes, createHttpApp } from './create-http-app.ts';
import { API_PREFIX, HTTP_METHODS } from './route.ts';
import { createFakeHub } from './testing/fake-hub.ts';

/** Enough of OpenAPI 3.1 to catch a malformed document: required top-level fields and operation shapes. */
const operationSchema = z
  .object({
    operationId: z.string().min(1),
    summary: z.string().min(1),
    parameters: z.array(
      z
        .object({
          name: z.string(),
          in: z.enum(['path', 'query', 'header']),
          required: z.boolean(),
          schema: z.object({}).loose(),
        })
        .loose(),
    ),
    requestBody: z
      .object({
        required: z.boolean(),
        content: z.object({ 'application/json': z.object({ schema: z.object({}).loose() }) }),
      })
      .optional(),
    responses: z.record(z.string().regex(/^(\d{3}|default)$/), z.object({ description: z.string().min(1) }).loose()),
  })
  .loose();
const documentSchema = z
  .object({
    openapi: z.literal('3.1.0'),
    info: z.object({ title: z.string(), version: z.string() }).loose(),
    paths: z.record(z.string().startsWith('/'), z.partialRecord(z.enum(HTTP_METHODS), operationSchema)),
    components: z
      .object({
        securitySchemes: z
          .object({ bearer: z.object({ type: z.literal('http'), scheme: z.literal('bearer') }).loose() })
          .loose(),
      })
      .loose(),
  })
  .loose();

async function fetchDocument() {
  const hub = createFakeHub();
  const app = createHttpApp(hub);
  const res = await app.request(`${API_PREFIX}/openapi.json`);
  expect(res.status).toBe(200);
  const text = await res.text();
  return { app, hub, text, document: documentSchema.parse(JSON.parse(text)) };
}

describe('OpenAPI document', () => {
  it('is served without authentication as valid JSON in OpenAPI 3.1 shape', async () => {
    const { document } = await fetchDocument();
    expect(document.openapi).toBe('3.1.0');
  });

  it('lists every route of the registry, with its method, role and operation id', async () => {
    const { document } = await fetchDocument();
    const routes = apiRoutes(createFakeHub());
    expect(routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort()).toEqual([
      'DELETE /connections/{idOrName}',
      'DELETE /connections/{idOrName}/sync-schedule',
      'DELETE /instances/{idOrName}',
      'DELETE /tokens/{id}',
      'GET /access/holders/{entitlementOrResourceId}',
      'GET /access/users/{emailOrAccountId}',
      'GET /connections',
      'GET /connections/{idOrName}',
      'GET /connections/{idOrName}/dependents',
      'GET /connections/{idOrName}/runs',
      'GET /connections/{idOrName}/sync-jobs',
      'GET /connections/{idOrName}/sync-schedule',
      'GET /export',
      'GET /instances',
      'GET /instances/{idOrName}',
      'GET /instances/{idOrName}/jobs',
      'GET /instances/{idOrName}/outcomes',
      'GET /instances/{idOrName}/tickets',
      'GET /me',
      'GET /openapi.json',
      'GET /runs/{runA}/diff/{runB}',
      'GET /runs/{runId}',
      'GET /sync-jobs/{jobId}',
      'GET /tokens',
      'PATCH /connections/{idOrName}',
      'POST /connections',
      'POST /connections/{idOrName}/rotate',
      'POST /connections/{idOrName}/sync',
      'POST /connections/{idOrName}/verify',
      'POST /health-check',
      'POST /instances',
      'POST /instances/{idOrName}/findings',
      'POST /instances/{idOrName}/start',
      'POST /instances/{idOrName}/stop',
      'POST /instances/{idOrName}/test',
      'POST /jobs/{jobId}/replay',
      'POST /keys/rotate',
      'POST /runs/{runId}/accept',
      'POST /tokens',
      'POST /webhooks/instances/{idOrName}/findings',
      'PUT /connections/{idOrName}/sync-schedule',
    ]);
    for (const route of routes) {
      const op = document.paths[API_PREFIX + route.path]?.[route.method];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op).toMatchObject({ operationId: route.operationId, 'x-required-role': route.access });
    }
    const listed = Object.values(document.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(listed).toBe(routes.length);
  });

  it('lists every route Hono actually serves, and nothing it does not', async () => {
    const { app, document } = await fetchDocument();
    const served = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(served);
  });

  it('describes request bodies from the validation schemas: strict, with required fields and write-only secrets', async () => {
    const { document } = await fetchDocument();
    const add = document.paths[`${API_PREFIX}/connections`]?.post;
    const schema = add?.requestBody?.content['application/json'].schema as {
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, { description?: string }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required.sort()).toEqual(['kind', 'name', 'secret']);
    expect(schema.properties.secret?.description).toMatch(/write-only/i);
    expect(Object.keys(schema.properties)).toContain('tokenExpiresAt');
  });

  it('declares bearer security globally, none on itself, and path and query parameters', async () => {
    const { document, text } = await fetchDocument();
    const raw = JSON.parse(text) as {
      security: unknown;
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(raw.security).toEqual([{ bearer: [] }]);
    expect(raw.paths[`${API_PREFIX}/openapi.json`]?.get?.security).toEqual([]);
    const list = document.paths[`${API_PREFIX}/connections`]?.get;
    expect(list?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['query:limit', 'query:cursor']);
    const del = document.paths[`${API_PREFIX}/connections/{idOrName}`]?.delete;
    expect(del?.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual([
      'path:idOrName:true',
      'query:cascade:false',
    ]);
  });

  it('documents the sync routes: 202 for a queued sync, the schedule body, paging and the export media types', async () => {
    const { text } = await fetchDocument();
    const raw = JSON.parse(text) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters: Array<{ in: string; name: string }>;
            requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
            responses: Record<string, { content?: Record<string, unknown> }>;
          }
        >
      >;
    };
    const sync = raw.paths[`${API_PREFIX}/connections/{idOrName}/sync`]?.post;
    expect(Object.keys(sync?.responses ?? {})).toContain('202');
    const schedule = raw.paths[`${API_PREFIX}/connections/{idOrName}/sync-schedule`]?.put;
    expect(Object.keys(schedule?.requestBody?.content['application/json']?.schema.properties ?? {})).toEqual([
      'every',
      'cron',
    ]);
    const runs = raw.paths[`${API_PREFIX}/connections/{idOrName}/runs`]?.get;
    expect(runs?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:idOrName', 'query:limit', 'query:cursor']);
    const exported = raw.paths[`${API_PREFIX}/export`]?.get;
    expect(Object.keys(exported?.responses['200']?.content ?? {})).toEqual(['application/x-ndjson', 'text/csv']);
  });

  it('documents the data-out routes: the signed webhook without a token, the findings body, 202 outcomes', async () => {
    const { text } = await fetchDocument();
    const raw = JSON.parse(text) as {
      paths: Record<
        string,
        Record<
          string,
          {
            description: string;
            security?: unknown;
            'x-required-role': string;
            parameters: Array<{ in: string; name: string }>;
            requestBody?: { content: Record<string, { schema: { anyOf?: Array<{ properties?: object }> } }> };
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    const webhook = raw.paths[`${API_PREFIX}/webhooks/instances/{idOrName}/findings`]?.post;
    expect(webhook?.security).toEqual([]);
    expect(webhook?.['x-required-role']).toBe('public');
    expect(webhook?.description).toMatch(/HMAC-SHA256/);
    expect(Object.keys(webhook?.responses ?? {})).toEqual(expect.arrayContaining(['202', '400', '401']));
    expect(webhook?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:idOrName',
      'query:source',
      'header:X-Skybridge-Signature',
      'header:X-Skybridge-Timestamp',
    ]);
    const push = raw.paths[`${API_PREFIX}/instances/{idOrName}/findings`]?.post;
    expect(push?.['x-required-role']).toBe('admin');
    expect(push?.description).toMatch(/207/);
    const finding = push?.requestBody?.content['application/json']?.schema.anyOf?.[0]?.properties ?? {};
    expect(Object.keys(finding)).toEqual([
      'id',
      'title',
      'severity',
      'status',
      'description',
      'resource',
      'url',
      'properties',
    ]);
    expect(raw.paths[`${API_PREFIX}/instances/{idOrName}/test`]?.post?.description).toMatch(/needs role `admin`/);
  });
});
