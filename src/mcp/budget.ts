/**
 * Answers bounded for a model's context: a budget in tokens (counted with the cl100k tokenizer,
 * close to what current models count) or, when a caller asks, in characters, honoured exactly.
 */
import { countTokens, setMergeCacheSize } from 'gpt-tokenizer/encoding/cl100k_base';

// The tokenizer remembers how it split each word outside its vocabulary, up to 100,000 of them by
// default: in a server that measures every conversation it answers with, that cache only grows,
// to megabytes that count against the server's memory target. Ten thousand keep the common ones.
setMergeCacheSize(10_000);

export interface Budget {
  unit: 'tokens' | 'chars';
  max: number;
}

/** Special-token markers a customer may have typed ("<|endoftext|>") count as the plain text they are. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

export const measure = (text: string, unit: Budget['unit']) =>
  unit === 'chars' ? text.length : countTokens(text, AS_TEXT);

/**
 * An upper bound of `measure` that costs nothing to compute: cl100k is a byte-level BPE, each token
 * standing for at least one byte of UTF-8, so a text has at most as many tokens as bytes. Most
 * answers are far below their budget even counted this way, and then no token is counted at all:
 * counting costs time in proportion to the text, on every answer.
 */
const atMost = (text: string, unit: Budget['unit']) =>
  unit === 'chars' ? text.length : Buffer.byteLength(text, 'utf8');

export const fits = (text: string, b: Budget) =>
  atMost(text, b.unit) <= b.max || measure(text, b.unit) <= b.max;

/** How many of `items`, taken in order and joined by newlines after `base`, fit the budget. */
export function countThatFit(base: string, items: string[], b: Budget): number {
  const bound = items.reduce((sum, item) => sum + atMost(item, b.unit) + 1, atMost(base, b.unit));
  if (bound <= b.max) return items.length;
  let used = measure(base, b.unit);
  let n = 0;
  for (const item of items) {
    used += measure(item, b.unit) + 1;
    if (used > b.max) break;
    n += 1;
  }
  return n;
}

/** The longest prefix of `text` that fits with `suffix` after it, found by halving. */
export function cutToFit(text: string, suffix: string, b: Budget): string {
  if (fits(text, b)) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fits(text.slice(0, mid) + suffix, b)) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + suffix;
}
