/** Aggregates and contact look-ups for the server's analysis tools. */
import type Database from 'better-sqlite3';
import { tallyStats, type StatsRow } from '../stats-tally.js';
import { CONTACT_MATCHES, contactPattern, fold, subjectOf } from '../text-match.js';
import type {
  ContactDetail,
  ContactSummary,
  ConversationStats,
  StatsRequest,
  WorkspaceDirectory,
  DirectoryEntry,
} from '../types.js';

/** Conditions on `conversations c` (liveness and filters), from ConversationSearch.conditions. */
export interface Where {
  sql: string;
  args: Record<string, unknown>;
}

/**
 * Conversations created in [from, to) that pass the filters: the usual reading of "volume this
 * week". One scan of the matching rows and one of their tag links feed every breakdown: a GROUP BY
 * per breakdown read the rows four times.
 */
export function conversationStats(
  db: Database.Database,
  q: Omit<StatsRequest, 'filters'> & { where: Where },
): ConversationStats {
  const where = `${q.where.sql} AND c.created_at >= @from AND c.created_at < @to`;
  const args = { ...q.where.args, from: q.from, to: q.to };
  const rows = db
    .prepare(
      `SELECT c.created_at, c.first_admin_reply_at, c.first_close_at, c.state, c.admin_assignee_id, c.team_assignee_id
       FROM conversations c WHERE ${where}`,
    )
    .raw()
    .all(args) as StatsRow[];
  const tags = db
    .prepare(
      `SELECT l.tag_id, count(*) FROM conversation_tags l JOIN conversations c ON c.rid = l.conversation_rid
       WHERE ${where} GROUP BY l.tag_id`,
    )
    .raw()
    .all(args) as [string, number][];
  const names = (table: string) =>
    new Map(db.prepare(`SELECT id, name FROM ${table}`).raw().all() as [string, string | null][]);
  return tallyStats(
    rows,
    tags,
    { tags: names('tags'), admins: names('admins'), teams: names('teams') },
    q.buckets,
  );
}

const CONTACT_COLUMNS = `k.id, k.role, k.name, k.email, k.external_id AS externalId, k.created_at AS createdAt,
  (SELECT count(*) FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
    WHERE l.contact_id = k.id AND c.deleted_at IS NULL) AS conversations,
  (SELECT max(c.updated_at) FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
    WHERE l.contact_id = k.id AND c.deleted_at IS NULL) AS lastConversationAt`;

export function searchContacts(db: Database.Database, text: string, limit: number): ContactSummary[] {
  return db
    .prepare(
      `SELECT ${CONTACT_COLUMNS} FROM contacts k
      WHERE ${CONTACT_MATCHES('@like')} OR k.id = @text
      ORDER BY lastConversationAt DESC NULLS LAST LIMIT @limit`,
    )
    .all({ like: contactPattern(text), text, limit }) as ContactSummary[];
}

export function getContact(db: Database.Database, idOrEmail: string): ContactDetail | undefined {
  const contact = db
    .prepare(
      `SELECT ${CONTACT_COLUMNS} FROM contacts k WHERE k.id = @x OR k.email_key = @key
      ORDER BY (k.id = @x) DESC LIMIT 1`,
    )
    .get({ x: idOrEmail, key: fold(idOrEmail) }) as ContactSummary | undefined;
  if (!contact) return undefined;
  const recent = db
    .prepare(
      `SELECT c.id, c.title, c.subject, substr(c.source_body, 1, 400) AS sourceBody, c.state, c.updated_at AS updatedAt
      FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
      WHERE l.contact_id = ? AND c.deleted_at IS NULL ORDER BY c.updated_at DESC LIMIT 20`,
    )
    .all(contact.id) as (Omit<ContactDetail['recent'][number], 'subject'> &
    Parameters<typeof subjectOf>[0])[];
  return {
    ...contact,
    recent: recent.map((r) => ({ id: r.id, subject: subjectOf(r), state: r.state, updatedAt: r.updatedAt })),
  };
}

/** Admins (assignees), teams and tags, each with the live conversations it holds, busiest first. */
export function workspaceDirectory(db: Database.Database): WorkspaceDirectory {
  const counted = (sql: string) =>
    db.prepare(`${sql} ORDER BY conversations DESC, name`).all() as DirectoryEntry[];
  const tally = "count(c.rid) AS conversations, count(CASE WHEN c.state = 'open' THEN 1 END) AS open";
  return {
    admins: counted(`SELECT a.id, a.name, a.email, ${tally} FROM admins a
      LEFT JOIN conversations c ON c.admin_assignee_id = a.id AND c.deleted_at IS NULL
      WHERE a.type != 'team' GROUP BY a.id`),
    teams: counted(`SELECT t.id, t.name, ${tally} FROM teams t
      LEFT JOIN conversations c ON c.team_assignee_id = t.id AND c.deleted_at IS NULL GROUP BY t.id`),
    tags: counted(`SELECT t.id, t.name, ${tally} FROM tags t
      LEFT JOIN conversation_tags l ON l.tag_id = t.id
      LEFT JOIN conversations c ON c.rid = l.conversation_rid AND c.deleted_at IS NULL GROUP BY t.id`),
  };
}
