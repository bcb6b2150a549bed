import type { ZodType } from 'zod';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { AtlassianError } from './atlassian-error.ts';
import type { FetchLike } from './guarded-fetch.ts';
import type { AtlassianHttp, AtlassianHttpOptions, Query } from './http-client.ts';
import { createAtlassianHttp } from './http-client.ts';

/**
 * The `AtlassianHttp` the Jira issue clients use, plus the two things the JSON client does not do, added without a
 * second pipeline: every request below still goes through the same auth, pacing, retry decisions, error mapping and
 * outcome report, because it is sent by the http client itself.
 * - `postForm`: a multipart body (attachments). The http client serialises bodies as JSON, so the form is parked
 *   under a slot id, the request carries the slot in a private header, and a tap between the http client and the
 *   guarded fetch swaps the placeholder body for the form (dropping the JSON content type, so fetch writes the
 *   multipart boundary). The header never leaves the process: the tap removes it before the guarded fetch.
 * - `postKeepingErrorBody`: a JSON POST whose 4xx body is data (bulk create answers a total failure with 400 and the
 *   same per-element `CreatedIssues` shape as a partial one). The tap keeps the text of that answer for the caller;
 *   the http client still sees and reports the 400 as it always does.
 * A 429 is never kept: it is retried, and its body says nothing about the request.
 */
export interface JiraIssuesTransport {
  http: AtlassianHttp;
  postForm<T>(
    path: string,
    form: FormData,
    options: { schema: ZodType<T>; headers?: Readonly<Record<string, string>> },
  ): Promise<Result<T, AtlassianError>>;
  postKeepingErrorBody<T, E>(
    path: string,
    body: unknown,
    options: { schema: ZodType<T>; errorSchema: ZodType<E>; query?: Query },
  ): Promise<Result<T, { error: AtlassianError; body: E | undefined }>>;
}

/** Private to this module: names the parked form or error capture of one call. */
const SLOT_HEADER = 'x-skybridge-transport-slot';

/** The transport over a client built from `options`. */
export function createJiraIssuesTransport(options: AtlassianHttpOptions): JiraIssuesTransport {
  return createJiraIssuesTransportWith((wrapFetch) => createAtlassianHttp({ ...options, wrapFetch }));
}

/**
 * The transport over a client made by `makeHttp`, which must install the given wrapper around its guarded client
 * (`AtlassianHttpOptions.wrapFetch`): how the hub's connection factories, which own the guarded client and the
 * pacer, build one.
 */
export function createJiraIssuesTransportWith(
  makeHttp: (wrapFetch: (guarded: FetchLike) => FetchLike) => AtlassianHttp,
): JiraIssuesTransport {
  const forms = new Map<string, FormData>();
  const capturing = new Set<string>();
  const captured = new Map<string, string>();
  let nextSlot = 0;

  const tap =
    (guarded: FetchLike): FetchLike =>
    async (input, init) => {
      const headers = new Headers(init?.headers);
      const slot = headers.get(SLOT_HEADER);
      if (slot === null) return guarded(input, init);
      headers.delete(SLOT_HEADER);
      const form = forms.get(slot);
      const forwarded: RequestInit = { ...init, headers };
      if (form) {
        headers.delete('content-type');
        forwarded.body = form;
      }
      const response = await guarded(input, forwarded);
      if (!capturing.has(slot) || response.status < 400 || response.status >= 500 || response.status === 429)
        return response;
      const text = await response.text();
      captured.set(slot, text);
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };

  const http = makeHttp(tap);
  const take = (): string => String(nextSlot++);

  return {
    http,
    async postForm(path, form, { schema, headers }) {
      const slot = take();
      forms.set(slot, form);
      try {
        return await http.post(path, {}, { schema, headers: { ...headers, [SLOT_HEADER]: slot } });
      } finally {
        forms.delete(slot);
      }
    },
    async postKeepingErrorBody<T, E>(
      path: string,
      body: unknown,
      { schema, errorSchema, query }: { schema: ZodType<T>; errorSchema: ZodType<E>; query?: Query },
    ): Promise<Result<T, { error: AtlassianError; body: E | undefined }>> {
      const slot = take();
      capturing.add(slot);
      try {
        const result = await http.post(path, body, {
          schema,
          headers: { [SLOT_HEADER]: slot },
          ...(query ? { query } : {}),
        });
        if (result.ok) return ok(result.value);
        const text = captured.get(slot);
        let parsed: E | undefined;
        if (text !== undefined) {
          try {
            const checked = errorSchema.safeParse(JSON.parse(text));
            if (checked.success) parsed = checked.data;
          } catch {
            // Not JSON: the error alone is all there is.
          }
        }
        return err({ error: result.error, body: parsed });
      } finally {
        capturing.delete(slot);
        captured.delete(slot);
      }
    },
  };
}
