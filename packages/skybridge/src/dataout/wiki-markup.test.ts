import { describe, expect, it } from 'vitest';
import { buildWikiMarkup, escapeWikiValue } from './wiki-markup.ts';

/** Reverses the escaping the way Jira's renderer reads it: `\X` is X, `&#92;` a backslash, `&#46;` a dot. */
function readAsJira(markup: string): string {
  return markup.replace(
    /\\(.)|&#92;|&#46;|&amp;/gs,
    (m, c: string | undefined) =>
      c ?? ({ '&#92;': '\\', '&#46;': '.', '&amp;': '&' } as Record<string, string>)[m] ?? m,
  );
}

const SPECIALS = '*_?-+^~{}[]|!#';

const NASTY = [
  '*bold* _italic_ ??cite?? -deleted- +inserted+ ^sup^ ~sub~',
  '{code:java}System.exit(0);{code} {noformat}x{noformat} {{mono}} {color:red}r{color}',
  '[link|http://x] [~admin] [^attachment.txt] !http://x/i.png! ||h|| |c|',
  'h1. Heading\nh6. Six\nbq. quote\n  h2. indented\n# one\n* two\n- three\n----',
  'back\\slash \\\\ line break \\* escaped star',
  '&#42; &lt; &copy; & plain & ampersand',
  '{"type":"doc","version":1,"content":[]}',
];

describe('escapeWikiValue', () => {
  it.each(NASTY)('escapes %j so Jira reads it back literally', (value) => {
    const escaped = escapeWikiValue(value);
    expect(readAsJira(escaped)).toBe(value);
    // No special character is left unescaped, and no backslash is left that could start a line break or escape.
    for (let i = 0; i < escaped.length; i++) {
      const c = escaped[i] ?? '';
      const inEntity = c === '#' && escaped[i - 1] === '&';
      if (SPECIALS.includes(c) && !inEntity) expect(escaped[i - 1]).toBe('\\');
      if (c === '\\') expect(SPECIALS).toContain(escaped[i + 1]);
    }
    expect(escaped).not.toMatch(/^[ \t]*(h[1-6]|bq)\./im);
  });

  it('escapes each documented character with a backslash', () => {
    for (const c of SPECIALS) expect(escapeWikiValue(`a${c}b`)).toBe(`a\\${c}b`);
    expect(escapeWikiValue('a\\b')).toBe('a&#92;b');
    expect(escapeWikiValue('h3. x')).toBe('h3&#46; x');
    expect(escapeWikiValue('AT&T &#42;')).toBe('AT&T &amp;\\#42;');
    expect(escapeWikiValue('a\r\nb')).toBe('a\nb');
  });
});

describe('buildWikiMarkup', () => {
  it('keeps the template markup and escapes only values', () => {
    const markup = buildWikiMarkup([
      { kind: 'template', text: 'h2. ' },
      { kind: 'value', text: '*Injected* [link|http://x]' },
      { kind: 'template', text: '\n*Severity:* ' },
      { kind: 'value', text: 'high' },
      { kind: 'template', text: '\n' },
      { kind: 'value', text: 'h1. fake\n{code}x{code}' },
    ]);
    expect(markup).toBe(
      'h2. \\*Injected\\* \\[link\\|http://x\\]\n*Severity:* high\nh1&#46; fake\n\\{code\\}x\\{code\\}',
    );
  });
});
