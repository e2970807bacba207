/** Reading one conversation back whole from PostgreSQL: one snapshot, the shared thread queries. */
import type { Db } from './connection.js';
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
} from '../thread-rows.js';
import type { ContactRecord, ConversationView, TagRecord } from '../types.js';

export async function readConversation(db: Db, id: string): Promise<ConversationView | undefined> {
  const row = (await db.query<ConversationRow>(CONVERSATION_SQL('$1'), [id])).rows[0];
  if (!row) return undefined;
  const byRid = async <T extends object>(sql: string) => (await db.query<T>(sql, [row.rid])).rows;
  const byId = async <T extends object>(sql: string, key: string | null) =>
    key === null ? undefined : (await db.query<T>(sql, [key])).rows[0];
  return toView({
    row,
    parts: await byRid<PartRow>(PARTS_SQL('$1')),
    contacts: await byRid<ContactRecord>(CONTACTS_SQL('$1')),
    tags: await byRid<TagRecord>(TAGS_SQL('$1')),
    admin: await byId(ADMIN_SQL('$1'), row.admin_assignee_id),
    team: await byId(TEAM_SQL('$1'), row.team_assignee_id),
  });
}
