/**
 * The terms customers wrote in a conversation (what themes count, insights/terms.ts), kept with it
 * as one packed value: each term a 48-bit hash of its text, six bytes. A row per term would take
 * more room than the text itself and a write per term; the packed value is read whole with the
 * conversation's row and counted in memory. The hashes' text lives once in the `terms` table, for
 * naming the few that rank. At 48 bits, ten million distinct terms collide less than once in five.
 *
 * Only what customers wrote counts (the opening message and their replies), not teammates',
 * bots' or notes: a theme is what customers raise. A very long thread (a pasted log) gives its
 * first MAX_TERMS terms, from at most MAX_CHARS of text.
 */
import { createHash } from 'node:crypto';
import { termsOf } from '../insights/terms.js';
import type { ConversationRecord, PartRecord, Person } from './types.js';

const CUSTOMER_TYPES = new Set<Person['type']>(['user', 'lead', 'contact']);
export const MAX_TERMS = 300;
const MAX_CHARS = 20_000;
const HASH_BYTES = 6;

export function termHash(term: string): number {
  return createHash('md5').update(term).digest().readUIntBE(0, HASH_BYTES);
}

export interface CustomerTerms {
  /** The hashes, packed: the value stored with the conversation. */
  packed: Buffer;
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
  const packed = Buffer.alloc(terms.size * HASH_BYTES);
  let offset = 0;
  for (const hash of terms.keys()) offset = packed.writeUIntBE(hash, offset, HASH_BYTES);
  return { packed, terms };
}

/** The terms of a conversation as the sync hands it to the store: its opening message, then its parts. */
export const conversationTerms = (conversation: ConversationRecord, parts: readonly PartRecord[]) =>
  customerTerms([{ body: conversation.sourceBody, author: conversation.sourceAuthor }, ...parts]);

/** The hashes in a packed value, in the order written. */
export function unpackTerms(packed: Uint8Array): number[] {
  const view = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  const hashes: number[] = [];
  for (let offset = 0; offset + HASH_BYTES <= view.length; offset += HASH_BYTES)
    hashes.push(view.readUIntBE(offset, HASH_BYTES));
  return hashes;
}
