/**
 * Writing conversations: the row, its parts in order, its contact and tag links, the people it
 * mentions, and its full-text entry — all in the caller's transaction, so they never disagree.
 */
import type Database from 'better-sqlite3';
import type { ConversationMetadata, ConversationRecord, PartRecord, Person } from '../types.js';
import { contactKeys } from '../text-match.js';
import { conversationTerms } from '../customer-terms.js';
import { SAMPLE_BUCKET } from '../insight-rows.js';

interface StoredRow {
  rid: number;
  created_at: number;
  subject: string | null;
  source_type: string;
  delivered_as: string | null;
  source_body: string | null;
  source_author_type: string;
  source_author_id: string | null;
  parts_total: number;
  parts_count_stat: number | null;
  thread_read_at: number | null;
  thread_read_updated_at: number | null;
}

interface StoredPart {
  id: string;
  part_type: string;
  body: string | null;
  created_at: number;
  author_type: string;
  author_id: string | null;
  assigned_to_type: string | null;
  assigned_to_id: string | null;
  attachments: string | null;
}

const CONTACT_TYPES = new Set(['user', 'lead', 'contact']);
export const RIDS_PER_SECOND = 2 ** 20;

export class ConversationWriter {
  private readonly removeConversation: Database.Statement;
  private readonly insertConversation: Database.Statement;
  private readonly insertPart: Database.Statement;
  private readonly insertContactLink: Database.Statement;
  private readonly insertTagLink: Database.Statement;
  private readonly deleteFts: Database.Statement;
  private readonly insertFts: Database.Statement;
  private readonly upsertContactPerson: Database.Statement;
  private readonly upsertAdminPerson: Database.Statement;
  private readonly indexText: Database.Statement;
  private readonly storedRow: Database.Statement;
  private readonly storedParts: Database.Statement;
  private readonly storedContacts: Database.Statement;
  private readonly lastRidInSecond: Database.Statement;
  private readonly insertTerm: Database.Statement;
  private readonly insertTerms: Database.Statement;

  constructor(db: Database.Database) {
    // A conversation that changes is deleted (its parts and links go with it, by cascade) and
    // stored again under a new rid derived from its updated_at (see ridFor): rids follow updated_at
    // whatever order the sync brings conversations in (newest chunks first, 40 threads at once), so
    // the conversations of a time window sit in a narrow band of rids that a search can bound its
    // full-text matches by.
    this.removeConversation = db.prepare('DELETE FROM conversations WHERE id = ? RETURNING rid');
    this.lastRidInSecond = db
      .prepare('SELECT max(rid) FROM conversations WHERE rid >= ? AND rid < ?')
      .pluck();
    this.insertConversation = db.prepare(`
      INSERT INTO conversations (rid, id, created_at, updated_at, title, subject, state, read, priority,
        admin_assignee_id, team_assignee_id, waiting_since, snoozed_until, source_type, delivered_as,
        source_body, source_author_type, source_author_id, parts_total, parts_stored,
        first_admin_reply_at, first_close_at, last_close_at, rating, deleted_at,
        parts_count_stat, thread_read_at, thread_read_updated_at, reopens)
      VALUES (@rid, @id, @createdAt, @updatedAt, @title, @subject, @state, @read, @priority,
        @adminAssigneeId, @teamAssigneeId, @waitingSince, @snoozedUntil, @sourceType, @deliveredAs,
        @sourceBody, @sourceAuthorType, @sourceAuthorId, @partsTotal, @partsStored,
        @firstAdminReplyAt, @firstCloseAt, @lastCloseAt, @rating, NULL,
        @partsCountStat, @threadReadAt, @threadReadUpdatedAt, @reopens)
      RETURNING rid`);
    this.insertTerm = db.prepare('INSERT OR IGNORE INTO terms (hash, term) VALUES (?, ?)');
    // A number is bound as a real, and the bucket's arithmetic on a real is a real: cast first.
    this.insertTerms = db.prepare(
      `INSERT INTO conversation_terms (sample, created_at, rid, terms)
       VALUES (${SAMPLE_BUCKET('CAST(@created AS INTEGER)')}, @created, @rid, @terms)`,
    );
    this.storedRow = db.prepare('SELECT * FROM conversations WHERE id = ? AND deleted_at IS NULL');
    this.storedParts = db.prepare('SELECT * FROM parts WHERE conversation_rid = ? ORDER BY position');
    this.storedContacts = db
      .prepare('SELECT contact_id FROM conversation_contacts WHERE conversation_rid = ?')
      .pluck();
    this.insertPart = db.prepare(`
      INSERT INTO parts (conversation_rid, position, id, part_type, body, created_at, author_type, author_id,
        assigned_to_type, assigned_to_id, attachments)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertContactLink = db.prepare('INSERT OR IGNORE INTO conversation_contacts VALUES (?, ?)');
    this.insertTagLink = db.prepare('INSERT OR IGNORE INTO conversation_tags VALUES (?, ?)');
    this.deleteFts = db.prepare('DELETE FROM conversations_fts WHERE rowid = ?');
    this.insertFts = db.prepare(
      'INSERT INTO conversations_fts (rowid, subject, body, people) VALUES (?, ?, ?, ?)',
    );
    // What a part's author tells us fills gaps; it never erases what a contact lookup stored.
    this.upsertContactPerson = db.prepare(`
      INSERT INTO contacts (id, role, name, email, name_key, email_key)
      VALUES (@id, @type, @name, @email, @nameKey, @emailKey)
      ON CONFLICT(id) DO UPDATE SET name = coalesce(excluded.name, contacts.name),
        email = coalesce(excluded.email, contacts.email),
        name_key = coalesce(excluded.name_key, contacts.name_key),
        email_key = coalesce(excluded.email_key, contacts.email_key)`);
    this.upsertAdminPerson = db.prepare(`
      INSERT INTO admins (id, type, name, email) VALUES (@id, @type, @name, @email)
      ON CONFLICT(id) DO UPDATE SET name = coalesce(excluded.name, admins.name),
        email = coalesce(excluded.email, admins.email)`);
    this.indexText = db.prepare(`
      SELECT trim(coalesce(c.title, '') || ' ' || coalesce(c.subject, '')) AS subject,
        concat_ws(char(10), c.source_body, (SELECT group_concat(body, char(10)) FROM
          (SELECT body FROM parts WHERE conversation_rid = c.rid AND body IS NOT NULL ORDER BY position))) AS body,
        (SELECT group_concat(coalesce(k.name, '') || ' ' || coalesce(k.email, ''), ' ')
          FROM conversation_contacts l JOIN contacts k ON k.id = l.contact_id WHERE l.conversation_rid = c.rid) AS people
      FROM conversations c WHERE c.rid = ?`);
  }

  rememberPerson(person: Person): void {
    if (!person.id) return;
    if (CONTACT_TYPES.has(person.type)) this.upsertContactPerson.run({ ...person, ...contactKeys(person) });
    else if (person.type === 'admin' || person.type === 'bot' || person.type === 'team')
      this.upsertAdminPerson.run(person);
  }

  /**
   * A whole conversation as read from Intercom, or, with `read`, one whose thread was read earlier
   * (the metadata path keeps when that was).
   */
  write(
    conversation: ConversationRecord,
    parts: PartRecord[],
    read: { at: number | null; updatedAt: number | null } = {
      at: Math.floor(Date.now() / 1000),
      updatedAt: conversation.updatedAt,
    },
  ): void {
    this.rememberPerson(conversation.sourceAuthor);
    for (const part of parts) this.rememberPerson(part.author);
    const previous = this.removeConversation.get(conversation.id) as { rid: number } | undefined;
    if (previous) this.deleteFts.run(previous.rid);
    const terms = conversationTerms(conversation, parts);
    this.rememberTerms(terms.terms);
    const { rid } = this.insertConversation.get({
      ...conversation,
      rid: this.ridFor(conversation.updatedAt),
      read: conversation.read ? 1 : 0,
      priority: conversation.priority ? 1 : 0,
      sourceAuthorType: conversation.sourceAuthor.type,
      sourceAuthorId: conversation.sourceAuthor.id || null,
      partsStored: parts.length,
      threadReadAt: read.at,
      threadReadUpdatedAt: read.updatedAt,
    }) as { rid: number };
    this.insertTerms.run({ rid, created: conversation.createdAt, terms: terms.packed });
    parts.forEach((p, position) => {
      this.insertPart.run(
        rid,
        position,
        p.id,
        p.partType,
        p.body,
        p.createdAt,
        p.author.type,
        p.author.id || null,
        p.assignedTo?.type ?? null,
        p.assignedTo?.id ?? null,
        p.attachments.length > 0 ? JSON.stringify(p.attachments) : null,
      );
    });
    for (const id of conversation.contactIds) this.insertContactLink.run(rid, id);
    for (const id of conversation.tagIds) this.insertTagLink.run(rid, id);
    this.index(rid);
  }

  private rememberTerms(terms: Map<number, string>): void {
    // No cache of the hashes already written: a write rolled back would leave it naming words
    // the table does not hold, and such a theme could never be named.
    for (const [hash, term] of terms) this.insertTerm.run(hash, term);
  }

  /**
   * The rid for a conversation updated at `updatedAt`: the second times 2^20, plus its place among
   * those stored for that second. Under 2^53 until the year 2242, so exact in JavaScript too.
   */
  private ridFor(updatedAt: number): number {
    const base = Math.max(0, updatedAt) * RIDS_PER_SECOND;
    const last = this.lastRidInSecond.get(base, base + RIDS_PER_SECOND) as number | null;
    return last === null ? base : last + 1;
  }

  /**
   * Search-item metadata over a stored conversation: the row is written again with its stored
   * parts and links (under a new rid, as any change is, so rids keep following updated_at).
   * Returns false when the conversation is not stored live.
   */
  applyMetadata(meta: ConversationMetadata): boolean {
    const row = this.storedRow.get(meta.id) as StoredRow | undefined;
    if (!row) return false;
    const parts = (this.storedParts.all(row.rid) as StoredPart[]).map(
      (p): PartRecord => ({
        id: p.id,
        partType: p.part_type,
        body: p.body,
        createdAt: p.created_at,
        author: { type: p.author_type as Person['type'], id: p.author_id ?? '', name: null, email: null },
        assignedTo: p.assigned_to_type ? { type: p.assigned_to_type, id: p.assigned_to_id ?? '' } : null,
        attachments: p.attachments ? (JSON.parse(p.attachments) as PartRecord['attachments']) : [],
      }),
    );
    const record: ConversationRecord = {
      ...meta,
      createdAt: row.created_at,
      subject: row.subject,
      sourceType: row.source_type,
      deliveredAs: row.delivered_as,
      sourceBody: row.source_body,
      sourceAuthor: {
        type: row.source_author_type as Person['type'],
        id: row.source_author_id ?? '',
        name: null,
        email: null,
      },
      contactIds: this.storedContacts.all(row.rid) as string[],
      partsTotal: row.parts_total,
      partsCountStat: row.parts_count_stat,
    };
    this.write(record, parts, { at: row.thread_read_at, updatedAt: row.thread_read_updated_at });
    return true;
  }

  /**
   * (Re)writes a conversation's full-text entry from what is stored: run after its rows change, and
   * again when details of its contacts arrive later.
   */
  index(rid: number): void {
    const text = this.indexText.get(rid) as { subject: string; body: string; people: string | null };
    this.deleteFts.run(rid);
    this.insertFts.run(rid, text.subject, text.body, text.people ?? '');
  }

  /** A deleted conversation keeps its row (nothing synced is lost) but leaves search results. */
  removeFromIndex(rid: number): void {
    this.deleteFts.run(rid);
  }
}
