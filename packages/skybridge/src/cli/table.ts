/**
 * A plain-text table: a header row, then one row per item, columns padded to their widest cell and separated by
 * two spaces. Widths count code points so `••••abcd` lines up. Trailing spaces are trimmed.
 */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const width = (s: string) => Array.from(s).length;
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    widths
      .map((w, i) => {
        const cell = cells[i] ?? '';
        return cell + ' '.repeat(w - width(cell));
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
