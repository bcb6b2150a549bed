/**
 * Rendered template output that remembers where each character came from. `template` text was written by the
 * person who configured the instance and may carry structure (ADF's tiny markup, Jira wiki markup); `value` text
 * came from a finding (through `{{ … }}`) and is only ever shown as text. Keeping the two apart, instead of
 * escaping after the fact, is what lets adf.ts and wiki-markup.ts guarantee that a finding cannot inject markup.
 */
export type MarkedSegment = { kind: 'template'; text: string } | { kind: 'value'; text: string };

export type MarkedText = readonly MarkedSegment[];

/** The text as a reader sees it, with no difference between template and value characters. */
export function plainText(marked: MarkedText): string {
  return marked.map((s) => s.text).join('');
}

/** Template text alone, e.g. a description template without placeholders. */
export function templateText(text: string): MarkedText {
  return [{ kind: 'template', text }];
}

/** A value alone, e.g. a finding field mapped straight onto a rich-text field. */
export function valueText(text: string): MarkedText {
  return [{ kind: 'value', text }];
}
