import type { MarkedText } from './marked-text.ts';

/**
 * Atlassian Document Format for Jira Cloud rich-text fields (description, textarea custom fields), built from a
 * rendered template so that the TEMPLATE decides the structure and finding VALUES are only ever text nodes.
 *
 * The template's structure is a tiny line-based markup, read from template text only:
 *
 * | line starts with (after optional spaces) | becomes                                   |
 * |------------------------------------------|-------------------------------------------|
 * | `#` to `######` and a space              | a heading of that level                   |
 * | `- ` or `* `                             | a bullet list item (consecutive ones form one list) |
 * | `---` alone                              | a rule                                    |
 * | nothing (a blank line)                   | the end of a paragraph                    |
 * | anything else                            | paragraph text; lines of one paragraph are joined by line breaks |
 *
 * A value is never read for markup: `# x`, `*bold*`, `{code}`, `[a|http://x]`, or ADF JSON in a finding show up
 * exactly as written. A line break inside a value becomes a `hardBreak` in the same block, so a value cannot start
 * a heading or a list either. A value that is a whole http(s) URL gets a link mark (its text is unchanged), so
 * `{{ finding.url }}` is clickable.
 */

export interface AdfText {
  type: 'text';
  text: string;
  marks?: { type: 'link'; attrs: { href: string } }[];
}
export interface AdfHardBreak {
  type: 'hardBreak';
}
export type AdfInline = AdfText | AdfHardBreak;
export interface AdfParagraph {
  type: 'paragraph';
  content: AdfInline[];
}
export interface AdfHeading {
  type: 'heading';
  attrs: { level: 1 | 2 | 3 | 4 | 5 | 6 };
  content: AdfInline[];
}
export interface AdfListItem {
  type: 'listItem';
  content: [AdfParagraph];
}
export interface AdfBulletList {
  type: 'bulletList';
  content: AdfListItem[];
}
export interface AdfRule {
  type: 'rule';
}
export type AdfBlock = AdfParagraph | AdfHeading | AdfBulletList | AdfRule;
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: AdfBlock[];
}

type Piece = { kind: 'template' | 'value'; text: string };

/** Lines split on template newlines only; value text (newlines included) stays inside its line. */
function splitLines(marked: MarkedText): Piece[][] {
  const lines: Piece[][] = [[]];
  for (const segment of marked) {
    const text = segment.text.replace(/\r\n?/g, '\n');
    if (segment.kind === 'value') {
      lines[lines.length - 1]?.push({ kind: 'value', text });
      continue;
    }
    const parts = text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part !== '') lines[lines.length - 1]?.push({ kind: 'template', text: part });
    });
  }
  return lines;
}

type Marker =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; rest: Piece[] }
  | { type: 'bullet'; rest: Piece[] }
  | { type: 'rule' }
  | { type: 'blank' }
  | { type: 'text'; rest: Piece[] };

function readMarker(line: Piece[]): Marker {
  const visible = line.filter((p) => p.text !== '');
  if (visible.every((p) => p.kind === 'template' && p.text.trim() === '')) return { type: 'blank' };
  const [first, ...others] = visible;
  if (first === undefined || first.kind === 'value') return { type: 'text', rest: visible };
  const lead = first.text.trimStart();
  const withRest = (text: string): Piece[] => (text === '' ? others : [{ kind: 'template', text }, ...others]);
  const heading = /^(#{1,6}) (.*)$/s.exec(lead);
  if (heading) {
    const level = (heading[1] ?? '#').length as 1 | 2 | 3 | 4 | 5 | 6;
    return { type: 'heading', level, rest: withRest(heading[2] ?? '') };
  }
  const bullet = /^[-*] (.*)$/s.exec(lead);
  if (bullet) return { type: 'bullet', rest: withRest(bullet[1] ?? '') };
  if (others.length === 0 && lead.trimEnd() === '---') return { type: 'rule' };
  return { type: 'text', rest: [{ kind: 'template', text: lead }, ...others] };
}

function isHttpUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Inline nodes for one line's pieces; adjacent plain text merges, value line breaks become hardBreaks. */
function inlineContent(pieces: Piece[], out: AdfInline[] = []): AdfInline[] {
  const addText = (text: string, href?: string): void => {
    if (text === '') return;
    const last = out[out.length - 1];
    if (href === undefined && last?.type === 'text' && last.marks === undefined) {
      last.text += text;
      return;
    }
    out.push(
      href === undefined ? { type: 'text', text } : { type: 'text', text, marks: [{ type: 'link', attrs: { href } }] },
    );
  };
  pieces.forEach((piece, i) => {
    // Template text keeps inner spacing; the line's trailing spaces are dropped.
    const text = i === pieces.length - 1 && piece.kind === 'template' ? piece.text.trimEnd() : piece.text;
    if (piece.kind === 'value' && isHttpUrl(text.trim())) {
      addText(text.trim(), text.trim());
      return;
    }
    text.split('\n').forEach((part, j) => {
      if (j > 0) out.push({ type: 'hardBreak' });
      addText(part);
    });
  });
  return out;
}

/** The ADF document for a rendered description (or any rich-text field). */
export function buildAdf(marked: MarkedText): AdfDocument {
  const content: AdfBlock[] = [];
  let paragraph: AdfInline[] | undefined;
  let list: AdfListItem[] | undefined;
  const closeParagraph = (): void => {
    if (paragraph !== undefined && paragraph.length > 0) content.push({ type: 'paragraph', content: paragraph });
    paragraph = undefined;
  };
  const closeList = (): void => {
    if (list !== undefined && list.length > 0) content.push({ type: 'bulletList', content: list });
    list = undefined;
  };
  for (const line of splitLines(marked)) {
    const marker = readMarker(line);
    switch (marker.type) {
      case 'blank':
        closeParagraph();
        closeList();
        break;
      case 'rule':
        closeParagraph();
        closeList();
        content.push({ type: 'rule' });
        break;
      case 'heading': {
        closeParagraph();
        closeList();
        const inline = inlineContent(marker.rest);
        if (inline.length > 0) content.push({ type: 'heading', attrs: { level: marker.level }, content: inline });
        break;
      }
      case 'bullet': {
        closeParagraph();
        const inline = inlineContent(marker.rest);
        if (inline.length > 0)
          (list ??= []).push({ type: 'listItem', content: [{ type: 'paragraph', content: inline }] });
        break;
      }
      case 'text':
        closeList();
        if (paragraph !== undefined && paragraph.length > 0) paragraph.push({ type: 'hardBreak' });
        paragraph = inlineContent(marker.rest, paragraph ?? []);
        break;
    }
  }
  closeParagraph();
  closeList();
  return { type: 'doc', version: 1, content };
}

/** Jira Cloud measures the description as the document's JSON text. */
export function adfLength(doc: AdfDocument): number {
  return JSON.stringify(doc).length;
}
