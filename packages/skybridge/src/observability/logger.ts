import type { Writable } from 'node:stream';

/**
 * Structured JSON-lines logging. Fields are scalars chosen by the caller; as a second belt, any field whose name
 * suggests a credential is replaced by `[redacted]`, and values that look like Atlassian tokens are masked, so a
 * mistake in a call site cannot write a secret to the log.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_FIELD = /(secret|token|password|passwd|authorization|api_?key|pat|cookie)$/i;
const TOKEN_LIKE = /\b(ATATT|ATCTT)[A-Za-z0-9_\-=]{8,}/g;

export function redactValue(value: string): string {
  return value.replace(TOKEN_LIKE, (m) => `${m.slice(0, 5)}••••`);
}

export function createLogger(options: {
  level: LogLevel;
  stream: Writable;
  now?: () => Date;
  base?: LogFields;
}): Logger {
  const now = options.now ?? (() => new Date());
  const write = (level: Exclude<LogLevel, 'silent'>, message: string, fields: LogFields) => {
    if (RANK[level] < RANK[options.level]) return;
    const record: Record<string, unknown> = { at: now().toISOString(), level, msg: redactValue(message) };
    for (const [k, v] of Object.entries({ ...options.base, ...fields })) {
      if (v === undefined) continue;
      record[k] = SECRET_FIELD.test(k) && !/hint$/i.test(k) ? '[redacted]' : typeof v === 'string' ? redactValue(v) : v;
    }
    options.stream.write(`${JSON.stringify(record)}\n`);
  };
  const make = (base: LogFields): Logger => ({
    debug: (m, f = {}) => write('debug', m, { ...base, ...f }),
    info: (m, f = {}) => write('info', m, { ...base, ...f }),
    warn: (m, f = {}) => write('warn', m, { ...base, ...f }),
    error: (m, f = {}) => write('error', m, { ...base, ...f }),
    child: (f) => make({ ...base, ...f }),
  });
  return make({});
}
