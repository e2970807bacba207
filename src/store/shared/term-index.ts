/**
 * Conversations and tickets stored before their customers' terms were kept (by an older version)
 * get them here, a batch at a time, from their stored messages: themes then count every
 * conversation and find every ticket. Their rows in the terms tables are there already, with no
 * terms (schemas 17 and 18).
 */
import type { Kysely } from 'kysely';
import { customerTerms, ticketTerms, type CustomerTerms } from '../customer-terms.js';
import type { AuthorType, TicketCategory } from '../types.js';
import type { SharedTables } from './tables.js';

type Db = Kysely<SharedTables>;
type Message = { body: string | null; author: { type: AuthorType } };
type Part = { body: string | null; author_type: string };
/** A terms row as it stands, its terms to be derived (a conversation's keeps its sample bucket). */
type Unindexed = { rid: number; created_at: number; sample?: number };

/** Rows a statement may name: SQLite takes 32,766 values, and a row has up to three. */
const TERMS_PER_INSERT = 5000;

/** The words of terms just derived, beside those already named. */
export async function nameTerms(db: Db, named: Map<number, string>): Promise<void> {
  // In one order, so two writers adding the same words wait for each other instead of deadlocking.
  const values = [...named].sort(([a], [b]) => a - b).map(([hash, term]) => ({ hash, term }));
  for (let i = 0; i < values.length; i += TERMS_PER_INSERT)
    await db
      .insertInto('terms')
      .values(values.slice(i, i + TERMS_PER_INSERT))
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
}

/**
 * Each row's terms from its thread (`thread`: its opening messages, then `parts`, each part's
 * record by `partRid`), its row written again whole: one statement for the batch, not an update per
 * row, the row's other columns as they were.
 */
async function rewrite<R extends Unindexed, P extends Part>(
  db: Db,
  table: 'conversation_terms' | 'ticket_terms',
  rows: R[],
  parts: P[],
  partRid: (p: P) => number,
  thread: (row: R) => Message[],
  terms: (row: R, thread: Message[]) => CustomerTerms,
): Promise<void> {
  const threads = new Map(rows.map((r) => [Number(r.rid), thread(r)]));
  for (const p of parts)
    threads.get(partRid(p))!.push({ body: p.body, author: { type: p.author_type as AuthorType } });
  const named = new Map<number, string>();
  const written = rows.map((r) => {
    const t = terms(r, threads.get(Number(r.rid))!);
    for (const [hash, term] of t.terms) named.set(hash, term);
    const { rid, created_at, sample } = r;
    return { rid, created_at, ...(sample === undefined ? {} : { sample }), terms: t.packed };
  });
  await db
    .deleteFrom(table)
    .where(
      'rid',
      'in',
      rows.map((r) => r.rid),
    )
    .execute();
  // The two tables' rows differ only by the conversations' sample bucket, carried over as read.
  await db
    .insertInto(table as 'conversation_terms')
    .values(written as { rid: number; created_at: number; sample: number; terms: string }[])
    .execute();
  await nameTerms(db, named);
}

async function indexConversations(db: Db, limit: number): Promise<number> {
  const rows = await db
    .selectFrom('conversation_terms as t')
    .innerJoin('conversations as c', 'c.rid', 't.rid')
    .select(['t.rid', 't.created_at', 't.sample', 'c.source_body', 'c.source_author_type'])
    .where('t.terms', 'is', null)
    .limit(limit)
    .execute();
  if (rows.length === 0) return 0;
  const parts = await db
    .selectFrom('parts')
    .select(['conversation_rid', 'body', 'author_type'])
    .where(
      'conversation_rid',
      'in',
      rows.map((r) => r.rid),
    )
    .orderBy('conversation_rid')
    .orderBy('position')
    .execute();
  await rewrite(
    db,
    'conversation_terms',
    rows,
    parts,
    (p) => Number(p.conversation_rid),
    (r) => [{ body: r.source_body, author: { type: r.source_author_type as AuthorType } }],
    (_, thread) => customerTerms(thread),
  );
  return rows.length;
}

async function indexTickets(db: Db, limit: number): Promise<number> {
  const rows = await db
    .selectFrom('ticket_terms as t')
    .innerJoin('tickets as k', 'k.rid', 't.rid')
    .select(['t.rid', 't.created_at', 'k.category', 'k.title', 'k.description'])
    .where('t.terms', 'is', null)
    .limit(limit)
    .execute();
  if (rows.length === 0) return 0;
  const parts = await db
    .selectFrom('ticket_parts')
    .select(['ticket_rid', 'body', 'author_type'])
    .where(
      'ticket_rid',
      'in',
      rows.map((r) => r.rid),
    )
    .orderBy('ticket_rid')
    .orderBy('position')
    .execute();
  await rewrite(
    db,
    'ticket_terms',
    rows,
    parts,
    (p) => Number(p.ticket_rid),
    () => [],
    (r, thread) => ticketTerms({ ...r, category: r.category as TicketCategory }, thread),
  );
  return rows.length;
}

/** Indexes up to `limit` such conversations, then tickets; returns how many (0: none is left). */
export async function indexMissingTerms(db: Db, limit: number): Promise<number> {
  const conversations = await indexConversations(db, limit);
  return conversations < limit
    ? conversations + (await indexTickets(db, limit - conversations))
    : conversations;
}
