/**
 * The terms customers wrote in a conversation (what themes count, insights/terms.ts), kept in
 * `conversation_terms` beside it as one line of text: each term a 42-bit hash of its words in
 * seven characters, back to back. A row per term would take more room than the text itself and a
 * write per term; text, unlike a blob, is what both engines join into one value for a whole window
 * (insight-rows.ts), so the thousands of rows a theme reads cost one value, not one allocation
 * each. The hashes' words live once in the `terms` table, for naming the few that rank. At 42
 * bits, a million distinct terms hold a colliding pair about one time in nine.
 *
 * Only what customers wrote counts (the opening message and their replies), not teammates',
 * bots' or notes: a theme is what customers raise. A very long thread (a pasted log) gives its
 * first MAX_TERMS terms, from at most MAX_CHARS of text.
 */
import { createHash } from 'node:crypto';
import { termsOf } from '../insights/terms.js';
import type { ConversationRecord, PartRecord, Person, TicketCategory } from './types.js';

const CUSTOMER_TYPES = new Set<Person['type']>(['user', 'lead', 'contact']);
export const MAX_TERMS = 300;
const MAX_CHARS = 20_000;

/** The 64 characters a hash is written in, six bits each, none of them special in SQL or a line. */
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const CODE_CHARS = 7;
const LOW = 2 ** 24;

/** Each character code's six bits (-1: not a digit). */
const DIGIT_VALUE = Int8Array.from({ length: 128 }, (_, code) => DIGITS.indexOf(String.fromCharCode(code)));

export function termHash(term: string): number {
  const digest = createHash('md5').update(term).digest();
  return (digest.readUIntBE(0, 3) >>> 6) * LOW + digest.readUIntBE(3, 3);
}

/** A hash in its seven characters: the high 18 bits in three, the low 24 in four. */
export function encodeHash(hash: number): string {
  let code = '';
  const high = Math.floor(hash / LOW);
  const low = hash % LOW;
  for (const [value, shifts] of [
    [high, [12, 6, 0]],
    [low, [18, 12, 6, 0]],
  ] as const)
    for (const shift of shifts) code += DIGITS[(value >>> shift) & 63];
  return code;
}

/** The hash whose code starts at `at` in `text` (encodeHash's inverse). */
export function decodeHash(text: string, at: number): number {
  const d = (i: number) => DIGIT_VALUE[text.charCodeAt(at + i)]!;
  return ((d(0) << 12) | (d(1) << 6) | d(2)) * LOW + ((d(3) << 18) | (d(4) << 12) | (d(5) << 6) | d(6));
}

export interface CustomerTerms {
  /** The hashes' codes, back to back: the value stored with the conversation. */
  packed: string;
  /** Each hash with its term, for the `terms` table. */
  terms: Map<number, string>;
}

interface Message {
  body: string | null;
  author: { type: Person['type'] };
}

/** The terms of what customers wrote in these messages (the opening one first). */
export function customerTerms(messages: readonly Message[]): CustomerTerms {
  const texts: string[] = [];
  let chars = 0;
  for (const m of messages) {
    if (!m.body || !CUSTOMER_TYPES.has(m.author.type) || chars >= MAX_CHARS) continue;
    texts.push(m.body.slice(0, MAX_CHARS - chars));
    chars += m.body.length;
  }
  const terms = new Map<number, string>();
  for (const term of termsOf(texts)) {
    if (terms.size === MAX_TERMS) break;
    terms.set(termHash(term), term);
  }
  return { packed: [...terms.keys()].map(encodeHash).join(''), terms };
}

/** The terms of a conversation as the sync hands it to the store: its opening message, then its parts. */
export const conversationTerms = (conversation: ConversationRecord, parts: readonly PartRecord[]) =>
  customerTerms([{ body: conversation.sourceBody, author: conversation.sourceAuthor }, ...parts]);

/**
 * The terms of a ticket: a customer's ticket's title and description are the customer's (they
 * submitted it), a back-office or tracker ticket's a teammate's; then its parts, by their authors.
 */
export const ticketTerms = (
  ticket: { category: TicketCategory; title: string | null; description: string | null },
  parts: readonly Message[],
) =>
  customerTerms([
    {
      body: [ticket.title, ticket.description].filter(Boolean).join('\n') || null,
      author: { type: ticket.category === 'Customer' ? 'user' : 'admin' },
    },
    ...parts,
  ]);
