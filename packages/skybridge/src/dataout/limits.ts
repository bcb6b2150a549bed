import type { MarkedSegment, MarkedText } from './marked-text.ts';
import { plainText } from './marked-text.ts';

/**
 * Jira's length limits, and cutting text to them without breaking a character. Jira counts lengths as Java does,
 * in UTF-16 code units, which is also JavaScript's `length`; cuts are made between grapheme clusters (a flag,
 * an emoji with skin tone, a letter with combining accents stay whole), never inside a surrogate pair.
 */

/** Jira refuses a longer summary ("Summary must be less than 255 characters."; it accepts exactly 255). */
export const SUMMARY_MAX_LENGTH = 255;

/**
 * Jira's limit for a multi-line text field, description included: 32,767 characters. The Jira Cloud platform
 * spec states it for the text-area field type (`CustomFieldContextDefaultValueTextArea.text`: "The maximum length
 * is 32767 characters"); it is Jira's default `jira.text.field.character.limit`, which Data Center administrators
 * may change (pass their value as `maxLength`). On Cloud the limit applies to the ADF document as JSON text.
 */
export const DESCRIPTION_MAX_LENGTH = 32_767;

/** Jira refuses a label over 255 characters and any label containing whitespace. */
export const LABEL_MAX_LENGTH = 255;

/** Jira's single-line text fields hold 255 characters. */
export const TEXT_FIELD_MAX_LENGTH = 255;

/** The mark left where text was cut. One UTF-16 unit, so it costs one character of the budget. */
export const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest prefix of `text` made of whole grapheme clusters that is at most `maxLength` code units long. */
export function takeGraphemes(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    if (index + segment.length > maxLength) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** `text` unchanged when it fits, else cut between grapheme clusters with `ellipsis` added, within `maxLength`. */
export function cutText(text: string, maxLength: number, ellipsis = ELLIPSIS): string {
  if (text.length <= maxLength) return text;
  return takeGraphemes(text, Math.max(0, maxLength - ellipsis.length)).trimEnd() + ellipsis;
}

/**
 * A summary from rendered text: line breaks and runs of whitespace become one space (Jira refuses line breaks in a
 * summary), then the text is cut to 255 characters with an ellipsis.
 */
export function toSummary(text: string): string {
  return cutText(text.replace(/\s+/g, ' ').trim(), SUMMARY_MAX_LENGTH);
}

/**
 * Labels from rendered text: one label per line or comma-separated item, whitespace inside a label replaced by
 * `-` (Jira labels cannot contain spaces, and splitting "Team A" into two labels would be worse), each cut to
 * 255 characters, empty ones dropped, duplicates removed (first kept).
 */
export function toLabels(text: string): string[] {
  const labels: string[] = [];
  for (const item of text.split(/[\n,]/)) {
    const label = takeGraphemes(item.trim().replace(/\s+/g, '-'), LABEL_MAX_LENGTH);
    if (label !== '' && !labels.includes(label)) labels.push(label);
  }
  return labels;
}

/** The first `maxLength` characters of marked text (whole graphemes), keeping each segment's kind. */
export function truncateMarked(marked: MarkedText, maxLength: number): MarkedText {
  const out: MarkedSegment[] = [];
  let left = maxLength;
  for (const segment of marked) {
    if (segment.text.length <= left) {
      out.push(segment);
      left -= segment.text.length;
      continue;
    }
    const text = takeGraphemes(segment.text, left);
    if (text !== '') out.push({ kind: segment.kind, text });
    break;
  }
  return out;
}

/** Default note put at the end of a shortened description. */
export const SHORTENED_NOTICE = 'The description was too long for Jira and was shortened; the full text is attached.';

export interface FittedDescription<T> {
  /** The field value to send, within the limit. */
  value: T;
  /** Whether text was cut. */
  shortened: boolean;
  /** The whole description as plain text, to attach when `shortened`. */
  fullText: string | undefined;
}

export interface FitDescriptionOptions {
  /** Default `DESCRIPTION_MAX_LENGTH` (32,767). */
  maxLength?: number;
  /** Shown, as text, after the cut. Default `SHORTENED_NOTICE`. */
  notice?: string;
}

/**
 * Builds a description with `build` (ADF or wiki markup) and, when `measure` says it is over the limit, builds
 * it again from the longest prefix of the text that fits together with an ellipsis and the notice. The cut is
 * made on the marked text, before building, so it never splits markup, an escape sequence or a character; a
 * binary search over the prefix length keeps the number of builds logarithmic.
 */
export function fitDescription<T>(
  marked: MarkedText,
  build: (marked: MarkedText) => T,
  measure: (value: T) => number,
  options: FitDescriptionOptions = {},
): FittedDescription<T> {
  const maxLength = options.maxLength ?? DESCRIPTION_MAX_LENGTH;
  const whole = build(marked);
  if (measure(whole) <= maxLength) return { value: whole, shortened: false, fullText: undefined };
  const notice = options.notice ?? SHORTENED_NOTICE;
  const shortened = (length: number): T =>
    build([
      ...truncateMarked(marked, length),
      { kind: 'value', text: ELLIPSIS },
      { kind: 'template', text: '\n\n' },
      { kind: 'value', text: notice },
    ]);
  let best = shortened(0);
  if (measure(best) > maxLength) throw new Error(`a description limit of ${maxLength} cannot hold the notice`);
  let low = 0;
  let high = plainText(marked).length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const candidate = shortened(middle);
    if (measure(candidate) <= maxLength) {
      best = candidate;
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return { value: best, shortened: true, fullText: plainText(marked) };
}
