import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { API_TOKEN_ROLES, type ApiTokenRole } from '../domain/connection.ts';
import { err, ok, type Result } from '../domain/result.ts';

/**
 * Values of flags that have a format, each validated with zod and reported as `--flag: what is wrong` (never
 * echoing the value back in full: a mistyped flag may have swallowed something private).
 */

const dateOnly = z.iso.date();
// A date-time must carry its zone: "2027-01-31T09:00" means different instants on different servers.
const dateTime = z.iso.datetime({ offset: true });

/**
 * `--expires`: `YYYY-MM-DD` (taken as 00:00 UTC that day, so warnings come early rather than late) or an ISO
 * date-time with `Z` or an offset. With `allowNone`, `none` clears a recorded expiry (returns null).
 */
export function parseExpires(value: string, allowNone = false, flag = '--expires'): Result<Date | null, string> {
  if (allowNone && value === 'none') return ok(null);
  if (dateOnly.safeParse(value).success) return ok(new Date(`${value}T00:00:00Z`));
  if (dateTime.safeParse(value).success) return ok(new Date(value));
  return err(
    `${flag}: must be a date (YYYY-MM-DD) or a date-time with a zone (YYYY-MM-DDTHH:MM:SSZ)${allowNone ? ", or 'none' to clear it" : ''}`,
  );
}

const port = z.coerce.number().int().min(0).max(65535);

/** `--port`: 0–65535 (0 picks a free port). */
export function parsePort(value: string, flag = '--port'): Result<number, string> {
  if (!/^\d+$/.test(value)) return err(`${flag}: must be a number from 0 to 65535`);
  const parsed = port.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(`${flag}: must be a number from 0 to 65535`);
}

const role = z.enum(API_TOKEN_ROLES);

/** `--role`: owner, admin or viewer. */
export function parseRole(value: string, flag = '--role'): Result<ApiTokenRole, string> {
  const parsed = role.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(`${flag}: must be one of ${API_TOKEN_ROLES.join(', ')}`);
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** `--ca-file`: a PEM bundle with at least one certificate. Public material, so reading it needs no care. */
export async function readCaFile(path: string, flag = '--ca-file'): Promise<Result<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err(`${flag}: cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  return PEM_CERT.test(text)
    ? ok(text)
    : err(`${flag}: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
}
