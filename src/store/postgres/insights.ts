/** Aggregates, the directory and contact look-ups on PostgreSQL: the same answers as on SQLite. */
import type { Db } from './connection.js';
import { tallyStats, type StatsRow } from '../stats-tally.js';
import { CONTACT_MATCHES, contactPattern, fold, subjectOf } from '../text-match.js';
import type {
  ContactDetail,
  ContactSummary,
  ConversationStats,
  DirectoryEntry,
  StatsRequest,
  WorkspaceDirectory,
} from '../types.js';
import { conditions, Params } from './search.js';

export async function conversationStats(db: Db, q: StatsRequest): Promise<ConversationStats> {
  const params = new Params();
  const where = conditions(q.filters, params);
  const sql = `${where.sql} AND c.created_at >= ${params.add(q.from)} AND c.created_at < ${params.add(q.to)}`;
  const rows = (
    await db.query<{
      created_at: number;
      first_admin_reply_at: number | null;
      first_close_at: number | null;
      state: string;
      admin_assignee_id: string | null;
      team_assignee_id: string | null;
    }>(
      `SELECT c.created_at, c.first_admin_reply_at, c.first_close_at, c.state, c.admin_assignee_id, c.team_assignee_id
       FROM conversations c WHERE ${sql}`,
      params.values,
    )
  ).rows.map(
    (r): StatsRow => [
      r.created_at,
      r.first_admin_reply_at,
      r.first_close_at,
      r.state,
      r.admin_assignee_id,
      r.team_assignee_id,
    ],
  );
  const tags = (
    await db.query<{ tag_id: string; n: number }>(
      `SELECT l.tag_id, count(*)::int AS n FROM conversation_tags l JOIN conversations c ON c.rid = l.conversation_rid
       WHERE ${sql} GROUP BY l.tag_id`,
      params.values,
    )
  ).rows.map((r): [string, number] => [r.tag_id, r.n]);
  const names = async (table: string) =>
    new Map(
      (await db.query<{ id: string; name: string | null }>(`SELECT id, name FROM ${table}`)).rows.map((r) => [
        r.id,
        r.name,
      ]),
    );
  return tallyStats(
    rows,
    tags,
    { tags: await names('tags'), admins: await names('admins'), teams: await names('teams') },
    q.buckets,
  );
}

const CONTACT_COLUMNS = `k.id, k.role, k.name, k.email, k.external_id AS "externalId", k.created_at AS "createdAt",
  (SELECT count(*)::int FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
    WHERE l.contact_id = k.id AND c.deleted_at IS NULL) AS conversations,
  (SELECT max(c.updated_at) FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
    WHERE l.contact_id = k.id AND c.deleted_at IS NULL) AS "lastConversationAt"`;

export async function searchContacts(db: Db, text: string, limit: number): Promise<ContactSummary[]> {
  return (
    await db.query<ContactSummary>(
      `SELECT ${CONTACT_COLUMNS} FROM contacts k
       WHERE ${CONTACT_MATCHES('$1')} OR k.id = $2
       ORDER BY "lastConversationAt" DESC NULLS LAST, k.id LIMIT $3`,
      [contactPattern(text), text, limit],
    )
  ).rows;
}

export async function getContact(db: Db, idOrEmail: string): Promise<ContactDetail | undefined> {
  const contact = (
    await db.query<ContactSummary>(
      `SELECT ${CONTACT_COLUMNS} FROM contacts k WHERE k.id = $1 OR k.email_key = $2
       ORDER BY (k.id = $1) DESC LIMIT 1`,
      [idOrEmail, fold(idOrEmail)],
    )
  ).rows[0];
  if (!contact) return undefined;
  const recent = (
    await db.query<{
      id: string;
      title: string | null;
      subject: string | null;
      sourceBody: string | null;
      state: string;
      updatedAt: number;
    }>(
      `SELECT c.id, c.title, c.subject, substr(c.source_body, 1, 400) AS "sourceBody", c.state, c.updated_at AS "updatedAt"
       FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
       WHERE l.contact_id = $1 AND c.deleted_at IS NULL ORDER BY c.updated_at DESC LIMIT 20`,
      [contact.id],
    )
  ).rows;
  return {
    ...contact,
    recent: recent.map((r) => ({ id: r.id, subject: subjectOf(r), state: r.state, updatedAt: r.updatedAt })),
  };
}

/** Admins (assignees), teams and tags, each with the live conversations it holds, busiest first. */
export async function workspaceDirectory(db: Db): Promise<WorkspaceDirectory> {
  const tally = `count(c.rid)::int AS conversations, count(*) FILTER (WHERE c.state = 'open')::int AS open`;
  const counted = async (sql: string) =>
    (await db.query<DirectoryEntry>(`${sql} ORDER BY conversations DESC, name`)).rows;
  return {
    admins: await counted(`SELECT a.id, a.name, a.email, ${tally} FROM admins a
      LEFT JOIN conversations c ON c.admin_assignee_id = a.id AND c.deleted_at IS NULL
      WHERE a.type != 'team' GROUP BY a.id`),
    teams: await counted(`SELECT t.id, t.name, ${tally} FROM teams t
      LEFT JOIN conversations c ON c.team_assignee_id = t.id AND c.deleted_at IS NULL GROUP BY t.id`),
    tags: await counted(`SELECT t.id, t.name, ${tally} FROM tags t
      LEFT JOIN conversation_tags l ON l.tag_id = t.id
      LEFT JOIN conversations c ON c.rid = l.conversation_rid AND c.deleted_at IS NULL GROUP BY t.id`),
  };
}
