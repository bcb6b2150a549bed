/**
 * The `via` column: '' for a direct grant, else the resource ids of the path joined with U+001F (the ASCII unit
 * separator). Resource ids contain `:` and Atlassian group names may contain almost anything printable, so the
 * separator must be a character no id carries.
 */
export const VIA_SEPARATOR = '\u001f';

export function joinVia(via: readonly string[]): string {
  return via.join(VIA_SEPARATOR);
}

export function splitVia(via: string): string[] {
  return via === '' ? [] : via.split(VIA_SEPARATOR);
}
