// Atlassian Document Format (ADF): what Jira Cloud's REST v3 takes and returns for rich-text fields (description,
// environment, textarea custom fields, comment bodies). v2 and Data Center use wiki-markup strings for the same fields.

export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: unknown[];
}

/** Jira v3 only checks the envelope: `{type:"doc", version:1, content:[...]}`. */
export function isAdfDocument(value: unknown): value is AdfDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const doc = value as Record<string, unknown>;
  return doc['type'] === 'doc' && doc['version'] === 1 && Array.isArray(doc['content']);
}

/** A string as the one-paragraph document Jira v3 shows for text that was written through v2. */
export function textToAdf(text: string): AdfDocument {
  return {
    type: 'doc',
    version: 1,
    content: text === '' ? [] : [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  };
}

/** The plain text of a document: text nodes joined, blocks separated by newlines (for v2 reads and JQL `~`). */
export function adfToText(value: unknown): string {
  const blocks: string[] = [];
  const walk = (node: unknown, out: string[]): void => {
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record['type'] === 'text' && typeof record['text'] === 'string') out.push(record['text']);
    if (record['type'] === 'hardBreak') out.push('\n');
    const content = record['content'];
    if (!Array.isArray(content)) return;
    if (record['type'] === 'doc') {
      for (const child of content) {
        const parts: string[] = [];
        walk(child, parts);
        blocks.push(parts.join(''));
      }
      return;
    }
    for (const child of content) walk(child, out);
  };
  walk(value, []);
  return blocks.join('\n');
}

/** A rich-text value as the given REST flavour serializes it: ADF on cloud v3, a string elsewhere. */
export function richTextFor(value: unknown, adf: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (adf) return isAdfDocument(value) ? value : textToAdf(typeof value === 'string' ? value : '');
  return isAdfDocument(value) ? adfToText(value) : typeof value === 'string' ? value : '';
}
