/** Reading one conversation back whole: its thread in order, with authors, assignees, contacts and tags resolved. */
import type Database from 'better-sqlite3';
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
  read: number;
  priority: number;
  admin_assignee_id: string | null;
  team_assignee_id: string | null;
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
  attachments: string | null;
}

/** A person by type and id: contacts for customers, admins for teammates, bots and teams. */
const PERSON_JOIN = (type: string, id: string, alias: string) => `
  LEFT JOIN contacts ${alias}c ON ${type} IN ('user', 'lead', 'contact') AND ${alias}c.id = ${id}
  LEFT JOIN admins ${alias}a ON ${type} IN ('admin', 'bot', 'team') AND ${alias}a.id = ${id}`;

export class ConversationReader {
  private readonly byId: Database.Statement;
  private readonly parts: Database.Statement;
  private readonly contacts: Database.Statement;
  private readonly tags: Database.Statement;
  private readonly admin: Database.Statement;
  private readonly team: Database.Statement;
  private readonly person: Database.Statement;

  constructor(db: Database.Database) {
    this.byId = db.prepare('SELECT * FROM conversations WHERE id = ?');
    this.parts = db.prepare(`
      SELECT p.id, p.part_type, p.body, p.created_at, p.author_type, p.author_id,
        coalesce(pc.name, pa.name) AS author_name, coalesce(pc.email, pa.email) AS author_email,
        p.assigned_to_type, p.assigned_to_id,
        CASE p.assigned_to_type WHEN 'team' THEN (SELECT name FROM teams WHERE id = p.assigned_to_id)
          ELSE (SELECT name FROM admins WHERE id = p.assigned_to_id) END AS assigned_name,
        p.attachments
      FROM parts p ${PERSON_JOIN('p.author_type', 'p.author_id', 'p')}
      WHERE p.conversation_rid = ? ORDER BY p.position`);
    this.contacts = db.prepare(`
      SELECT c.id, c.role, c.name, c.email, c.external_id AS externalId, c.created_at AS createdAt
      FROM conversation_contacts l JOIN contacts c ON c.id = l.contact_id WHERE l.conversation_rid = ?`);
    this.tags = db.prepare(`
      SELECT t.id, t.name FROM conversation_tags l JOIN tags t ON t.id = l.tag_id WHERE l.conversation_rid = ? ORDER BY t.name`);
    this.admin = db.prepare('SELECT id, name, email FROM admins WHERE id = ?');
    this.team = db.prepare('SELECT id, name FROM teams WHERE id = ?');
    this.person = db.prepare(`
      SELECT coalesce(xc.name, xa.name) AS name, coalesce(xc.email, xa.email) AS email
      FROM (SELECT ? AS type, ? AS id) x ${PERSON_JOIN('x.type', 'x.id', 'x')}`);
  }

  get(id: string): ConversationView | undefined {
    const row = this.byId.get(id) as ConversationRow | undefined;
    if (!row) return undefined;
    const parts: ResolvedPart[] = (this.parts.all(row.rid) as PartRow[]).map((p) => ({
      id: p.id,
      partType: p.part_type,
      body: p.body,
      createdAt: p.created_at,
      author: { type: p.author_type, id: p.author_id ?? '', name: p.author_name, email: p.author_email },
      assignedTo: p.assigned_to_type
        ? { type: p.assigned_to_type, id: p.assigned_to_id ?? '', name: p.assigned_name }
        : null,
      attachments: p.attachments ? (JSON.parse(p.attachments) as ResolvedPart['attachments']) : [],
    }));
    const source = this.person.get(row.source_author_type, row.source_author_id) as {
      name: string | null;
      email: string | null;
    };
    const admin = row.admin_assignee_id
      ? ((this.admin.get(row.admin_assignee_id) as
          | { id: string; name: string | null; email: string | null }
          | undefined) ?? {
          id: row.admin_assignee_id,
          name: null,
          email: null,
        })
      : null;
    const team = row.team_assignee_id
      ? ((this.team.get(row.team_assignee_id) as { id: string; name: string | null } | undefined) ?? {
          id: row.team_assignee_id,
          name: null,
        })
      : null;
    return {
      id: row.id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      title: row.title,
      subject: row.subject,
      state: row.state,
      read: row.read === 1,
      priority: row.priority === 1,
      waitingSince: row.waiting_since,
      snoozedUntil: row.snoozed_until,
      sourceType: row.source_type,
      deliveredAs: row.delivered_as,
      sourceBody: row.source_body,
      sourceAuthor: { type: row.source_author_type, id: row.source_author_id ?? '', ...source },
      adminAssignee: admin,
      teamAssignee: team,
      contacts: this.contacts.all(row.rid) as ContactRecord[],
      tags: this.tags.all(row.rid) as TagRecord[],
      partsTotal: row.parts_total,
      parts,
      firstAdminReplyAt: row.first_admin_reply_at,
      firstCloseAt: row.first_close_at,
      lastCloseAt: row.last_close_at,
      rating: row.rating,
      deletedAt: row.deleted_at,
    };
  }
}
