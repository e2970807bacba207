/**
 * Reads what a person types into a search that no engine can take as a syntax error: words and
 * "quoted phrases" become terms, all required unless joined by OR, or excluded after NOT; a
 * trailing * keeps prefix search. Operators are read sensibly where they can be (a run of the same
 * one counts once, AND NOT is NOT, a dangling one is dropped) and refused with a specific message
 * where no reading is safe. One pass over the input, which is bounded: full-text engines' cost
 * grows with the square of the terms, so their number is capped too. Each engine renders the
 * parsed terms in its own syntax (FTS5 MATCH, tsquery); the language is this one for both.
 */
import { quote } from '../wording.js';

export class SearchTextError extends Error {}

export const MAX_QUERY_CHARS = 1000;
export const MAX_QUERY_TERMS = 16;
/**
 * A prefix merges the index entries of every word it starts (SQLite: about 20 ms for "thi*" at
 * 100,000 conversations, whatever else bounds the search), so a query keeps this many prefixes;
 * those after them are searched as whole words, and the answer says so.
 */
export const MAX_PREFIXES = 3;

export type Operator = 'AND' | 'OR' | 'NOT';

/** One term: a word, or the words of a phrase in order, the last maybe a prefix. */
export interface SearchTerm {
  /** How it joins the terms before it; absent on the first. NOT excludes it from what precedes. */
  join?: Operator;
  words: string[];
  prefix: boolean;
}

export interface ParsedSearchText {
  terms: SearchTerm[];
  /** The words, lower-cased, for highlighting snippets. */
  words: string[];
  /** Prefixes past MAX_PREFIXES, as typed, searched as whole words. */
  asWords: string[];
}
const OPERATORS = new Set<string>(['AND', 'OR', 'NOT']);

/** One operator for a run of them between two terms, or the reason none can stand there. */
function joinOperators(run: Operator[]): Operator | string {
  const kinds = new Set(run);
  if (kinds.size === 1) return run[0]!;
  if (!kinds.has('OR')) return 'NOT';
  return `${[...kinds].join(' and ')} cannot stand together between two words; use one of them`;
}

export function parseSearchText(typed: string): ParsedSearchText {
  // Stored text is composed (NFC, at the sync's edge); the query is too, so "man\u0303ana" finds
  // "mañana" on both engines. A mark left uncomposed splits a word here as both engines' indexes do.
  const text = typed.normalize('NFC');
  const shown = quote(typed);
  if (text.length > MAX_QUERY_CHARS)
    throw new SearchTextError(
      `The query is ${text.length} characters long; at most ${MAX_QUERY_CHARS} are searched`,
    );
  const parsed: SearchTerm[] = [];
  const lowered: string[] = [];
  const asWords: string[] = [];
  let run: Operator[] = [];
  for (const raw of text.match(/"[^"]*"?|\S+/g) ?? []) {
    if (OPERATORS.has(raw)) {
      if (parsed.length === 0 && raw === 'NOT')
        throw new SearchTextError(`NOT needs a word before it, as in "refund NOT billing": ${shown}`);
      if (parsed.length > 0) run.push(raw as Operator);
      continue;
    }
    const phrase = raw.startsWith('"');
    const prefix = !phrase && raw.endsWith('*');
    const words = raw.replace(/^"|"$/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) continue;
    // "a*" expands to every indexed word starting with a: thousands of terms to merge.
    if (prefix && words.at(-1)!.length < 3)
      throw new SearchTextError(`A prefix search needs at least 3 letters before the *: ${shown}`);
    let join: Operator | undefined;
    if (run.length > 0) {
      const op = joinOperators(run);
      if (!OPERATORS.has(op)) throw new SearchTextError(`${op}: ${shown}`);
      join = op as Operator;
      run = [];
    }
    lowered.push(...words.map((w) => w.toLowerCase()));
    if (lowered.length > MAX_QUERY_TERMS)
      throw new SearchTextError(
        `The query has more than ${MAX_QUERY_TERMS} words; search for the ${MAX_QUERY_TERMS} that matter most`,
      );
    const kept = prefix && parsed.filter((t) => t.prefix).length < MAX_PREFIXES;
    if (prefix && !kept) asWords.push(raw);
    parsed.push({ ...(join ? { join } : {}), words, prefix: kept });
  }
  if (parsed.length === 0) throw new SearchTextError(`The query ${shown} has no words to search for`);
  return { terms: parsed, words: lowered, asWords };
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
