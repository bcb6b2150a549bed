import { createHash } from 'node:crypto';
import type { Finding } from './finding.ts';

/**
 * A fingerprint of a finding's content: the same finding pushed again hashes the same (object keys are sorted, so
 * a producer that orders properties differently is not a change), and any change of a value changes it. The ticket
 * keeps the hash it last applied, so an unchanged push costs no Jira call.
 */
export function findingHash(finding: Finding): string {
  return createHash('sha256').update(canonicalJson(finding), 'utf8').digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
