/**
 * Writing conversations into PostgreSQL: the row, its parts in order, its links, the people it
 * mentions and its search vectors, all on the caller's transaction. A changed conversation is
 * deleted (parts and links go by cascade) and inserted again, as on SQLite.
 */
import type pg from 'pg';
import type { ConversationMetadata, ConversationRecord, PartRecord, Person } from '../types.js';
import { fold } from '../text-match.js';
import { indexText } from './search-syntax.js';
import { conversationTerms } from '../customer-terms.js';
import { SAMPLE_BUCKET } from '../insight-rows.js';

const CONTACT_TYPES = new Set(['user', 'lead', 'contact']);
const ADMIN_TYPES = new Set(['admin', 'bot', 'team']);
/** tsvector holds at most 1 MB; a thread's text past this is stored but not indexed. */
const MAX_INDEXED_CHARS = 500_000;

/** The vector of a subject and messages (the A and D weights of search_tsv). */
const TEXT_VECTOR = (subject: string, body: string) =>
  `setweight(to_tsvector('fim', ${subject}), 'A') || setweight(to_tsvector('fim', ${body}), 'D')`;
const PEOPLE_VECTOR = (people: string) => `setweight(to_tsvector('fim', ${people}), 'B')`;

/**
 * The people of a batch, one per id, each field from the first mention that gives it; in id
 * order, the order every writer of contacts locks them in (retryingDeadlocks).
 */
function merged(people: Person[]): Person[] {
  const byId = new Map<string, Person>();
  for (const p of people) {
    const seen = byId.get(p.id);
    byId.set(p.id, seen ? { ...seen, name: seen.name ?? p.name, email: seen.email ?? p.email } : p);
  }
  return inIdOrder([...byId.values()]);
}

/** Rows sorted by id, as each writer upserts them, so that two writers lock shared rows alike. */
export const inIdOrder = <T extends { id: string }>(rows: T[]): T[] =>
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** What a part's author tells us fills gaps; it never erases what a contact lookup stored. */
async function rememberPeople(client: pg.PoolClient, people: Person[]): Promise<void> {
  const contacts = merged(people.filter((p) => p.id && CONTACT_TYPES.has(p.type)));
  const admins = merged(people.filter((p) => p.id && ADMIN_TYPES.has(p.type)));
  const columns = (ps: Person[]) => [
    ps.map((p) => p.id),
    ps.map((p) => p.type),
    ps.map((p) => p.name),
    ps.map((p) => p.email),
  ];
  if (contacts.length)
    await client.query(
      `INSERT INTO contacts (id, role, name, email, name_key, email_key)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, contacts.name),
         email = coalesce(excluded.email, contacts.email), name_key = coalesce(excluded.name_key, contacts.name_key),
         email_key = coalesce(excluded.email_key, contacts.email_key)`,
      [...columns(contacts), contacts.map((p) => fold(p.name)), contacts.map((p) => fold(p.email))],
    );
  if (admins.length)
    await client.query(
      `INSERT INTO admins (id, type, name, email) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, admins.name),
         email = coalesce(excluded.email, admins.email)`,
      columns(admins),
    );
}

const subjectText = (c: { title: string | null; subject: string | null }) =>
  indexText(`${c.title ?? ''} ${c.subject ?? ''}`);
const bodyText = (sourceBody: string | null, bodies: (string | null)[]) =>
  indexText(
    [sourceBody, ...bodies]
      .filter((b) => b)
      .join(' ')
      .slice(0, MAX_INDEXED_CHARS),
  );

type PersonRow = { id: string; name: string | null; email: string | null };
const peopleText = (people: (PersonRow | undefined)[]) =>
  indexText(people.flatMap((p) => [p?.name ?? '', p?.email ?? '']).join(' '));

/** Re-derives the people vector of these conversations from their contacts as now stored. */
export async function indexPeople(client: pg.PoolClient, rids: number[]): Promise<void> {
  if (rids.length === 0) return;
  const rows = (
    await client.query<PersonRow & { rid: number }>(
      `SELECT l.conversation_rid AS rid, k.id, k.name, k.email FROM conversation_contacts l
       JOIN contacts k ON k.id = l.contact_id WHERE l.conversation_rid = ANY($1::bigint[])`,
      [rids],
    )
  ).rows;
  const people = new Map<number, PersonRow[]>(rids.map((r) => [r, []]));
  for (const r of rows) people.get(r.rid)!.push(r);
  await client.query(
    `UPDATE conversations c SET search_tsv = ts_filter(c.search_tsv, '{a,d}') || ${PEOPLE_VECTOR('u.people')}
     FROM unnest($1::bigint[], $2::text[]) AS u(rid, people) WHERE c.rid = u.rid`,
    [[...people.keys()], [...people.values()].map(peopleText)],
  );
}

export interface ThreadWrite {
  conversation: ConversationRecord;
  parts: PartRecord[];
}

/**
 * Writes these threads set-wise: a handful of statements for the whole batch, whatever its size,
 * since round trips, not PostgreSQL's work, bound a thread-at-a-time writer. A conversation named
 * twice is written as its last version.
 */
export async function writeConversations(client: pg.PoolClient, items: ThreadWrite[]): Promise<void> {
  const batch = [...new Map(items.map((i) => [i.conversation.id, i])).values()];
  if (batch.length === 0) return;
  await rememberPeople(
    client,
    batch.flatMap(({ conversation: c, parts }) => [c.sourceAuthor, ...parts.map((p) => p.author)]),
  );
  const ids = batch.map((b) => b.conversation.id);
  await client.query('DELETE FROM conversations WHERE id = ANY($1::text[])', [ids]);
  const contacts = new Map(
    (
      await client.query<PersonRow>('SELECT id, name, email FROM contacts WHERE id = ANY($1::text[])', [
        [...new Set(batch.flatMap((b) => b.conversation.contactIds))],
      ])
    ).rows.map((r) => [r.id, r]),
  );
  const readAt = Math.floor(Date.now() / 1000);
  const terms = batch.map((b) => conversationTerms(b.conversation, b.parts));
  // In one order, so two writers adding the same words wait for each other instead of deadlocking.
  const named = new Map(terms.flatMap((t) => [...t.terms]).sort(([a], [b]) => a - b));
  if (named.size)
    await client.query(
      'INSERT INTO terms (hash, term) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING',
      [[...named.keys()], [...named.values()]],
    );
  const column = <T>(f: (c: ConversationRecord, parts: PartRecord[]) => T) =>
    batch.map((b) => f(b.conversation, b.parts));
  const { rows } = await client.query<{ rid: number; id: string }>(
    `INSERT INTO conversations (id, created_at, updated_at, title, subject, state, read, priority,
       admin_assignee_id, team_assignee_id, waiting_since, snoozed_until, source_type, delivered_as,
       source_body, source_author_type, source_author_id, parts_total, parts_stored,
       first_admin_reply_at, first_close_at, last_close_at, rating, parts_count_stat,
       thread_read_at, thread_read_updated_at, reopens, search_tsv)
     SELECT id, created_at, updated_at, title, subject, state, read, priority,
       admin_assignee_id, team_assignee_id, waiting_since, snoozed_until, source_type, delivered_as,
       source_body, source_author_type, source_author_id, parts_total, parts_stored,
       first_admin_reply_at, first_close_at, last_close_at, rating, parts_count_stat,
       $27::bigint, updated_at, reopens,
       ${TEXT_VECTOR('subject_text', 'body_text')} || ${PEOPLE_VECTOR('people_text')}
     FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::boolean[],
       $8::boolean[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::text[], $14::text[],
       $15::text[], $16::text[], $17::text[], $18::int[], $19::int[], $20::bigint[], $21::bigint[],
       $22::bigint[], $23::int[], $24::int[], $25::text[], $26::text[], $28::text[], $29::int[])
       AS u(id, created_at, updated_at, title, subject, state, read, priority,
       admin_assignee_id, team_assignee_id, waiting_since, snoozed_until, source_type, delivered_as,
       source_body, source_author_type, source_author_id, parts_total, parts_stored,
       first_admin_reply_at, first_close_at, last_close_at, rating, parts_count_stat,
       subject_text, body_text, people_text, reopens)
     RETURNING rid, id`,
    [
      ids,
      column((c) => c.createdAt),
      column((c) => c.updatedAt),
      column((c) => c.title),
      column((c) => c.subject),
      column((c) => c.state),
      column((c) => c.read),
      column((c) => c.priority),
      column((c) => c.adminAssigneeId),
      column((c) => c.teamAssigneeId),
      column((c) => c.waitingSince),
      column((c) => c.snoozedUntil),
      column((c) => c.sourceType),
      column((c) => c.deliveredAs),
      column((c) => c.sourceBody),
      column((c) => c.sourceAuthor.type),
      column((c) => c.sourceAuthor.id || null),
      column((c) => c.partsTotal),
      column((_, parts) => parts.length),
      column((c) => c.firstAdminReplyAt),
      column((c) => c.firstCloseAt),
      column((c) => c.lastCloseAt),
      column((c) => c.rating),
      column((c) => c.partsCountStat),
      column((c) => subjectText(c)),
      column((c, parts) =>
        bodyText(
          c.sourceBody,
          parts.map((p) => p.body),
        ),
      ),
      readAt,
      column((c) => peopleText(c.contactIds.map((id) => contacts.get(id)))),
      column((c) => c.reopens),
    ],
  );
  const ridOf = new Map(rows.map((r) => [r.id, r.rid]));
  await client.query(
    `INSERT INTO conversation_terms (rid, created_at, terms, sample)
     SELECT r, c, t, ${SAMPLE_BUCKET('c')} FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS u (r, c, t)`,
    [batch.map((b) => ridOf.get(b.conversation.id)!), column((c) => c.createdAt), terms.map((t) => t.packed)],
  );
  const parts = batch.flatMap((b) =>
    b.parts.map((p, position) => ({ rid: ridOf.get(b.conversation.id)!, position, p })),
  );
  if (parts.length)
    await client.query(
      `INSERT INTO parts (conversation_rid, position, id, part_type, body, created_at, author_type, author_id,
         assigned_to_type, assigned_to_id, attachments)
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
         $8::text[], $9::text[], $10::text[], $11::jsonb[])`,
      [
        parts.map((x) => x.rid),
        parts.map((x) => x.position),
        parts.map(({ p }) => p.id),
        parts.map(({ p }) => p.partType),
        parts.map(({ p }) => p.body),
        parts.map(({ p }) => p.createdAt),
        parts.map(({ p }) => p.author.type),
        parts.map(({ p }) => p.author.id || null),
        parts.map(({ p }) => p.assignedTo?.type ?? null),
        parts.map(({ p }) => p.assignedTo?.id ?? null),
        parts.map(({ p }) => (p.attachments.length > 0 ? JSON.stringify(p.attachments) : null)),
      ],
    );
  await linkAll(
    client,
    batch.map((b) => ({
      rid: ridOf.get(b.conversation.id)!,
      contactIds: b.conversation.contactIds,
      tagIds: b.conversation.tagIds,
    })),
  );
}

/** Links conversations to their contacts and tags. */
async function linkAll(
  client: pg.PoolClient,
  links: { rid: number; contactIds: string[]; tagIds: string[] }[],
): Promise<void> {
  for (const [table, column, of] of [
    ['conversation_contacts', 'contact_id', (l: (typeof links)[number]) => l.contactIds],
    ['conversation_tags', 'tag_id', (l: (typeof links)[number]) => l.tagIds],
  ] as const) {
    const pairs = links.flatMap((l) => of(l).map((id) => [l.rid, id] as const));
    if (pairs.length)
      await client.query(
        `INSERT INTO ${table} (conversation_rid, ${column}) SELECT * FROM unnest($1::bigint[], $2::text[])
         ON CONFLICT DO NOTHING`,
        [pairs.map(([rid]) => rid), pairs.map(([, id]) => id)],
      );
  }
}

/**
 * Search-item metadata over a stored conversation, in place: its parts and contacts stay, its tags
 * and subject vector follow the metadata. False when the conversation is not stored live.
 */
export async function applyMetadata(client: pg.PoolClient, m: ConversationMetadata): Promise<boolean> {
  const { rows } = await client.query<{ rid: number; subject: string | null; source_body: string | null }>(
    `UPDATE conversations SET updated_at = $2, title = $3, state = $4, read = $5, priority = $6,
       admin_assignee_id = $7, team_assignee_id = $8, waiting_since = $9, snoozed_until = $10,
       first_admin_reply_at = $11, first_close_at = $12, last_close_at = $13, rating = $14, reopens = $15
     WHERE id = $1 AND deleted_at IS NULL RETURNING rid, subject, source_body`,
    [
      m.id,
      m.updatedAt,
      m.title,
      m.state,
      m.read,
      m.priority,
      m.adminAssigneeId,
      m.teamAssigneeId,
      m.waitingSince,
      m.snoozedUntil,
      m.firstAdminReplyAt,
      m.firstCloseAt,
      m.lastCloseAt,
      m.rating,
      m.reopens,
    ],
  );
  const row = rows[0];
  if (!row) return false;
  const bodies = (
    await client.query<{ body: string | null }>(
      'SELECT body FROM parts WHERE conversation_rid = $1 ORDER BY position',
      [row.rid],
    )
  ).rows.map((r) => r.body);
  await client.query(
    `UPDATE conversations SET search_tsv = ${TEXT_VECTOR('$1', '$2')} || ts_filter(search_tsv, '{b}') WHERE rid = $3`,
    [subjectText({ title: m.title, subject: row.subject }), bodyText(row.source_body, bodies), row.rid],
  );
  await client.query('DELETE FROM conversation_tags WHERE conversation_rid = $1', [row.rid]);
  await linkAll(client, [{ rid: row.rid, contactIds: [], tagIds: m.tagIds }]);
  return true;
}
