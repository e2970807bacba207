/**
 * The terms of what a customer wrote, as themes count them: words and two-word phrases, lower-cased,
 * without stop words (several languages' lists, and the words every support message carries:
 * greetings, thanks, sign-offs), without numbers, links or email addresses, and without the
 * workspace's own name. A conversation's terms are a set: themes count conversations, not words.
 *
 * Words are kept as written, not stemmed: "refund" and "refunds" count apart, which a stemmer
 * would merge, but a stemmer also merges what support must keep apart ("organization" and
 * "organic"), and it works for one language where customers write in many.
 */
import { createRequire } from 'node:module';

/** What every support message says whatever its subject: it never makes a theme. */
const SUPPORT_WORDS = [
  'hi',
  'hello',
  'hey',
  'dear',
  'thanks',
  'thank',
  'thx',
  'cheers',
  'regards',
  'best',
  'kind',
  'sincerely',
  'please',
  'pls',
  'team',
  'support',
  'help',
  'question',
  'issue',
  'problem',
  'asap',
  'ok',
  'okay',
  'yes',
  'sure',
  'great',
  'get',
  'got',
  'also',
  'still',
  'just',
  'would',
  'could',
  'can',
  'know',
  'let',
  'need',
  'want',
  'like',
  'when',
  'looking',
  'advance',
  'anyone',
  'someone',
  'one',
  'us',
  'im',
  've',
  'll',
  'don',
  'doesn',
  'didn',
  'isn',
  'won',
  "can't",
  "don't",
  "i'm",
  "i've",
  "it's",
];

const LANGUAGES = ['eng', 'deu', 'fra', 'spa', 'por', 'ita', 'nld'] as const;

/**
 * The stop words, loaded on first use: every module of the store imports this one, reader threads
 * included, which never extract terms and need not hold 62 languages' lists (docs/performance.md).
 * Loaded synchronously, as the writers that use it are.
 */
let loaded: Set<string> | undefined;
function stopWords(): Set<string> {
  if (!loaded) {
    const lists = createRequire(import.meta.url)('stopword') as Record<(typeof LANGUAGES)[number], string[]>;
    loaded = new Set([...LANGUAGES.flatMap((l) => lists[l]), ...SUPPORT_WORDS]);
  }
  return loaded;
}

const URLS = /\b(?:https?:\/\/|www\.)\S+/giu;
const EMAILS = /\S+@\S+\.\S+/gu;
/** Where a phrase may not span: sentence and clause ends, and line breaks. */
const BREAKS = /[.!?;:,()[\]{}"“”\n\r]+/u;
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;

/**
 * The set of terms in `texts`: every word that is not a stop word, and every two such words next
 * to each other within a clause. `exclude` adds words that must not count (the workspace's name).
 */
export function termsOf(texts: readonly string[], exclude: ReadonlySet<string> = new Set()): Set<string> {
  const terms = new Set<string>();
  for (const text of texts) {
    const clean = text
      .normalize('NFKC')
      .toLowerCase()
      // A link or an address breaks a phrase as a full stop does.
      .replace(URLS, '\n')
      .replace(EMAILS, '\n')
      .replace(/’/gu, "'");
    for (const clause of clean.split(BREAKS)) {
      let previous: string | undefined;
      for (const [raw] of clause.matchAll(WORD)) {
        const word = raw.replace(/'s$/u, '');
        if (!isTerm(word, exclude)) {
          previous = undefined;
          continue;
        }
        terms.add(word);
        if (previous !== undefined) terms.add(`${previous} ${word}`);
        previous = word;
      }
    }
  }
  return terms;
}

function isTerm(word: string, exclude: ReadonlySet<string>): boolean {
  const stop = stopWords();
  return (
    word.length >= 2 &&
    !/^\p{N}+$/u.test(word) &&
    !stop.has(word) &&
    // Some lists spell their words without accents ("esta" for "está").
    !stop.has(word.normalize('NFD').replace(/\p{M}/gu, '')) &&
    !exclude.has(word)
  );
}

/** The words of a name that must not count as terms: "Acme Cloud" → acme, cloud. */
export function nameWords(name: string | undefined): Set<string> {
  return new Set((name ?? '').normalize('NFKC').toLowerCase().match(WORD) ?? []);
}
