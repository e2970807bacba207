/** Reading one conversation back whole from PostgreSQL, ids resolved, as the SQLite reader does. */
import type { Db } from './connection.js';
import type {
  AuthorType,
  ContactRecord,
  ConversationState,
  ConversationView,
  ResolvedPart,
  TagRecord,
} from '../types.js';

interface ConversationRow {
  rid: number;
  id: string;
  created_at: number;
  updated_at: number;
  title: string | null;
  subject: string | null;
  state: ConversationState;
  read: boolean;
  priority: boolean;
  waiting_since: number | null;
  snoozed_until: number | null;
  source_type: string;
  delivered_as: string | null;
  source_body: string | null;
  source_author_type: AuthorType;
  source_author_id: string | null;
  parts_total: number;
  first_admin_reply_at: number | null;
  first_close_at: number | null;
  last_close_at: number | null;
  rating: number | null;
  deleted_at: number | null;
  source_name: string | null;
  source_email: string | null;
  admin: { id: string; name: string | null; email: string | null } | null;
  team: { id: string; name: string | null } | null;
  admin_assignee_id: string | null;
  team_assignee_id: string | null;
}

interface PartRow {
  id: string;
  part_type: string;
  body: string | null;
  created_at: number;
  author_type: AuthorType;
  author_id: string | null;
  author_name: string | null;
  author_email: string | null;
  assigned_to_type: string | null;
  assigned_to_id: string | null;
  assigned_name: string | null;
  attachments: ResolvedPart['attachments'] | null;
}

/** A person by type and id: contacts for customers, admins for teammates, bots and teams. */
const PERSON_JOIN = (type: string, id: string, alias: string) => `
  LEFT JOIN contacts ${alias}c ON ${type} IN ('user', 'lead', 'contact') AND ${alias}c.id = ${id}
  LEFT JOIN admins ${alias}a ON ${type} IN ('admin', 'bot', 'team') AND ${alias}a.id = ${id}`;

export async function readConversation(db: Db, id: string): Promise<ConversationView | undefined> {
  const row = (
    await db.query<ConversationRow>(
      `SELECT c.rid, c.id, c.created_at, c.updated_at, c.title, c.subject, c.state, c.read, c.priority,
         c.waiting_since, c.snoozed_until, c.source_type, c.delivered_as, c.source_body, c.source_author_type,
         c.source_author_id, c.parts_total, c.first_admin_reply_at, c.first_close_at, c.last_close_at, c.rating,
         c.deleted_at, c.admin_assignee_id, c.team_assignee_id,
         coalesce(xc.name, xa.name) AS source_name, coalesce(xc.email, xa.email) AS source_email,
         (SELECT json_build_object('id', a.id, 'name', a.name, 'email', a.email) FROM admins a
           WHERE a.id = c.admin_assignee_id) AS admin,
         (SELECT json_build_object('id', t.id, 'name', t.name) FROM teams t WHERE t.id = c.team_assignee_id) AS team
       FROM conversations c ${PERSON_JOIN('c.source_author_type', 'c.source_author_id', 'x')}
       WHERE c.id = $1`,
      [id],
    )
  ).rows[0];
  if (!row) return undefined;
  const parts = (
    await db.query<PartRow>(
      `SELECT p.id, p.part_type, p.body, p.created_at, p.author_type, p.author_id,
         coalesce(pc.name, pa.name) AS author_name, coalesce(pc.email, pa.email) AS author_email,
         p.assigned_to_type, p.assigned_to_id,
         CASE p.assigned_to_type WHEN 'team' THEN (SELECT name FROM teams WHERE id = p.assigned_to_id)
           ELSE (SELECT name FROM admins WHERE id = p.assigned_to_id) END AS assigned_name,
         p.attachments
       FROM parts p ${PERSON_JOIN('p.author_type', 'p.author_id', 'p')}
       WHERE p.conversation_rid = $1 ORDER BY p.position`,
      [row.rid],
    )
  ).rows;
  const contacts = (
    await db.query<ContactRecord>(
      `SELECT k.id, k.role, k.name, k.email, k.external_id AS "externalId", k.created_at AS "createdAt"
       FROM conversation_contacts l JOIN contacts k ON k.id = l.contact_id WHERE l.conversation_rid = $1`,
      [row.rid],
    )
  ).rows;
  const tags = (
    await db.query<TagRecord>(
      `SELECT t.id, t.name FROM conversation_tags l JOIN tags t ON t.id = l.tag_id
       WHERE l.conversation_rid = $1 ORDER BY t.name`,
      [row.rid],
    )
  ).rows;
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    title: row.title,
    subject: row.subject,
    state: row.state,
    read: row.read,
    priority: row.priority,
    waitingSince: row.waiting_since,
    snoozedUntil: row.snoozed_until,
    sourceType: row.source_type,
    deliveredAs: row.delivered_as,
    sourceBody: row.source_body,
    sourceAuthor: {
      type: row.source_author_type,
      id: row.source_author_id ?? '',
      name: row.source_name,
      email: row.source_email,
    },
    adminAssignee: row.admin_assignee_id
      ? (row.admin ?? { id: row.admin_assignee_id, name: null, email: null })
      : null,
    teamAssignee: row.team_assignee_id ? (row.team ?? { id: row.team_assignee_id, name: null }) : null,
    contacts,
    tags,
    partsTotal: row.parts_total,
    parts: parts.map((p) => ({
      id: p.id,
      partType: p.part_type,
      body: p.body,
      createdAt: p.created_at,
      author: { type: p.author_type, id: p.author_id ?? '', name: p.author_name, email: p.author_email },
      assignedTo: p.assigned_to_type
        ? { type: p.assigned_to_type, id: p.assigned_to_id ?? '', name: p.assigned_name }
        : null,
      attachments: p.attachments ?? [],
    })),
    firstAdminReplyAt: row.first_admin_reply_at,
    firstCloseAt: row.first_close_at,
    lastCloseAt: row.last_close_at,
    rating: row.rating,
    deletedAt: row.deleted_at,
  };
}
