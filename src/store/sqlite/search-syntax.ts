/** The parsed search text as an FTS5 MATCH expression: each term a quoted phrase, so never a syntax error. */
import type { ParsedSearchText } from '../search-text.js';

export function toFtsMatch(parsed: ParsedSearchText): string {
  return parsed.terms
    .map((t) => `${t.join ? `${t.join} ` : ''}"${t.words.join(' ')}"${t.prefix ? '*' : ''}`)
    .join(' ');
}
