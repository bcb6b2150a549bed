// The "contains" (~) operator. Jira hands the value to Lucene; we model the common behaviour: case-insensitive
// whole-word matching where every word must occur, a trailing * as a prefix wildcard, and a value wrapped in
// escaped double quotes (summary ~ "\"exact phrase\"") as a phrase. Stemming and Lucene operators are not modelled.

const WORD = /[\p{L}\p{N}_]+/gu;

function words(text: string): string[] {
  return [...text.toLowerCase().matchAll(WORD)].map((m) => m[0]);
}

function hasPhrase(haystack: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  for (let start = 0; start + phrase.length <= haystack.length; start++) {
    if (phrase.every((word, i) => haystack[start + i] === word)) return true;
  }
  return false;
}

export function matchesJqlText(text: string, query: string): boolean {
  const haystack = words(text);
  const trimmed = query.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return hasPhrase(haystack, words(trimmed.slice(1, -1)));
  }
  const terms = trimmed.split(/\s+/).filter((term) => term !== '');
  let checked = 0;
  for (const term of terms) {
    const prefix = term.endsWith('*');
    const termWords = words(prefix ? term.slice(0, -1) : term);
    for (const [i, word] of termWords.entries()) {
      const isPrefix = prefix && i === termWords.length - 1;
      if (!haystack.some((candidate) => (isPrefix ? candidate.startsWith(word) : candidate === word))) return false;
      checked++;
    }
  }
  // A value with no words at all ("~ '!!'") finds nothing rather than everything.
  return checked > 0;
}
