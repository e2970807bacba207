/**
 * What the integration test's "Data Integrity" section checks in the stored copy: whole threads,
 * parts in time order, timestamps from the future, and conversations linked to their customers.
 */
import type { Kysely } from 'kysely';
import type { ThreadAudit } from '../types.js';
import { kysely } from './kysely.js';
import type { SharedTables } from './tables.js';

const LIST_LIMIT = 50;

export async function auditThreads(db: Kysely<SharedTables>, futureAfter: number): Promise<ThreadAudit> {
  const { sql } = kysely();
  const n = async (query: string) => Number((await sql.raw<{ n: number }>(query).execute(db)).rows[0]!.n);
  const ids = async (query: string) =>
    (await sql.raw<{ id: string }>(`${query} LIMIT ${LIST_LIMIT}`).execute(db)).rows.map((r) => r.id);
  const future = await sql<{ n: number }>`SELECT
    (SELECT count(*) FROM parts WHERE created_at > ${futureAfter})
    + (SELECT count(*) FROM conversations WHERE created_at > ${futureAfter} OR updated_at > ${futureAfter}) AS n`.execute(
    db,
  );
  return {
    conversations: await n('SELECT count(*) AS n FROM conversations WHERE deleted_at IS NULL'),
    duplicateIds: await n('SELECT count(*) - count(DISTINCT id) AS n FROM conversations'),
    shortThreads: (
      await sql<
        ThreadAudit['shortThreads'][number]
      >`SELECT c.id, count(p.position) AS stored, c.parts_total AS total
        FROM conversations c LEFT JOIN parts p ON p.conversation_rid = c.rid
        WHERE c.deleted_at IS NULL GROUP BY c.rid, c.id, c.parts_total HAVING count(p.position) < c.parts_total
        LIMIT 1000`.execute(db)
    ).rows,
    outOfOrder: await ids(
      `SELECT DISTINCT c.id FROM parts p
       JOIN parts q ON q.conversation_rid = p.conversation_rid AND q.position = p.position + 1
       JOIN conversations c ON c.rid = p.conversation_rid
       WHERE q.created_at < p.created_at AND c.deleted_at IS NULL`,
    ),
    futureTimestamps: Number(future.rows[0]!.n),
    withoutCustomer: await ids(
      `SELECT c.id FROM conversations c WHERE c.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM conversation_contacts cc WHERE cc.conversation_rid = c.rid)`,
    ),
    unknownContacts: await n(
      `SELECT count(DISTINCT cc.contact_id) AS n FROM conversation_contacts cc
       WHERE NOT EXISTS (SELECT 1 FROM contacts k WHERE k.id = cc.contact_id)`,
    ),
  };
}
