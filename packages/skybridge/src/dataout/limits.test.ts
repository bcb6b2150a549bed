import { describe, expect, it } from 'vitest';
import { adfLength, buildAdf } from './adf.ts';
import {
  DESCRIPTION_MAX_LENGTH,
  ELLIPSIS,
  SHORTENED_NOTICE,
  SUMMARY_MAX_LENGTH,
  cutText,
  fitDescription,
  takeGraphemes,
  toLabels,
  toSummary,
  truncateMarked,
} from './limits.ts';
import type { MarkedText } from './marked-text.ts';
import { plainText } from './marked-text.ts';
import { buildWikiMarkup } from './wiki-markup.ts';

const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // one grapheme, 8 code units
const FLAG = '\u{1F1EB}\u{1F1F7}'; // one grapheme, 4 code units
const ACCENT = 'e\u0301'; // one grapheme, 2 code units

describe('takeGraphemes and cutText', () => {
  it('never splits a surrogate pair or a grapheme cluster', () => {
    for (const unit of [FAMILY, FLAG, ACCENT, '\u{1F600}']) {
      const text = `a${unit.repeat(100)}`;
      for (let max = 0; max <= 40; max++) {
        const cut = takeGraphemes(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut.isWellFormed()).toBe(true);
        expect(text.startsWith(cut)).toBe(true);
        expect((cut.length - (cut.startsWith('a') ? 1 : 0)) % unit.length).toBe(0);
      }
    }
  });

  it('adds an ellipsis only when it cuts', () => {
    expect(cutText('short', 10)).toBe('short');
    expect(cutText('exactly10!', 10)).toBe('exactly10!');
    expect(cutText('a bit too long', 10)).toBe(`a bit too${ELLIPSIS}`);
    expect(cutText(`ab${FLAG}${FLAG}`, 5)).toBe(`ab${ELLIPSIS}`);
  });
});

describe('toSummary', () => {
  it('fits 255 characters, breaking no character, and joins lines', () => {
    const summary = toSummary(`${'x'.repeat(250)}${FAMILY.repeat(10)}`);
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(summary.isWellFormed()).toBe(true);
    expect(summary.endsWith(`${'x'.repeat(250)}${ELLIPSIS}`)).toBe(true);
    expect(toSummary('  two\r\nlines\tand  spaces ')).toBe('two lines and spaces');
    expect(toSummary('y'.repeat(255))).toBe('y'.repeat(255));
    expect(toSummary('y'.repeat(256))).toBe(`${'y'.repeat(254)}${ELLIPSIS}`);
  });
});

describe('toLabels', () => {
  it('splits on lines and commas, joins inner whitespace, drops empties and duplicates', () => {
    expect(toLabels('security, team payments\nsev-high,,security\n ')).toEqual([
      'security',
      'team-payments',
      'sev-high',
    ]);
    expect(toLabels('z'.repeat(300))[0]?.length).toBe(255);
  });
});

describe('truncateMarked', () => {
  it('keeps the kind of each kept segment', () => {
    const marked: MarkedText = [
      { kind: 'template', text: 'ab' },
      { kind: 'value', text: `c${FLAG}d` },
    ];
    expect(truncateMarked(marked, 4)).toEqual([
      { kind: 'template', text: 'ab' },
      { kind: 'value', text: 'c' },
    ]);
    expect(truncateMarked(marked, 7)).toEqual([
      { kind: 'template', text: 'ab' },
      { kind: 'value', text: `c${FLAG}` },
    ]);
    expect(truncateMarked(marked, 100)).toEqual(marked);
  });
});

describe('fitDescription', () => {
  const long: MarkedText = [
    { kind: 'template', text: '# Finding\n' },
    { kind: 'value', text: `${'*[x|y]* '.repeat(20_000)}${FAMILY}` },
  ];

  it('leaves a description within the limit alone', () => {
    const short: MarkedText = [{ kind: 'value', text: 'fine' }];
    expect(fitDescription(short, buildAdf, adfLength)).toEqual({
      value: buildAdf(short),
      shortened: false,
      fullText: undefined,
    });
  });

  it('shortens an ADF description to the limit, says so, and hands back the full text', () => {
    const fitted = fitDescription(long, buildAdf, adfLength);
    expect(fitted.shortened).toBe(true);
    expect(fitted.fullText).toBe(plainText(long));
    const json = JSON.stringify(fitted.value);
    expect(json.length).toBeLessThanOrEqual(DESCRIPTION_MAX_LENGTH);
    // It uses the room it has: within one value character's JSON of the limit.
    expect(json.length).toBeGreaterThan(DESCRIPTION_MAX_LENGTH - 20);
    expect(json).toContain(SHORTENED_NOTICE);
    expect(fitted.value.content[0]).toEqual({
      type: 'heading',
      attrs: { level: 1 },
      content: [{ type: 'text', text: 'Finding' }],
    });
  });

  it('shortens wiki markup without leaving half an escape', () => {
    const fitted = fitDescription(long, buildWikiMarkup, (s) => s.length, { maxLength: 1_000, notice: 'cut!' });
    expect(fitted.shortened).toBe(true);
    expect(fitted.value.length).toBeLessThanOrEqual(1_000);
    expect(fitted.value.length).toBeGreaterThan(990);
    expect(fitted.value.endsWith(`${ELLIPSIS}\n\ncut\\!`)).toBe(true);
    const body = fitted.value.slice('# Finding\n'.length, -`${ELLIPSIS}\n\ncut\\!`.length);
    // Whole escapes only: every special character still has its backslash.
    expect(body).toMatch(/^(\\\*|\\\[|x|\\\||y|\\\]| )*$/);
  });

  it('refuses a limit too small for the notice (a configuration bug)', () => {
    expect(() => fitDescription(long, buildWikiMarkup, (s) => s.length, { maxLength: 5 })).toThrow(/cannot hold/);
  });
});
