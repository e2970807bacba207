/**
 * Turns what a person types into an FTS5 query that cannot be a syntax error: words and "quoted
 * phrases" are quoted tokens, all required unless joined by OR; a trailing * keeps prefix search.
 */
export class SearchTextError extends Error {}

export interface ParsedSearchText {
  match: string;
  /** The words, lower-cased, for highlighting snippets. */
  terms: string[];
}

export function toFtsQuery(text: string): ParsedSearchText {
  const tokens = text.match(/"[^"]*"|\S+/g) ?? [];
  const parts: string[] = [];
  const terms: string[] = [];
  for (const raw of tokens) {
    if (raw === 'OR' || raw === 'AND' || raw === 'NOT') {
      if (parts.length > 0) parts.push(raw);
      continue;
    }
    const phrase = raw.startsWith('"');
    const prefix = !phrase && raw.endsWith('*');
    const words = raw.replace(/^"|"$/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) continue;
    terms.push(...words.map((w) => w.toLowerCase()));
    parts.push(`"${words.join(' ')}"${prefix ? '*' : ''}`);
  }
  while (parts.length > 0 && ['OR', 'AND', 'NOT'].includes(parts[parts.length - 1]!)) parts.pop();
  if (parts.length === 0) throw new SearchTextError(`The query "${text}" has no words to search for`);
  return { match: parts.join(' '), terms };
}

/**
 * A short excerpt around the first matching term, with matches marked **like this**. The texts are
 * read only up to the first that matches, so a caller can pass a lazy sequence of a thread's parts.
 */
export function snippet(texts: Iterable<string | null>, terms: string[], width = 160): string {
  const stems = terms.map((t) => t.slice(0, Math.max(3, t.length - 2)));
  const pattern = stems.length
    ? new RegExp(
        `(${stems.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})[\\p{L}\\p{N}]*`,
        'giu',
      )
    : null;
  let first = '';
  for (const text of texts) {
    if (!text) continue;
    first ||= text;
    if (!pattern) break;
    pattern.lastIndex = 0;
    const m = pattern.exec(text);
    if (!m) continue;
    const start = Math.max(0, m.index - Math.floor(width / 3));
    const end = Math.min(text.length, start + width);
    const excerpt = text.slice(start, end).replace(/\s+/g, ' ');
    return `${start > 0 ? '…' : ''}${excerpt.replace(pattern, '**$&**')}${end < text.length ? '…' : ''}`;
  }
  return first.slice(0, width).replace(/\s+/g, ' ') + (first.length > width ? '…' : '');
}
