/**
 * The parsed search text as a tsquery for to_tsquery('fim', …): a phrase's words joined by <->,
 * a prefix as :*, AND as &, OR as |, NOT as & !. The words are letters and digits only (the
 * parser's), so the text cannot be a syntax error; tsquery's precedence (! over & over |) reads
 * the terms as FTS5 does (NOT over AND over OR).
 */
import type { ParsedSearchText } from '../search-text.js';

const JOIN = { AND: ' & ', OR: ' | ', NOT: ' & !' } as const;

export function toTsQuery(parsed: ParsedSearchText): string {
  return parsed.terms
    .map((t, i) => {
      const words = t.words.map((w, j) => (t.prefix && j === t.words.length - 1 ? `${w}:*` : w));
      const term = words.length > 1 ? `(${words.join(' <-> ')})` : words[0]!;
      return `${i === 0 ? '' : JOIN[t.join ?? 'AND']}${term}`;
    })
    .join('');
}

/** What is indexed: letters and digits, every other run of characters one space, as the query reads words. */
export function indexText(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, ' ');
}
