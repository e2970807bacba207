/**
 * A conversation read back whole, as both engines store it (the same tables and columns): the
 * SQL that resolves its people, the rows it returns, and the view the rest of the code reads.
 */
import type {
  AuthorType,
  ContactRecord,
  ConversationState,
  ConversationView,
  ResolvedPart,
  TagRecord,
} from './types.js';

/** A person by type and id: contacts for customers, admins for teammates, bots and teams. */
const PERSON_JOIN = (type: string, id: string, alias: string) => `
  LEFT JOIN contacts ${alias}c ON ${type} IN ('user', 'lead', 'contact') AND ${alias}c.id = ${id}
  LEFT JOIN admins ${alias}a ON ${type} IN ('admin', 'bot', 'team') AND ${alias}a.id = ${id}`;

/** The conversation's row by id, with its opening author's name and email. */
export const CONVERSATION_SQL = (id: string) => `
  SELECT c.rid, c.id, c.created_at, c.updated_at, c.title, c.subject, c.state, c.read, c.priority,
    c.admin_assignee_id, c.team_assignee_id, c.waiting_since, c.snoozed_until, c.source_type, c.delivered_as,
    c.source_body, c.source_author_type, c.source_author_id, c.parts_total, c.first_admin_reply_at,
    c.first_close_at, c.last_close_at, c.reopens, c.rating, c.deleted_at,
    coalesce(xc.name, xa.name) AS source_name, coalesce(xc.email, xa.email) AS source_email
  FROM conversations c ${PERSON_JOIN('c.source_author_type', 'c.source_author_id', 'x')}
  WHERE c.id = ${id}`;

/** A conversation's parts in order, each with its author and assignee resolved. */
export const PARTS_SQL = (rid: string) => `
  SELECT p.id, p.part_type, p.body, p.created_at, p.author_type, p.author_id,
    coalesce(pc.name, pa.name) AS author_name, coalesce(pc.email, pa.email) AS author_email,
    p.assigned_to_type, p.assigned_to_id,
    CASE p.assigned_to_type WHEN 'team' THEN (SELECT name FROM teams WHERE id = p.assigned_to_id)
      ELSE (SELECT name FROM admins WHERE id = p.assigned_to_id) END AS assigned_name,
    p.attachments
  FROM parts p ${PERSON_JOIN('p.author_type', 'p.author_id', 'p')}
  WHERE p.conversation_rid = ${rid} ORDER BY p.position`;

export const CONTACTS_SQL = (rid: string) => `
  SELECT k.id, k.role, k.name, k.email, k.external_id AS "externalId", k.created_at AS "createdAt"
  FROM conversation_contacts l JOIN contacts k ON k.id = l.contact_id WHERE l.conversation_rid = ${rid}`;

export const TAGS_SQL = (rid: string) => `
  SELECT t.id, t.name FROM conversation_tags l JOIN tags t ON t.id = l.tag_id
  WHERE l.conversation_rid = ${rid} ORDER BY t.name`;

export const ADMIN_SQL = (id: string) => `SELECT id, name, email FROM admins WHERE id = ${id}`;
export const TEAM_SQL = (id: string) => `SELECT id, name FROM teams WHERE id = ${id}`;

/** CONVERSATION_SQL's row; flags are booleans in PostgreSQL and 0 or 1 in SQLite. */
export interface ConversationRow {
  rid: number;
  id: string;
  created_at: number;
  updated_at: number;
  title: string | null;
  subject: string | null;
  state: ConversationState;
  read: boolean | number;
  priority: boolean | number;
  admin_assignee_id: string | null;
  team_assignee_id: string | null;
  waiting_since: number | null;
  snoozed_until: number | null;
  source_type: string;
  delivered_as: string | null;
  source_body: string | null;
  source_author_type: AuthorType;
  source_author_id: string | null;
  source_name: string | null;
  source_email: string | null;
  parts_total: number;
  first_admin_reply_at: number | null;
  first_close_at: number | null;
  last_close_at: number | null;
  reopens: number | null;
  rating: number | null;
  deleted_at: number | null;
}

/** PARTS_SQL's row; attachments are JSON text in SQLite and parsed JSONB in PostgreSQL. */
export interface PartRow {
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
  attachments: string | ResolvedPart['attachments'] | null;
}

/** What both engines read of a search hit's own row, before each adds what it computes in SQL. */
export interface HitRowBase {
  rid: number;
  id: string;
  title: string | null;
  subject: string | null;
  source_body: string | null;
  state: ConversationState;
  created_at: number;
  updated_at: number;
  assignee: string | null;
  team: string | null;
}

type Admin = { id: string; name: string | null; email: string | null };
type Team = { id: string; name: string | null };

/** The rows a conversation is read from; an assignee the store does not know is undefined. */
export interface ThreadRows {
  row: ConversationRow;
  parts: PartRow[];
  contacts: ContactRecord[];
  tags: TagRecord[];
  admin: Admin | undefined;
  team: Team | undefined;
}

export function toView({ row, parts, contacts, tags, admin, team }: ThreadRows): ConversationView {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    title: row.title,
    subject: row.subject,
    state: row.state,
    read: Boolean(row.read),
    priority: Boolean(row.priority),
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
      ? (admin ?? { id: row.admin_assignee_id, name: null, email: null })
      : null,
    teamAssignee: row.team_assignee_id ? (team ?? { id: row.team_assignee_id, name: null }) : null,
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
      attachments:
        typeof p.attachments === 'string'
          ? (JSON.parse(p.attachments) as ResolvedPart['attachments'])
          : (p.attachments ?? []),
    })),
    firstAdminReplyAt: row.first_admin_reply_at,
    firstCloseAt: row.first_close_at,
    lastCloseAt: row.last_close_at,
    reopens: row.reopens,
    rating: row.rating,
    deletedAt: row.deleted_at,
  };
}
