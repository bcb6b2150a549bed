/**
 * Jira's user search matches the start of the display name (or of any word in it), of the email address and, on
 * DC, of the username, ignoring case: `query=john` finds "John Smith" and "johnson@example.com".
 */
export function matchesUserQuery(needle: string, fields: readonly (string | undefined)[]): boolean {
  const q = needle.toLowerCase();
  for (const field of fields) {
    if (field === undefined) continue;
    const value = field.toLowerCase();
    if (value.startsWith(q)) return true;
    if (value.split(/\s+/).some((word) => word.startsWith(q))) return true;
  }
  return false;
}
