import { describe, expect, it } from 'vitest';
import { csvLine } from './csv.ts';

describe('csvLine', () => {
  it('leaves plain fields alone and ends with CRLF', () => {
    expect(csvLine(['a', 1, null, undefined, 'b c'])).toBe('a,1,,,b c\r\n');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvLine(['x,y', 'say "hi"', 'two\nlines'])).toBe('"x,y","say ""hi""","two\nlines"\r\n');
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvLine(['=SUM(A1)', '@cmd', '-1+1', 'ok'])).toBe("'=SUM(A1),'@cmd,'-1+1,ok\r\n");
  });
});
