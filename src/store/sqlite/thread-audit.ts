/**
 * What the integration test's "Data Integrity" section checks in the stored copy: whole threads,
 * parts in time order, timestamps from the future, and conversations linked to their customers.
 */
import type Database from 'better-sqlite3';
import type { ThreadAudit } from '../types.js';

const LIST_LIMIT = 50;

export function auditThreads(db: Database.Database, futureAfter: number): ThreadAudit {
  const n = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  const ids = (sql: string) =>
    (db.prepare(`${sql} LIMIT ${LIST_LIMIT}`).all() as { id: string }[]).map((r) => r.id);
  return {
    conversations: n('SELECT count(*) AS n FROM conversations WHERE deleted_at IS NULL'),
    duplicateIds: n('SELECT count(*) - count(DISTINCT id) AS n FROM conversations'),
    shortThreads: db
      .prepare(
        `SELECT c.id, count(p.position) AS stored, c.parts_total AS total
         FROM conversations c LEFT JOIN parts p ON p.conversation_rid = c.rid
         WHERE c.deleted_at IS NULL GROUP BY c.rid HAVING count(p.position) < c.parts_total
         LIMIT 1000`,
      )
      .all() as ThreadAudit['shortThreads'],
    outOfOrder: ids(
      `SELECT DISTINCT c.id FROM parts p
       JOIN parts q ON q.conversation_rid = p.conversation_rid AND q.position = p.position + 1
       JOIN conversations c ON c.rid = p.conversation_rid
       WHERE q.created_at < p.created_at AND c.deleted_at IS NULL`,
    ),
    futureTimestamps:
      n('SELECT count(*) AS n FROM parts WHERE created_at > ?', futureAfter) +
      n(
        'SELECT count(*) AS n FROM conversations WHERE created_at > ? OR updated_at > ?',
        futureAfter,
        futureAfter,
      ),
    withoutCustomer: ids(
      `SELECT c.id FROM conversations c WHERE c.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM conversation_contacts cc WHERE cc.conversation_rid = c.rid)`,
    ),
    unknownContacts: n(
      `SELECT count(DISTINCT cc.contact_id) AS n FROM conversation_contacts cc
       WHERE NOT EXISTS (SELECT 1 FROM contacts k WHERE k.id = cc.contact_id)`,
    ),
  };
}
