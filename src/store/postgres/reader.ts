/**
 * Reading one conversation back whole from PostgreSQL: the shared thread queries sent as one
 * simple-protocol batch inside one read-only snapshot, so a get costs one round trip, not eight.
 * The simple protocol takes no parameters: the id goes in as the driver's escaped literal.
 */
import pg, { escapeLiteral } from 'pg';
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
  type ThreadRows,
} from '../thread-rows.js';
import type { ContactRecord, ConversationView, TagRecord } from '../types.js';

export async function readConversation(db: Db, id: string): Promise<ConversationView | undefined> {
  const literal = escapeLiteral(id);
  const of = (column: string) => `(SELECT ${column} FROM conversations WHERE id = ${literal})`;
  const batch = [
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    CONVERSATION_SQL(literal),
    PARTS_SQL(of('rid')),
    CONTACTS_SQL(of('rid')),
    TAGS_SQL(of('rid')),
    ADMIN_SQL(of('admin_assignee_id')),
    TEAM_SQL(of('team_assignee_id')),
    'COMMIT',
  ].join(';\n');
  const results = (await db.query(batch)) as unknown as pg.QueryResult[];
  const [, conversation, parts, contacts, tags, admin, team] = results.map((r) => r.rows);
  const row = conversation![0] as ConversationRow | undefined;
  if (!row) return undefined;
  return toView({
    row,
    parts: parts as PartRow[],
    contacts: contacts as ContactRecord[],
    tags: tags as TagRecord[],
    admin: admin![0] as ThreadRows['admin'],
    team: team![0] as ThreadRows['team'],
  });
}
