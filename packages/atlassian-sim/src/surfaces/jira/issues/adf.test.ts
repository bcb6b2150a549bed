import { describe, expect, it } from 'vitest';
import { adfToText, isAdfDocument, richTextFor, textToAdf } from './adf.ts';

describe('ADF helpers', () => {
  it('recognises documents by their envelope only', () => {
    expect(isAdfDocument({ type: 'doc', version: 1, content: [] })).toBe(true);
    expect(isAdfDocument({ type: 'doc', version: 2, content: [] })).toBe(false);
    expect(isAdfDocument('text')).toBe(false);
  });

  it('extracts text block by block', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        textToAdf('one').content[0],
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'two' }, { type: 'hardBreak' }, { type: 'text', text: 'three' }],
        },
      ],
    };
    expect(adfToText(doc)).toBe('one\ntwo\nthree');
  });

  it('serializes rich text for each flavour', () => {
    expect(richTextFor('plain', true)).toEqual(textToAdf('plain'));
    expect(richTextFor(textToAdf('doc'), false)).toBe('doc');
    expect(richTextFor(null, true)).toBeNull();
  });
});
