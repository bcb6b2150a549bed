/**
 * One CSV line (RFC 4180): a field is quoted when it holds a comma, a quote, CR or LF, or starts with a space,
 * and quotes inside are doubled. Fields starting with `=`, `+`, `-`, `@` are prefixed with `'` so a spreadsheet
 * does not run a display name as a formula (CSV injection): exports are opened in spreadsheets by reviewers.
 */
export function csvLine(fields: ReadonlyArray<string | number | null | undefined>): string {
  return fields.map(csvField).join(',') + '\r\n';
}

function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
