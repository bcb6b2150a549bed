import type { z } from 'zod';
import type { FieldProblem } from '../connections/connections-service.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { ApiProblem } from './api-problem.ts';

/**
 * Input validation at the HTTP edge. Problems name fields as the JSON names them (`url`, `tokenExpiresAt`,
 * `sample.items.0.name`); a problem with the whole body is named `body`, with the query string `query`.
 * Zod's messages describe the rule broken, never the value given, so a secret sent in the wrong field is not
 * echoed back.
 */
export type InputLocation = 'body' | 'query';

/** Custom messages for this parse only (zod's global config is left alone). */
const messages: z.core.$ZodErrorMap = (issue) => (issue.input === undefined ? 'is required' : undefined);

export function fieldProblems(error: z.ZodError, location: InputLocation): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const prefix = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        problems.push({ field: prefix ? `${prefix}.${key}` : key, message: 'is not a known field' });
      continue;
    }
    problems.push({ field: prefix || location, message: issue.message });
  }
  return problems;
}

export function invalidInput(fields: FieldProblem[], message = 'The request is invalid; see `fields`.'): ApiProblem {
  return { status: 400, code: 'invalid_input', message, fields };
}

/** Parses `data` with `schema`; every problem is reported at once. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  data: unknown,
  location: InputLocation,
): Result<z.output<S>, ApiProblem> {
  const parsed = schema.safeParse(data, { error: messages });
  if (parsed.success) return ok(parsed.data);
  return err(invalidInput(fieldProblems(parsed.error, location)));
}

/**
 * Reads a JSON body. An empty body reads as `undefined` (the schema then says the body is required); a body that is
 * not `application/json` is refused with 415, and one that does not parse with 400 naming `body`.
 */
export async function readJsonBody(request: Request): Promise<Result<unknown, ApiProblem>> {
  const text = await request.text();
  if (text.length === 0) return ok(undefined);
  const type = checkJsonContentType(request.headers.get('content-type'));
  if (!type.ok) return type;
  return parseJsonText(text);
}

/** 415 unless `contentType` is JSON (`application/json`, `application/x+json`, with or without parameters). */
export function checkJsonContentType(contentType: string | null | undefined): Result<void, ApiProblem> {
  if (/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType ?? '')) return ok(undefined);
  return err({
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send the request body as JSON with `Content-Type: application/json`.',
  });
}

/** Body text as JSON: empty reads as `undefined`; text that does not parse is a 400 naming `body`. */
export function parseJsonText(text: string): Result<unknown, ApiProblem> {
  if (text.length === 0) return ok(undefined);
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return err(invalidInput([{ field: 'body', message: 'is not valid JSON' }], 'The request body is not valid JSON.'));
  }
}
