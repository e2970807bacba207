/**
 * Conversations and tickets stored before their customers' terms were kept (by an older version)
 * get them here, a batch at a time, from their stored messages: themes then count every
 * conversation and find every ticket. Their rows in the terms tables are there already, with no
 * terms (schemas 17 and 18).
 */
import type { Kysely } from 'kysely';
import { SAMPLE_BUCKET } from '../insight-rows.js';
import { customerTerms, ticketTerms } from '../customer-terms.js';
import type { AuthorType, TicketCategory } from '../types.js';
import { kysely } from './kysely.js';
import type { SharedTables } from './tables.js';

type Db = Kysely<SharedTables>;
type Packed = { rid: number; created_at: number; terms: string };
type Message = { body: string | null; author: { type: AuthorType } };

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

/** Each record's messages in order, from rows of `messages` keyed by `rid`. */
function threads<R>(
  first: Map<number, Message[]>,
  parts: R[],
  rid: (p: R) => number,
  message: (p: R) => Message,
) {
  for (const p of parts) first.get(rid(p))!.push(message(p));
  return first;
}

/** Written again whole: one statement for the batch, not an update per row. */
async function rewrite(
  db: Db,
  table: 'conversation_terms' | 'ticket_terms',
  packed: Packed[],
  named: Map<number, string>,
): Promise<void> {
  await db
    .deleteFrom(table)
    .where(
      'rid',
      'in',
      packed.map((p) => p.rid),
    )
    .execute();
  const { sql } = kysely();
  // A conversation's row has its sample bucket, by the rule the SQL samples with (a literal is an
  // integer to PostgreSQL, which the key's arithmetic overflows: a bigint, then).
  const bucket = (createdAt: number) =>
    sql<number>`${sql.raw(SAMPLE_BUCKET(`CAST(${createdAt} AS BIGINT)`))}`;
  const rows =
    table === 'conversation_terms' ? packed.map((p) => ({ ...p, sample: bucket(p.created_at) })) : packed;
  await db
    .insertInto(table as 'conversation_terms')
    .values(rows as never)
    .execute();
  await nameTerms(db, named);
}

function pack(
  createdAt: Map<number, number>,
  messages: Map<number, Message[]>,
  terms: (rid: number, thread: Message[]) => ReturnType<typeof customerTerms>,
) {
  const named = new Map<number, string>();
  const packed = [...messages].map(([rid, thread]) => {
    const t = terms(rid, thread);
    for (const [hash, term] of t.terms) named.set(hash, term);
    return { rid, created_at: createdAt.get(rid)!, terms: t.packed };
  });
  return { packed, named };
}

async function indexConversations(db: Db, limit: number): Promise<number> {
  const rows = await db
    .selectFrom('conversation_terms as t')
    .innerJoin('conversations as c', 'c.rid', 't.rid')
    .select(['t.rid', 't.created_at', 'c.source_body', 'c.source_author_type'])
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
  const messages = threads(
    new Map(
      rows.map((r) => [
        Number(r.rid),
        [{ body: r.source_body, author: { type: r.source_author_type as AuthorType } }],
      ]),
    ),
    parts,
    (p) => Number(p.conversation_rid),
    (p) => ({ body: p.body, author: { type: p.author_type as AuthorType } }),
  );
  const createdAt = new Map(rows.map((r) => [Number(r.rid), Number(r.created_at)]));
  const { packed, named } = pack(createdAt, messages, (_, thread) => customerTerms(thread));
  await rewrite(db, 'conversation_terms', packed, named);
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
  const messages = threads(
    new Map(rows.map((r) => [Number(r.rid), [] as Message[]])),
    parts,
    (p) => Number(p.ticket_rid),
    (p) => ({ body: p.body, author: { type: p.author_type as AuthorType } }),
  );
  const tickets = new Map(rows.map((r) => [Number(r.rid), { ...r, category: r.category as TicketCategory }]));
  const createdAt = new Map(rows.map((r) => [Number(r.rid), Number(r.created_at)]));
  const { packed, named } = pack(createdAt, messages, (rid, thread) =>
    ticketTerms(tickets.get(rid)!, thread),
  );
  await rewrite(db, 'ticket_terms', packed, named);
  return rows.length;
}

/** Indexes up to `limit` such conversations, then tickets; returns how many (0: none is left). */
export async function indexMissingTerms(db: Db, limit: number): Promise<number> {
  const conversations = await indexConversations(db, limit);
  return conversations < limit
    ? conversations + (await indexTickets(db, limit - conversations))
    : conversations;
}
