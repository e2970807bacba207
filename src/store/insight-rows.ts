/**
 * The SQL of the analysis answers, alike on both engines (the same tables and columns), each
 * taking the engine's placeholders: the stats' rows, contacts with their conversations, and the
 * directory of admins, teams and tags. Counts are integers on SQLite and bigints read as numbers
 * on PostgreSQL (connection.ts), so no cast is needed.
 */
import { CONTACT_MATCHES, subjectOf } from './text-match.js';
import type { ContactDetail, ContactSummary, LevelsRequest } from './types.js';

/** What conversationStats tallies of each conversation passing `where` (stats-tally.ts). */
export const STATS_ROWS_SQL = (where: string) =>
  `SELECT c.created_at, c.first_admin_reply_at, c.first_close_at, c.state, c.admin_assignee_id, c.team_assignee_id
   FROM conversations c WHERE ${where}`;

export const STATS_TAGS_SQL = (where: string) =>
  `SELECT l.tag_id, count(*) FROM conversation_tags l JOIN conversations c ON c.rid = l.conversation_rid
   WHERE ${where} GROUP BY l.tag_id`;

/** What themes read of each conversation passing `where` (theme-tally.ts). */
export const THEME_ROWS_SQL = (where: string) =>
  `SELECT c.rid, c.id, c.created_at, c.team_assignee_id, c.customer_terms FROM conversations c WHERE ${where}`;

/** The tags of each conversation passing `where`: [rid, tag id]. */
export const TAG_LINKS_SQL = (where: string) =>
  `SELECT l.conversation_rid, l.tag_id FROM conversation_tags l JOIN conversations c ON c.rid = l.conversation_rid
   WHERE ${where}`;

/** What service levels read of each conversation passing `where` (levels-tally.ts). */
export const CONVERSATION_LEVELS_SQL = (where: string) =>
  `SELECT c.rid, c.created_at, c.first_admin_reply_at, c.first_close_at, c.last_close_at, c.state, c.reopens,
     c.admin_assignee_id, c.team_assignee_id FROM conversations c WHERE ${where}`;

/** What service levels read of each ticket passing `where`, and of its parts in order. */
export const TICKET_LEVELS_SQL = (where: string) =>
  `SELECT t.rid, t.created_at, t.state_category, t.admin_assignee_id, t.team_assignee_id, t.parts_total
   FROM tickets t WHERE ${where}`;

/** The tickets a LevelsRequest asks about, `place` giving each value's placeholder. */
export function ticketLevelsWhere(q: LevelsRequest, place: (value: unknown) => string): string {
  const { teamAssigneeId: team, adminAssigneeId: admin } = q.filters;
  return [
    `t.created_at >= ${place(q.from)}`,
    `t.created_at < ${place(q.to)}`,
    ...(team ? [`t.team_assignee_id = ${place(team)}`] : []),
    ...(admin ? [`t.admin_assignee_id = ${place(admin)}`] : []),
  ].join(' AND ');
}

export const TICKET_LEVEL_PARTS_SQL = (where: string) =>
  `SELECT p.ticket_rid, p.created_at, p.part_type, p.author_type, p.state_category
   FROM ticket_parts p JOIN tickets t ON t.rid = p.ticket_rid WHERE ${where} ORDER BY p.ticket_rid, p.position`;

export const NAMES_SQL = (table: 'tags' | 'admins' | 'teams') => `SELECT id, name FROM ${table}`;

const CONTACT_COLUMNS = `k.id, k.role, k.name, k.email, k.external_id AS "externalId", k.created_at AS "createdAt",
  (SELECT count(*) FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
    WHERE l.contact_id = k.id AND c.deleted_at IS NULL) AS conversations,
  (SELECT max(c.updated_at) FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
    WHERE l.contact_id = k.id AND c.deleted_at IS NULL) AS "lastConversationAt"`;

/** Contacts whose name or email contains a contactPattern, or whose id is the text. */
export const SEARCH_CONTACTS_SQL = (like: string, id: string, limit: string) =>
  `SELECT ${CONTACT_COLUMNS} FROM contacts k WHERE ${CONTACT_MATCHES(like)} OR k.id = ${id}
   ORDER BY "lastConversationAt" DESC NULLS LAST, k.id LIMIT ${limit}`;

/** The contact with this id, else the one with this folded email. */
export const CONTACT_SQL = (id: string, emailKey: string) =>
  `SELECT ${CONTACT_COLUMNS} FROM contacts k WHERE k.id = ${id} OR k.email_key = ${emailKey}
   ORDER BY (k.id = ${id}) DESC LIMIT 1`;

export const RECENT_SQL = (contactId: string) =>
  `SELECT c.id, c.title, c.subject, substr(c.source_body, 1, 400) AS "sourceBody", c.state, c.updated_at AS "updatedAt"
   FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
   WHERE l.contact_id = ${contactId} AND c.deleted_at IS NULL ORDER BY c.updated_at DESC LIMIT 20`;

/** The companies a contact belongs to, by name. */
export const CONTACT_COMPANIES_SQL = (contactId: string) =>
  `SELECT o.id, o.name FROM company_contacts m JOIN companies o ON o.id = m.company_id
   WHERE m.contact_id = ${contactId} ORDER BY o.name, o.id`;

export type RecentRow = Parameters<typeof subjectOf>[0] & { id: string; state: string; updatedAt: number };

export const toDetail = (
  contact: ContactSummary,
  recent: RecentRow[],
  companies: ContactDetail['companies'],
): ContactDetail => ({
  ...contact,
  companies,
  recent: recent.map((r) => ({ id: r.id, subject: subjectOf(r), state: r.state, updatedAt: r.updatedAt })),
});

const TALLY = "count(c.rid) AS conversations, count(CASE WHEN c.state = 'open' THEN 1 END) AS open";
const BUSIEST_FIRST = 'ORDER BY conversations DESC, name';

/** Admins (assignees), teams and tags, each with the live conversations it holds, busiest first. */
export const DIRECTORY_SQL = {
  admins: `SELECT a.id, a.name, a.email, ${TALLY} FROM admins a
    LEFT JOIN conversations c ON c.admin_assignee_id = a.id AND c.deleted_at IS NULL
    WHERE a.type != 'team' GROUP BY a.id, a.name, a.email ${BUSIEST_FIRST}`,
  teams: `SELECT t.id, t.name, ${TALLY} FROM teams t
    LEFT JOIN conversations c ON c.team_assignee_id = t.id AND c.deleted_at IS NULL
    GROUP BY t.id, t.name ${BUSIEST_FIRST}`,
  tags: `SELECT t.id, t.name, ${TALLY} FROM tags t
    LEFT JOIN conversation_tags l ON l.tag_id = t.id
    LEFT JOIN conversations c ON c.rid = l.conversation_rid AND c.deleted_at IS NULL
    GROUP BY t.id, t.name ${BUSIEST_FIRST}`,
};
