import { z } from 'zod';
import { errorBodySchema } from './api-problem.ts';
import type { ApiRoute } from './route.ts';
import { API_PREFIX, pathParameters } from './route.ts';

/**
 * The OpenAPI 3.1 document, generated from the route list and the zod schemas the routes validate with, so it
 * cannot describe a route or a field the API does not have. OpenAPI 3.1 uses JSON Schema 2020-12, which is what
 * `z.toJSONSchema` writes; request schemas are rendered for their input side (what a client sends).
 */

export interface OpenApiInfo {
  /** Default `Skybridge API`. */
  title?: string;
  /** Default `1.0.0`. */
  version?: string;
}

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  return rest;
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ERROR_REF } },
});

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = jsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    const parameter: JsonSchema = { name, in: 'query', required: json.required?.includes(name) ?? false, schema: rest };
    if (typeof description === 'string') parameter.description = description;
    return parameter;
  });
}

function operation(route: ApiRoute): JsonSchema {
  const parameters: JsonSchema[] = [
    ...pathParameters(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...(route.querySchema === undefined ? [] : queryParameters(route.querySchema)),
    ...route.headers.map((h) => ({
      name: h.name,
      in: 'header',
      required: false,
      description: h.description,
      schema: { type: 'string' },
    })),
  ];
  const needs =
    route.access !== 'public'
      ? `Requires a token with role \`${route.access}\` or higher.`
      : (route.authentication ?? 'No authentication.');
  const responses: Record<string, unknown> = {
    [String(route.response.status)]: {
      description: route.response.description,
      content: Object.fromEntries(
        (route.response.contentTypes ?? ['application/json']).map((type) => [
          type,
          { schema: type === 'application/json' ? { type: 'object' } : { type: 'string' } },
        ]),
      ),
    },
    '400': errorResponse('Invalid input; `fields` names each problem.'),
  };
  if (route.access !== 'public') {
    responses['401'] = errorResponse('Missing, unknown or revoked token.');
    responses['403'] = errorResponse('The token role is too low.');
  } else if (route.authentication !== undefined) {
    responses['401'] = errorResponse('The request did not authenticate; the message says how it must.');
  }
  responses.default = errorResponse('Any other failure, in the one error shape.');
  const op: JsonSchema = {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description === undefined ? needs : `${route.description}\n\n${needs}`,
    'x-required-role': route.access,
    parameters,
    responses,
  };
  if (route.access === 'public') op.security = [];
  const bodySchema = route.bodySchema ?? route.rawBodySchema;
  if (bodySchema !== undefined)
    op.requestBody = {
      // An optional body (a test's options) accepts nothing at all.
      required: !bodySchema.safeParse(undefined).success,
      content: { 'application/json': { schema: jsonSchema(bodySchema) } },
    };
  return op;
}

export function buildOpenApiDocument(routes: readonly ApiRoute[], info: OpenApiInfo = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = API_PREFIX + route.path;
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title ?? 'Skybridge API',
      version: info.version ?? '1.0.0',
      description:
        "Connections to Atlassian Cloud, Data Center and the organization Admin API, the identities and access synced from them, and data-out instances that turn findings into Jira tickets. Secrets are write-only: no response contains one, except a new instance's webhook secret, shown once in the response that creates it.",
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token created by an owner.' } },
      schemas: { Error: jsonSchema(errorBodySchema) },
    },
  };
}
