/** What every view shows instead of a secret. */
export const SECRET_MASK = '••••';

/**
 * Secrets shorter than this are masked entirely: showing four characters of a short secret gives away too much
 * of it (a 12-character token would still keep 8 unknown characters).
 */
export const MIN_LENGTH_FOR_HINT = 12;

/** `••••` plus the last four characters of `plain`, or just `••••` when `plain` is shorter than 12 characters. */
export function maskSecret(plain: string): string {
  // Count code points, not UTF-16 units, so a hint never ends in half a surrogate pair.
  const chars = Array.from(plain);
  return chars.length < MIN_LENGTH_FOR_HINT ? SECRET_MASK : SECRET_MASK + chars.slice(-4).join('');
}
