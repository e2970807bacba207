/** Aggregates and contact look-ups for the server's analysis tools. */
import type Database from 'better-sqlite3';
import type { ContactRecord } from './types.js';

export interface ConversationStats {
  total: number;
  volume: { period: string; count: number }[];
  byState: Record<string, number>;
  byTag: { name: string; count: number }[];
  byAssignee: { name: string; count: number }[];
  byTeam: { name: string; count: number }[];
  medianFirstResponseSeconds: number | null;
  medianTimeToCloseSeconds: number | null;
}

export interface ContactSummary extends ContactRecord {
  conversations: number;
  lastConversationAt: number | null;
}

export interface ContactDetail extends ContactSummary {
  recent: { id: string; subject: string | null; state: string; updatedAt: number }[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Conversations created in [from, to): the usual reading of "volume this week". */
export function conversationStats(
  db: Database.Database,
  from: number,
  to: number,
  bucket: 'day' | 'week',
): ConversationStats {
  const where = 'c.deleted_at IS NULL AND c.created_at >= @from AND c.created_at < @to';
  const args = { from, to };
  const period =
    bucket === 'day'
      ? "strftime('%Y-%m-%d', c.created_at, 'unixepoch')"
      : "strftime('%Y-W%W', c.created_at, 'unixepoch')";
  const grouped = (sql: string) => db.prepare(sql).all(args) as { name: string; count: number }[];
  const timings = db
    .prepare(
      `SELECT c.created_at, c.first_admin_reply_at, c.first_close_at FROM conversations c WHERE ${where}`,
    )
    .all(args) as {
    created_at: number;
    first_admin_reply_at: number | null;
    first_close_at: number | null;
  }[];
  return {
    total: timings.length,
    volume: db
      .prepare(
        `SELECT ${period} AS period, count(*) AS count FROM conversations c WHERE ${where} GROUP BY 1 ORDER BY 1`,
      )
      .all(args) as {
      period: string;
      count: number;
    }[],
    byState: Object.fromEntries(
      grouped(`SELECT c.state AS name, count(*) AS count FROM conversations c WHERE ${where} GROUP BY 1`).map(
        (r) => [r.name, r.count],
      ),
    ),
    byTag:
      grouped(`SELECT t.name AS name, count(*) AS count FROM conversations c JOIN conversation_tags l ON l.conversation_rid = c.rid
      JOIN tags t ON t.id = l.tag_id WHERE ${where} GROUP BY 1 ORDER BY 2 DESC`),
    byAssignee: grouped(`SELECT coalesce(a.name, 'unassigned') AS name, count(*) AS count FROM conversations c
      LEFT JOIN admins a ON a.id = c.admin_assignee_id WHERE ${where} GROUP BY 1 ORDER BY 2 DESC`),
    byTeam: grouped(`SELECT coalesce(t.name, 'no team') AS name, count(*) AS count FROM conversations c
      LEFT JOIN teams t ON t.id = c.team_assignee_id WHERE ${where} GROUP BY 1 ORDER BY 2 DESC`),
    medianFirstResponseSeconds: median(
      timings.filter((t) => t.first_admin_reply_at).map((t) => t.first_admin_reply_at! - t.created_at),
    ),
    medianTimeToCloseSeconds: median(
      timings.filter((t) => t.first_close_at).map((t) => t.first_close_at! - t.created_at),
    ),
  };
}

const CONTACT_COLUMNS = `k.id, k.role, k.name, k.email, k.external_id AS externalId, k.created_at AS createdAt,
  (SELECT count(*) FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
    WHERE l.contact_id = k.id AND c.deleted_at IS NULL) AS conversations,
  (SELECT max(c.updated_at) FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
    WHERE l.contact_id = k.id AND c.deleted_at IS NULL) AS lastConversationAt`;

export function searchContacts(db: Database.Database, text: string, limit: number): ContactSummary[] {
  return db
    .prepare(
      `SELECT ${CONTACT_COLUMNS} FROM contacts k WHERE k.email LIKE @like OR k.name LIKE @like OR k.id = @text
      ORDER BY lastConversationAt DESC NULLS LAST LIMIT @limit`,
    )
    .all({ like: `%${text}%`, text, limit }) as ContactSummary[];
}

export function getContact(db: Database.Database, idOrEmail: string): ContactDetail | undefined {
  const contact = db
    .prepare(
      `SELECT ${CONTACT_COLUMNS} FROM contacts k WHERE k.id = @x OR lower(k.email) = lower(@x) LIMIT 1`,
    )
    .get({ x: idOrEmail }) as ContactSummary | undefined;
  if (!contact) return undefined;
  const recent = db
    .prepare(
      `SELECT c.id, coalesce(c.title, c.subject, substr(c.source_body, 1, 100)) AS subject, c.state, c.updated_at AS updatedAt
      FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
      WHERE l.contact_id = ? AND c.deleted_at IS NULL ORDER BY c.updated_at DESC LIMIT 20`,
    )
    .all(contact.id) as ContactDetail['recent'];
  return { ...contact, recent };
}
