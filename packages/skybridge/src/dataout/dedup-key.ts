import { createHash } from 'node:crypto';

/**
 * The key that ties a finding to its Jira ticket, stored on the issue both as an issue property value and as a
 * label, so the ticket can be found again by JQL (`labels = skybridge-…`) even when the hub's database is lost.
 *
 * Why a hash and not the ids themselves: a finding id can hold spaces (labels cannot), be up to 512 characters
 * (labels stop at 255) or carry characters JQL would need quoted. SHA-256 over the three parts, serialised as a
 * JSON array so `("a b", "c")` and `("a", "b c")` never collide, truncated to 130 bits: collisions stay
 * negligible for any number of findings one hub will see. Lower-case RFC 4648 base32 (`a-z2-7`) keeps the key
 * one word, case-proof and free of JQL operators.
 */
export const DEDUP_KEY_PREFIX = 'skybridge-';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const HASH_CHARS = 26; // 26 × 5 = 130 bits

function base32(bytes: Uint8Array, chars: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length >= chars) break;
  }
  return out;
}

/** `skybridge-` and 26 base32 characters (36 in all), the same for the same three inputs on every hub. */
export function dedupKey(instanceId: string, source: string, findingId: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([instanceId, source, findingId]), 'utf8')
    .digest();
  return DEDUP_KEY_PREFIX + base32(digest, HASH_CHARS);
}
