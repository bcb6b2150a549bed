import type { ConnectionError, Dependent } from '../connections/connections-service.ts';
import { EXIT, type CliIo, type ExitCode } from './cli-io.ts';

/**
 * Everything the CLI prints goes through an Output: lines for people on stdout, problems on stderr one per line,
 * or, with `--json`, exactly one JSON document on stdout (errors included, as `{"error":{…}}`). Failures are
 * serialised from an allow-list of fields, so nothing else an error object carries can ever be printed.
 */

/** A field problem as the CLI shows it: `field` is the flag (`--url`) or argument (`<kind>`) to fix. */
export interface FailureField {
  field: string;
  message: string;
}

export interface CliFailure {
  /** A ConnectionErrorCode, an ApiTokensError code, or one of the CLI's own (`usage`, `config`, `hub_unavailable`). */
  code: string;
  message: string;
  fields?: FailureField[];
  /** Why Atlassian refused, for `verification_failed`. */
  atlassian?: { code: string; message: string; status?: number; permission?: string };
  dependents?: Dependent[];
}

export interface Output {
  readonly json: boolean;
  /** A line for people on stdout; nothing in JSON mode. */
  say(line?: string): void;
  /** A notice for people on stderr, in JSON mode too (stdout then stays one parseable document). */
  notice(line: string): void;
  /** The JSON document of a successful command; nothing outside JSON mode. */
  data(value: unknown): void;
  /**
   * Reports a failure and returns `exit`. In JSON mode the document is `{"error":{…}}`, plus `context` (secret-free
   * views, e.g. the connection whose check failed) beside it.
   */
  fail(failure: CliFailure, exit: ExitCode, context?: Record<string, unknown>): ExitCode;
  /** Bad usage: one line per problem, each naming its flag, then a pointer to `--help`. Returns 2. */
  usage(problems: readonly string[], command?: string): ExitCode;
}

/** `--url: must be https` → field `--url`; problems that name no flag keep the whole text as the message. */
function splitProblem(problem: string): FailureField | undefined {
  const m = /^((?:--[a-z][a-z0-9-]*|<[^>]+>)(?:, (?:--[a-z][a-z0-9-]*|<[^>]+>))*): (.+)$/.exec(problem);
  return m?.[1] !== undefined && m[2] !== undefined ? { field: m[1], message: m[2] } : undefined;
}

/** The allow-list: only these fields of a failure are ever serialised. */
function serialiseFailure(f: CliFailure): Record<string, unknown> {
  const out: Record<string, unknown> = { code: f.code, message: f.message };
  if (f.fields && f.fields.length > 0) out.fields = f.fields.map((x) => ({ field: x.field, message: x.message }));
  if (f.atlassian) {
    const a: Record<string, unknown> = { code: f.atlassian.code, message: f.atlassian.message };
    if (f.atlassian.status !== undefined) a.status = f.atlassian.status;
    if (f.atlassian.permission !== undefined) a.permission = f.atlassian.permission;
    out.atlassian = a;
  }
  if (f.dependents) out.dependents = f.dependents.map((d) => ({ type: d.type, id: d.id, name: d.name }));
  return out;
}

export function createOutput(io: Pick<CliIo, 'stdout' | 'stderr'>, json: boolean): Output {
  const stderrLine = (line: string) => io.stderr.write(`${line}\n`);
  const out: Output = {
    json,
    say(line = '') {
      if (!json) io.stdout.write(`${line}\n`);
    },
    notice(line) {
      stderrLine(line);
    },
    data(value) {
      if (json) io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    fail(failure, exit, context) {
      if (json) {
        io.stdout.write(`${JSON.stringify({ ...context, error: serialiseFailure(failure) }, null, 2)}\n`);
        return exit;
      }
      if (failure.fields && failure.fields.length > 0)
        for (const f of failure.fields) stderrLine(`error: ${f.field}: ${f.message}`);
      else stderrLine(`error: ${failure.message}`);
      if (failure.atlassian) stderrLine(`error: ${failure.atlassian.message}`);
      if (failure.dependents && failure.dependents.length > 0) {
        for (const d of failure.dependents) stderrLine(`  - ${d.type.replace(/_/g, ' ')} "${d.name}" (${d.id})`);
        stderrLine('  Pass --cascade to delete them too.');
      }
      return exit;
    },
    usage(problems, command) {
      const fields = problems.map((p) => splitProblem(p) ?? { field: '', message: p });
      if (json) {
        return out.fail(
          {
            code: 'usage',
            message: problems.join('; '),
            fields: fields.filter((f) => f.field !== ''),
          },
          EXIT.usage,
        );
      }
      for (const p of problems) stderrLine(`error: ${p}`);
      stderrLine(`Run 'skybridge ${command ? `${command} ` : ''}--help' for usage.`);
      return EXIT.usage;
    },
  };
  return out;
}

/** How the service names an input field, and the flag a user types to set it. */
const FIELD_FLAGS: Record<string, string> = {
  kind: '<kind>',
  name: '--name',
  url: '--url',
  email: '--email',
  orgId: '--org-id',
  siteId: '--site-id',
  teamsUrl: '--teams-url',
  teamsEmail: '--teams-email',
  authMode: '--gateway',
  gatewayUrl: '--gateway-url',
  caCert: '--ca-file',
  tokenExpiresAt: '--expires',
  secret: '--token-stdin/--token-file',
  teamsSecret: '--teams-token-file',
  role: '--role',
};

/** The flag for a service field name; unknown names are kebab-cased (`fooBar` → `--foo-bar`). */
export function flagForField(field: string): string {
  return FIELD_FLAGS[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A service error as the CLI reports it, field names translated to flags. Input problems exit 2, others 1. */
export function reportServiceError(
  out: Output,
  error: Pick<ConnectionError, 'code' | 'message' | 'fields' | 'atlassian' | 'dependents'>,
  context?: Record<string, unknown>,
): ExitCode {
  const failure: CliFailure = { code: error.code, message: error.message };
  if (error.fields) failure.fields = error.fields.map((f) => ({ field: flagForField(f.field), message: f.message }));
  if (error.atlassian) {
    failure.atlassian = { code: error.atlassian.code, message: error.atlassian.message };
    if (error.atlassian.status !== undefined) failure.atlassian.status = error.atlassian.status;
    if (error.atlassian.permission !== undefined) failure.atlassian.permission = error.atlassian.permission;
  }
  if (error.dependents) failure.dependents = error.dependents;
  return out.fail(failure, error.code === 'invalid_input' ? EXIT.usage : EXIT.failed, context);
}

/** Standard error class names that are safe to mention. */
const SAFE_ERROR_NAMES = new Set(['TypeError', 'RangeError', 'SyntaxError', 'Error', 'AbortError', 'TimeoutError']);

/**
 * The CLI's one `catch`-all, for bugs and failures nothing below reported as a Result. It never prints the
 * caught message: a driver's or fetch's message can contain a URL with a password in it.
 */
export function describeUnexpected(error: unknown): string {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const parts = [
    typeof name === 'string' && SAFE_ERROR_NAMES.has(name) ? name : undefined,
    typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code) ? code : undefined,
  ].filter((p): p is string => p !== undefined);
  return `unexpected failure${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}
