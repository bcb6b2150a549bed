import type { MarkedText } from './marked-text.ts';

/**
 * Jira Data Center descriptions are wiki markup. The template is wiki markup written by whoever configured the
 * instance and is kept as is; every finding value is escaped so it renders as the literal text it is.
 *
 * What is escaped in a value, and how:
 * - `* _ ? - + ^ ~ { } [ ] | ! #` get a backslash (Jira's notation: `\X` escapes special character X). That
 *   covers bold, italic, citation, deleted, inserted, superscript, subscript, macros (`{code}`, `{color}`,
 *   `{{monospace}}`), links and mentions (`[text|url]`, `[~user]`), tables, images, and `*`/`#`/`-` lists.
 * - A backslash is written `&#92;`: `\\` is a forced line break and `\X` an escape, so a literal backslash before
 *   markup has no other safe spelling; Jira's renderer passes HTML character references through.
 * - `&` is written `&amp;` only where it starts something that looks like a character reference (`&lt;`, `&#92;`),
 *   so such text stays literal; any other `&` is left alone.
 * - At the start of each line of a value, the dot of `h1.`–`h6.` and `bq.` is written `&#46;`: those are line-start
 *   markup (headings, block quotes) with no special character to escape.
 * - Carriage returns are dropped; line breaks are kept (a value may land in a table cell, where a line break ends
 *   the row: use Liquid's `strip_newlines` filter there).
 *
 * Not escaped: emoticon spellings such as `:)` or `(x)` still show as icons, and bare URLs are still linked.
 * Neither changes structure. Inside `{code}` or `{noformat}` blocks Jira shows escapes literally, so put values in
 * such blocks only when the backslashes are acceptable.
 */

// One pass, so the `#` and `\` of an escape already written are never escaped again.
const ESCAPED = /\\|&(?=#?[A-Za-z0-9]+;)|[*_?\-+^~{}[\]|!#]/g;
const LINE_START = /^([ \t]*)(h[1-6]|bq)\./gim;

function escapeOne(c: string): string {
  if (c === '\\') return '&#92;';
  if (c === '&') return '&amp;';
  return `\\${c}`;
}

/** A finding value as wiki markup that renders as exactly this text. */
export function escapeWikiValue(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(ESCAPED, escapeOne)
    .replace(LINE_START, (_, space: string, word: string) => `${space}${word}&#46;`);
}

/** The wiki markup for a rendered description: template text as written, values escaped. */
export function buildWikiMarkup(marked: MarkedText): string {
  return marked.map((s) => (s.kind === 'template' ? s.text.replace(/\r\n?/g, '\n') : escapeWikiValue(s.text))).join('');
}
