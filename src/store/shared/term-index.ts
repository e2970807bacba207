/**
 * Conversations stored before their customers' terms were kept (by an older version) get them
 * here, a batch at a time, from their stored messages: themes then count every conversation. Their
 * rows in the terms table are there already, with no terms (schema 17).
 */
import type { Kysely } from 'kysely';
import { customerTerms } from '../customer-terms.js';
import type { AuthorType } from '../types.js';
import type { SharedTables } from './tables.js';

/** Rows a statement may name: SQLite takes 32,766 values, and a row has up to three. */
const TERMS_PER_INSERT = 5000;

/** Indexes up to `limit` such conversations; returns how many (0: none is left). */
export async function indexMissingTerms(db: Kysely<SharedTables>, limit: number): Promise<number> {
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
  const messages = new Map(
    rows.map((r) => [
      Number(r.rid),
      [{ body: r.source_body, author: { type: r.source_author_type as AuthorType } }],
    ]),
  );
  for (const p of parts)
    messages
      .get(Number(p.conversation_rid))!
      .push({ body: p.body, author: { type: p.author_type as AuthorType } });
  const named = new Map<number, string>();
  const createdAt = new Map(rows.map((r) => [Number(r.rid), Number(r.created_at)]));
  const packed = [...messages].map(([rid, thread]) => {
    const terms = customerTerms(thread);
    for (const [hash, term] of terms.terms) named.set(hash, term);
    return { rid, created_at: createdAt.get(rid)!, terms: terms.packed };
  });
  // Written again whole: one statement for the batch, not an update per row.
  await db
    .deleteFrom('conversation_terms')
    .where(
      'rid',
      'in',
      packed.map((p) => p.rid),
    )
    .execute();
  await db.insertInto('conversation_terms').values(packed).execute();
  // In one order, so two writers adding the same words wait for each other instead of deadlocking.
  const values = [...named].sort(([a], [b]) => a - b).map(([hash, term]) => ({ hash, term }));
  for (let i = 0; i < values.length; i += TERMS_PER_INSERT)
    await db
      .insertInto('terms')
      .values(values.slice(i, i + TERMS_PER_INSERT))
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
  return rows.length;
}
