/** Aggregates and contact look-ups for the server's analysis tools. */
import type Database from 'better-sqlite3';
import { likeContains, subjectOf } from './text-match.js';
import type { ContactRecord } from './types.js';

export interface StatsQuery {
  /** Conversations created in [from, to). */
  from: number;
  to: number;
  /** Conditions on `conversations c` (liveness and filters), from ConversationSearch.conditions. */
  where: { sql: string; args: Record<string, unknown> };
  /** Ascending bucket starts; the first is `from`, each bucket ends where the next starts. */
  buckets: number[];
}

export interface NamedCount {
  id: string | null;
  name: string;
  count: number;
}

export interface ConversationStats {
  total: number;
  /** Conversations created in each bucket, in the order of StatsQuery.buckets. */
  volume: number[];
  byState: Record<string, number>;
  byTag: NamedCount[];
  byAssignee: NamedCount[];
  byTeam: NamedCount[];
  medianFirstResponseSeconds: number | null;
  medianTimeToCloseSeconds: number | null;
}

export interface ContactSummary extends ContactRecord {
  conversations: number;
  lastConversationAt: number | null;
}

export interface ContactDetail extends ContactSummary {
  recent: { id: string; subject: string; state: string; updatedAt: number }[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Index of the last bucket starting at or before t. */
function bucketOf(starts: number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Conversations created in [from, to) that pass the filters: the usual reading of "volume this
 * week". Buckets are counted here from the creation times, so their boundaries (the workspace's
 * midnights and Mondays) are the caller's, not the engine's. One scan of the matching rows and one
 * of their tag links feed every breakdown: a GROUP BY per breakdown read the rows four times.
 */
export function conversationStats(db: Database.Database, q: StatsQuery): ConversationStats {
  const where = `${q.where.sql} AND c.created_at >= @from AND c.created_at < @to`;
  const args = { ...q.where.args, from: q.from, to: q.to };
  const rows = db
    .prepare(
      `SELECT c.created_at, c.first_admin_reply_at, c.first_close_at, c.state, c.admin_assignee_id, c.team_assignee_id
       FROM conversations c WHERE ${where}`,
    )
    .raw()
    .all(args) as [number, number | null, number | null, string, string | null, string | null][];
  const volume = q.buckets.map(() => 0);
  const byState: Record<string, number> = {};
  const admins = new Map<string | null, number>();
  const teams = new Map<string | null, number>();
  const firstResponses: number[] = [];
  const closes: number[] = [];
  for (const [created, replied, closed, state, admin, team] of rows) {
    volume[bucketOf(q.buckets, created)]! += 1;
    byState[state] = (byState[state] ?? 0) + 1;
    admins.set(admin, (admins.get(admin) ?? 0) + 1);
    teams.set(team, (teams.get(team) ?? 0) + 1);
    if (replied) firstResponses.push(replied - created);
    if (closed) closes.push(closed - created);
  }
  const tags = new Map(
    (
      db
        .prepare(
          `SELECT l.tag_id, count(*) FROM conversation_tags l JOIN conversations c ON c.rid = l.conversation_rid
           WHERE ${where} GROUP BY l.tag_id`,
        )
        .raw()
        .all(args) as [string, number][]
    ).map(([id, n]) => [id as string | null, n]),
  );
  const names = (table: string) =>
    new Map(
      (db.prepare(`SELECT id, name FROM ${table}`).raw().all() as [string, string | null][]).map(
        ([id, n]) => [id, n],
      ),
    );
  const ranked = (
    counts: Map<string | null, number>,
    named: Map<string, string | null>,
    none: string,
  ): NamedCount[] =>
    [...counts]
      .map(([id, count]) => ({ id, name: (id === null ? none : named.get(id)) ?? id ?? none, count }))
      .sort((x, y) => y.count - x.count || x.name.localeCompare(y.name));
  return {
    total: rows.length,
    volume,
    byState,
    byTag: ranked(tags, names('tags'), 'untagged'),
    byAssignee: ranked(admins, names('admins'), 'unassigned'),
    byTeam: ranked(teams, names('teams'), 'no team'),
    medianFirstResponseSeconds: median(firstResponses),
    medianTimeToCloseSeconds: median(closes),
  };
}

const CONTACT_COLUMNS = `k.id, k.role, k.name, k.email, k.external_id AS externalId, k.created_at AS createdAt,
  (SELECT count(*) FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
    WHERE l.contact_id = k.id AND c.deleted_at IS NULL) AS conversations,
  (SELECT max(c.updated_at) FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
    WHERE l.contact_id = k.id AND c.deleted_at IS NULL) AS lastConversationAt`;

export function searchContacts(db: Database.Database, text: string, limit: number): ContactSummary[] {
  return db
    .prepare(
      `SELECT ${CONTACT_COLUMNS} FROM contacts k
      WHERE k.email LIKE @like ESCAPE '\\' OR k.name LIKE @like ESCAPE '\\' OR k.id = @text
      ORDER BY lastConversationAt DESC NULLS LAST LIMIT @limit`,
    )
    .all({ like: likeContains(text), text, limit }) as ContactSummary[];
}

export function getContact(db: Database.Database, idOrEmail: string): ContactDetail | undefined {
  const contact = db
    .prepare(
      `SELECT ${CONTACT_COLUMNS} FROM contacts k WHERE k.id = @x OR lower(k.email) = lower(@x) LIMIT 1`,
    )
    .get({ x: idOrEmail }) as ContactSummary | undefined;
  if (!contact) return undefined;
  const recent = db
    .prepare(
      `SELECT c.id, c.title, c.subject, substr(c.source_body, 1, 400) AS sourceBody, c.state, c.updated_at AS updatedAt
      FROM conversation_contacts l JOIN conversations c ON c.rid = l.conversation_rid
      WHERE l.contact_id = ? AND c.deleted_at IS NULL ORDER BY c.updated_at DESC LIMIT 20`,
    )
    .all(contact.id) as (Omit<ContactDetail['recent'][number], 'subject'> &
    Parameters<typeof subjectOf>[0])[];
  return {
    ...contact,
    recent: recent.map((r) => ({ id: r.id, subject: subjectOf(r), state: r.state, updatedAt: r.updatedAt })),
  };
}

export interface DirectoryEntry {
  id: string;
  name: string | null;
  email?: string | null;
  conversations: number;
  open: number;
}

export interface WorkspaceDirectory {
  admins: DirectoryEntry[];
  teams: DirectoryEntry[];
  tags: DirectoryEntry[];
}

/** Admins (assignees), teams and tags, each with the live conversations it holds, busiest first. */
export function workspaceDirectory(db: Database.Database): WorkspaceDirectory {
  const counted = (sql: string) =>
    db.prepare(`${sql} ORDER BY conversations DESC, name`).all() as DirectoryEntry[];
  const tally = "count(c.rid) AS conversations, count(CASE WHEN c.state = 'open' THEN 1 END) AS open";
  return {
    admins: counted(`SELECT a.id, a.name, a.email, ${tally} FROM admins a
      LEFT JOIN conversations c ON c.admin_assignee_id = a.id AND c.deleted_at IS NULL
      WHERE a.type != 'team' GROUP BY a.id`),
    teams: counted(`SELECT t.id, t.name, ${tally} FROM teams t
      LEFT JOIN conversations c ON c.team_assignee_id = t.id AND c.deleted_at IS NULL GROUP BY t.id`),
    tags: counted(`SELECT t.id, t.name, ${tally} FROM tags t
      LEFT JOIN conversation_tags l ON l.tag_id = t.id
      LEFT JOIN conversations c ON c.rid = l.conversation_rid AND c.deleted_at IS NULL GROUP BY t.id`),
  };
}
