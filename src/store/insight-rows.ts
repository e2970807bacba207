/**
 * The SQL of the analysis answers, alike on both engines (the same tables and columns), each
 * taking the engine's placeholders: the stats' rows, contacts with their conversations, and the
 * directory of admins, teams and tags. Counts are integers on SQLite and bigints read as numbers
 * on PostgreSQL (connection.ts), so no cast is needed.
 */
import { CONTACT_MATCHES, subjectOf } from './text-match.js';
import type { ContactDetail, ContactSummary, LevelsRequest, SearchFilters } from './types.js';
import { SAMPLE_RANGE } from './sample.js';

/**
 * The grain PostgreSQL groups creation times by for conversationStats (postgres/insights.ts):
 * the quarter hour when every bucket but the first starts on one (every zone's midnights do),
 * else the second, so each group falls in one bucket. The first starts where the window does, at
 * any second ("last 365 days" from now), but nothing before it is counted, so a quarter hour it
 * splits belongs to the first bucket whole: grouped by the second for its sake, a year of 100,000
 * conversations took 235 ms on SQLite, by the quarter hour 40.
 */
export const statsGrain = (buckets: number[]) => (buckets.slice(1).every((b) => b % 900 === 0) ? 900 : 1);

export const STATS_TAGS_SQL = (where: string) =>
  `SELECT l.tag_id, count(*) FROM conversation_tags l JOIN conversations c ON c.rid = l.conversation_rid
   WHERE ${where} GROUP BY l.tag_id`;

/** Deleted conversations and live ones created outside [from, to): three ranges of one index. */
const OUTSIDE_RIDS_SQL = (from: string, to: string) =>
  `SELECT rid FROM conversations WHERE deleted_at IS NOT NULL
   UNION ALL SELECT rid FROM conversations WHERE deleted_at IS NULL AND created_at < ${from}
   UNION ALL SELECT rid FROM conversations WHERE deleted_at IS NULL AND created_at >= ${to}`;

/** How many conversations lie outside the window, counted up to `limit`. */
export const OUTSIDE_COUNT_SQL = (from: string, to: string, limit: string) =>
  `SELECT count(*) FROM (SELECT 1 FROM (${OUTSIDE_RIDS_SQL(from, to)}) o LIMIT ${limit}) x`;

/**
 * STATS_TAGS_SQL without filters, as every tag link less those of the conversations outside the
 * window: for a window that holds most of the copy ("last 365 days"), a count of the link index
 * and a few outside rows instead of a join of every conversation in it (100k: 45–80 → 4 ms).
 */
export const STATS_TAGS_BESIDE_SQL = (from: string, to: string) =>
  `SELECT tag_id, sum(n) FROM (
     SELECT tag_id, count(*) AS n FROM conversation_tags GROUP BY tag_id
     UNION ALL
     SELECT l.tag_id, -count(*) FROM (${OUTSIDE_RIDS_SQL(from, to)}) o
       CROSS JOIN conversation_tags l ON l.conversation_rid = o.rid GROUP BY l.tag_id
   ) t GROUP BY tag_id HAVING sum(n) > 0`;

/**
 * The conversations a sample reads (theme-tally.ts): those whose creation second, scrambled by a
 * multiplication that is one-to-one on [0, 65,536), falls below `below`. The same conversations
 * every time, spread over the window whatever the seconds' pattern (imports stamped on whole
 * minutes included), in integer arithmetic both engines do alike.
 */
export const SAMPLE_KEY = (created: string) => `((${created} % 65536) * 40503) % 65536`;

export const SAMPLE_SQL = (below: string, created: string) => `${SAMPLE_KEY(created)} < ${below}`;

/** Keys per bucket: the terms table is ordered by bucket, so a sample is a few ranges of it. */
const BUCKET_KEYS = 1024;

/** The sample key's bucket, in the terms table's `sample` column (schema 19). */
export const SAMPLE_BUCKET = (created: string) => `(${SAMPLE_KEY(created)}) / ${BUCKET_KEYS}`;

/** `where`, narrowed to the sample below `below` when that is not everything; `place` gives its placeholder. */
export const sampledWhere = (
  where: string,
  below: number,
  place: (value: unknown) => string,
  created: string,
): string => (below < SAMPLE_RANGE ? `${where} AND ${SAMPLE_SQL(place(below), created)}` : where);

/** Rows created in [from, to), sampled below `below`, by the column `created`. */
export const createdIn = (
  created: string,
  w: { from: number; to: number; below?: number },
  place: (value: unknown) => string,
): string =>
  sampledWhere(
    `${created} >= ${place(w.from)} AND ${created} < ${place(w.to)}`,
    w.below ?? SAMPLE_RANGE,
    place,
    created,
  );

/**
 * Terms rows created in [from, to), sampled below `below`: those of the buckets the sample reaches
 * (each a range of the table's order), then the exact key.
 */
export const termsIn = (
  w: { from: number; to: number; below: number },
  place: (value: unknown) => string,
) => {
  const buckets = Array.from(
    { length: Math.ceil(Math.min(w.below, SAMPLE_RANGE) / BUCKET_KEYS) },
    (_, i) => i,
  );
  return `t.sample IN (${buckets.join(', ')}) AND ${createdIn('t.created_at', w, place)}`;
};

/** Whether filters narrow a window past its live conversations. */
export const narrows = (filters: SearchFilters): boolean =>
  Object.values(filters).some((v) => v !== undefined);

export const COUNT_SQL = (where: string, table = 'conversations c') =>
  `SELECT count(*) FROM ${table} WHERE ${where}`;

/**
 * A window's text in `parts` values by rid (theme-tally.ts says why), or in one without: SQLite
 * groups by sorting, and sorting a window's terms cost more than one value (its reader thread's
 * young heap collects a large value cheaply).
 */
const inParts = (rid: string, parts: string | null) => (parts ? ` GROUP BY ${rid} % ${parts}` : '');

/**
 * What themes read of a window, as text values of many lines (in parts: inParts), a line per
 * conversation, `rid created_at codes`, the codes its customers' terms (customer-terms.ts) or `*`
 * when the sync has not derived them yet.
 * Read from the terms table alone, which holds a row per live conversation with its creation time
 * (a conversation deleted loses its row): a window's sample is a few ranges there (termsIn), where
 * looking each conversation's terms up from the conversations cost a subquery per row.
 */
export const THEME_WINDOW_SQL = (window: string, parts: string | null) =>
  `SELECT string_agg(t.rid || ' ' || t.created_at || ' ' || coalesce(t.terms, '*'), '\n')
   FROM conversation_terms t WHERE ${window}${inParts('t.rid', parts)}`;

/**
 * THEME_WINDOW_SQL's lines for a window that filters narrow (`where`, on the conversations): those
 * conversations first, each one's terms looked up by its rid. Read from the terms table and joined,
 * a filter that keeps a tenth of the window read the whole window's terms.
 */
export const FILTERED_THEME_WINDOW_SQL = (where: string, parts: string | null) =>
  `SELECT string_agg(c.rid || ' ' || c.created_at || ' ' ||
     coalesce((SELECT t.terms FROM conversation_terms t WHERE t.rid = c.rid), '*'), '\n')
   FROM conversations c WHERE ${where}${inParts('c.rid', parts)}`;

/**
 * Schema 17, alike on both engines but for the integer type: the terms table gets each
 * conversation's creation time (which never changes) and a row per live conversation, its terms
 * null until the sync derives them, so THEME_WINDOW_SQL reads a window from it alone. Rebuilt in
 * creation order, so a window's rows sit together.
 */
export const TERMS_BY_TIME_SQL = (integer: 'INTEGER' | 'BIGINT') => `
  CREATE TABLE conversation_terms_by_time (
    rid ${integer} PRIMARY KEY REFERENCES conversations (rid) ON DELETE CASCADE,
    created_at ${integer} NOT NULL,
    terms TEXT
  );
  INSERT INTO conversation_terms_by_time (rid, created_at, terms)
    SELECT c.rid, c.created_at, t.terms FROM conversations c LEFT JOIN conversation_terms t ON t.rid = c.rid
    WHERE c.deleted_at IS NULL ORDER BY c.created_at;
  DROP TABLE conversation_terms;
  ALTER TABLE conversation_terms_by_time RENAME TO conversation_terms;
  CREATE INDEX conversation_terms_created ON conversation_terms (created_at);
`;

/**
 * A sample of a window by its key (SAMPLE_SQL), an index range: PostgreSQL, which reads a row's
 * terms from its heap page, otherwise reads every page of the window for a tenth of its rows.
 * SQLite filters the time index's entries by the key before reading a row, and never picks this.
 */
export const TERMS_SAMPLE_INDEX_SQL = `CREATE INDEX conversation_terms_sample ON conversation_terms ((${SAMPLE_KEY('created_at')}), created_at);`;

/**
 * Schema 19: each terms row's sample bucket (SAMPLE_BUCKET), so that a window's sample is read as
 * a few ranges (termsIn). SQLite keeps the table in that order (bucket, then time), so a sample's
 * rows sit together: read by time, a tenth of a month's rows touched nearly every page of the
 * table, each a read from the operating system past the small page cache (a month's sample 33 →
 * 6 ms on the 100k copy). PostgreSQL indexes the bucket and time in place of the key.
 */
export const TERMS_SAMPLED_SQL = {
  sqlite: `
    CREATE TABLE conversation_terms_sampled (
      sample INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      rid INTEGER NOT NULL REFERENCES conversations (rid) ON DELETE CASCADE,
      terms TEXT,
      PRIMARY KEY (sample, created_at, rid)
    ) WITHOUT ROWID;
    INSERT INTO conversation_terms_sampled (sample, created_at, rid, terms)
      SELECT ${SAMPLE_BUCKET('created_at')}, created_at, rid, terms FROM conversation_terms;
    DROP TABLE conversation_terms;
    ALTER TABLE conversation_terms_sampled RENAME TO conversation_terms;
    CREATE UNIQUE INDEX conversation_terms_rid ON conversation_terms (rid);`,
  postgres: `
    ALTER TABLE conversation_terms ADD COLUMN sample INTEGER;
    UPDATE conversation_terms SET sample = ${SAMPLE_BUCKET('created_at')};
    ALTER TABLE conversation_terms ALTER COLUMN sample SET NOT NULL;
    DROP INDEX conversation_terms_sample;
    DROP INDEX conversation_terms_created;
    CREATE INDEX conversation_terms_sample ON conversation_terms (sample, created_at);`,
};

/**
 * Schema 18, alike on both engines but for the integer type: customers' terms of each ticket
 * (customer-terms.ts), with its creation time, for the tickets that show a theme. A ticket stored
 * before has a row with no terms until the sync derives them from its stored parts.
 */
export const TICKET_TERMS_SQL = (integer: 'INTEGER' | 'BIGINT') => `
  CREATE TABLE ticket_terms (
    rid ${integer} PRIMARY KEY REFERENCES tickets (rid) ON DELETE CASCADE,
    created_at ${integer} NOT NULL,
    terms TEXT
  );
  INSERT INTO ticket_terms (rid, created_at) SELECT rid, created_at FROM tickets;
  CREATE INDEX ticket_terms_created ON ticket_terms (created_at);
`;

/**
 * The newest `limit` tickets passing `where` (on tickets `t`, ticketLevelsWhere) whose customers
 * wrote anything, a line each: `created_at id codes`. Themes look for their terms in them.
 */
export const THEME_TICKETS_SQL = (where: string, limit: string) =>
  `SELECT string_agg(w.line, '\n') FROM (
     SELECT t.created_at || ' ' || t.id || ' ' || x.terms AS line
     FROM tickets t JOIN ticket_terms x ON x.rid = t.rid
     WHERE ${where} AND x.terms <> '' ORDER BY t.created_at DESC LIMIT ${limit}) w`;

/**
 * What themes read of the conversations their themes are in (theme-tally.ts), once the themes are
 * known: a line per conversation, `rid id team tags`, the tags its tag ids joined by commas. Only
 * those conversations, not a whole window's, so a window's lines stay short.
 */
export const THEME_MEMBERS_SQL = (rids: string) =>
  `SELECT string_agg(c.rid || ' ' || c.id || ' ' || coalesce(c.team_assignee_id, '') || ' ' ||
     coalesce((SELECT string_agg(l.tag_id, ',') FROM conversation_tags l WHERE l.conversation_rid = c.rid), ''), '\n')
   FROM conversations c WHERE c.rid ${rids}`;

/** A column as text, empty when null: the fields of a window's lines (LEVELS_WINDOW_SQL, TICKET_LEVELS_SQL). */
const field = (column: string) => `coalesce(CAST(${column} AS TEXT), '')`;

/**
 * What service levels read of a window's conversations, as one text value (levels-tally.ts): a line
 * per conversation, `rid created_at first_admin_reply_at first_close_at last_close_at state reopens
 * admin team tags`, each field empty when null, the tags joined by commas.
 */
export const LEVELS_WINDOW_SQL = (where: string) =>
  `SELECT string_agg(c.rid || ' ' || c.created_at || ' ' || ${[
    'c.first_admin_reply_at',
    'c.first_close_at',
    'c.last_close_at',
    'c.state',
    'c.reopens',
    'c.admin_assignee_id',
    'c.team_assignee_id',
  ]
    .map(field)
    .join(" || ' ' || ")} || ' ' ||
     coalesce((SELECT string_agg(l.tag_id, ',') FROM conversation_tags l WHERE l.conversation_rid = c.rid), ''), '\n')
   FROM conversations c WHERE ${where}`;

/**
 * A ticket's service-level facts, from its stored parts in order (Intercom gives tickets no
 * statistics), set on its row for the tickets passing `where`: the first teammate comment; whether
 * it was ever resolved; whether it left resolved again (a reopen: a resolved part, then a later part
 * leaving it in another state); the start of its last resolved stretch (its first resolved part
 * after the last part leaving it in another state); how many parts are stored. Run by the ticket
 * writer for each ticket, and once by schema 16 for the tickets stored before: one rule, in SQL
 * both engines run alike, so a service-levels answer reads tickets' rows and never their parts.
 */
export const TICKET_FACTS_SQL = (where: string) => `UPDATE tickets SET
  first_response_at = (SELECT p.created_at FROM ticket_parts p WHERE p.ticket_rid = tickets.rid
    AND p.part_type = 'comment' AND p.author_type = 'admin' ORDER BY p.position LIMIT 1),
  ever_resolved = CASE WHEN state_category = 'resolved' OR EXISTS (SELECT 1 FROM ticket_parts p
    WHERE p.ticket_rid = tickets.rid AND p.state_category = 'resolved') THEN 1 ELSE 0 END,
  reopened = CASE WHEN EXISTS (SELECT 1 FROM ticket_parts r JOIN ticket_parts x
    ON x.ticket_rid = r.ticket_rid AND x.position > r.position
    WHERE r.ticket_rid = tickets.rid AND r.state_category = 'resolved'
      AND x.state_category IS NOT NULL AND x.state_category <> 'resolved') THEN 1 ELSE 0 END,
  resolved_since = (SELECT p.created_at FROM ticket_parts p WHERE p.ticket_rid = tickets.rid
    AND p.state_category = 'resolved' AND p.position > coalesce((SELECT max(o.position) FROM ticket_parts o
      WHERE o.ticket_rid = tickets.rid AND o.state_category IS NOT NULL AND o.state_category <> 'resolved'), -1)
    ORDER BY p.position LIMIT 1),
  parts_stored = (SELECT count(*) FROM ticket_parts p WHERE p.ticket_rid = tickets.rid)
  WHERE ${where}`;

/**
 * What service levels read of a window's tickets, as one text value: a line per ticket, `rid
 * created_at state_category first_response_at resolved_since ever_resolved reopened unknown admin
 * team`, unknown 1 when the copy holds fewer parts than the ticket has (the API gives 500).
 */
export const TICKET_LEVELS_SQL = (where: string) =>
  `SELECT string_agg(t.rid || ' ' || t.created_at || ' ' || t.state_category || ' ' || ${[
    't.first_response_at',
    't.resolved_since',
    't.ever_resolved',
    't.reopened',
  ]
    .map(field)
    .join(" || ' ' || ")} || ' ' ||
     CASE WHEN t.parts_stored < t.parts_total THEN '1' ELSE '0' END || ' ' ||
     ${field('t.admin_assignee_id')} || ' ' || ${field('t.team_assignee_id')}, '\n')
   FROM tickets t WHERE ${where}`;

/** The tickets created in [from, to) of the team and assignee filtered by, `place` giving each value's placeholder. */
export function ticketLevelsWhere(
  q: Pick<LevelsRequest, 'from' | 'to' | 'filters'>,
  place: (value: unknown) => string,
): string {
  const { teamAssigneeId: team, adminAssigneeId: admin } = q.filters;
  return [
    `t.created_at >= ${place(q.from)}`,
    `t.created_at < ${place(q.to)}`,
    ...(team ? [`t.team_assignee_id = ${place(team)}`] : []),
    ...(admin ? [`t.admin_assignee_id = ${place(admin)}`] : []),
  ].join(' AND ');
}

/** What service levels read of each kind: its table, its creation time (to sample by) and its window. */
export const LEVELS_OF = {
  conversations: { table: 'conversations c', created: 'c.created_at', window: LEVELS_WINDOW_SQL },
  tickets: { table: 'tickets t', created: 't.created_at', window: TICKET_LEVELS_SQL },
} as const;

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
