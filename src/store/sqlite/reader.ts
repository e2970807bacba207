/** Reading one conversation back whole from SQLite, through the shared thread queries, prepared once. */
import type Database from 'better-sqlite3';
import {
  ADMIN_SQL,
  CONTACTS_SQL,
  CONVERSATION_SQL,
  PARTS_SQL,
  TAGS_SQL,
  TEAM_SQL,
  toView,
  type ConversationRow,
  type PartRow,
  type ThreadRows,
} from '../thread-rows.js';
import type { ContactRecord, ConversationView, TagRecord } from '../types.js';

export class ConversationReader {
  private readonly byId: Database.Statement;
  private readonly parts: Database.Statement;
  private readonly contacts: Database.Statement;
  private readonly tags: Database.Statement;
  private readonly admin: Database.Statement;
  private readonly team: Database.Statement;

  constructor(db: Database.Database) {
    this.byId = db.prepare(CONVERSATION_SQL('?'));
    this.parts = db.prepare(PARTS_SQL('?'));
    this.contacts = db.prepare(CONTACTS_SQL('?'));
    this.tags = db.prepare(TAGS_SQL('?'));
    this.admin = db.prepare(ADMIN_SQL('?'));
    this.team = db.prepare(TEAM_SQL('?'));
  }

  get(id: string): ConversationView | undefined {
    const row = this.byId.get(id) as ConversationRow | undefined;
    if (!row) return undefined;
    const one = <T>(s: Database.Statement, key: string | null) =>
      key === null ? undefined : (s.get(key) as T | undefined);
    return toView({
      row,
      parts: this.parts.all(row.rid) as PartRow[],
      contacts: this.contacts.all(row.rid) as ContactRecord[],
      tags: this.tags.all(row.rid) as TagRecord[],
      admin: one<ThreadRows['admin']>(this.admin, row.admin_assignee_id),
      team: one<ThreadRows['team']>(this.team, row.team_assignee_id),
    });
  }
}
