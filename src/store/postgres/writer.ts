/**
 * Writing conversations into PostgreSQL: the row, its parts in order, its links, the people it
 * mentions and its search vectors, all on the caller's transaction. A changed conversation is
 * deleted (parts and links go by cascade) and inserted again, as on SQLite.
 */
import type pg from 'pg';
import type { ConversationMetadata, ConversationRecord, PartRecord, Person } from '../types.js';
import { indexText } from './tsquery.js';

const CONTACT_TYPES = new Set(['user', 'lead', 'contact']);
/** tsvector holds at most 1 MB; a thread's text past this is stored but not indexed. */
const MAX_INDEXED_CHARS = 500_000;

const TEXT_TSV = `setweight(to_tsvector('fim', $1), 'A') || setweight(to_tsvector('fim', $2), 'D')`;

async function rememberPeople(client: pg.PoolClient, people: Person[]): Promise<void> {
  const contacts = people.filter((p) => p.id && CONTACT_TYPES.has(p.type));
  const admins = people.filter((p) => p.id && (p.type === 'admin' || p.type === 'bot' || p.type === 'team'));
  // What a part's author tells us fills gaps; it never erases what a contact lookup stored.
  if (contacts.length)
    await client.query(
      `INSERT INTO contacts (id, role, name, email)
       SELECT DISTINCT ON (id) id, role, name, email FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         AS u(id, role, name, email)
       ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, contacts.name),
         email = coalesce(excluded.email, contacts.email)`,
      [
        contacts.map((p) => p.id),
        contacts.map((p) => p.type),
        contacts.map((p) => p.name),
        contacts.map((p) => p.email),
      ],
    );
  if (admins.length)
    await client.query(
      `INSERT INTO admins (id, type, name, email)
       SELECT DISTINCT ON (id) id, type, name, email FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         AS u(id, type, name, email)
       ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, admins.name),
         email = coalesce(excluded.email, admins.email)`,
      [
        admins.map((p) => p.id),
        admins.map((p) => p.type),
        admins.map((p) => p.name),
        admins.map((p) => p.email),
      ],
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

/** Re-derives the people vector of these conversations from their contacts as now stored. */
export async function indexPeople(client: pg.PoolClient, rids: number[]): Promise<void> {
  if (rids.length === 0) return;
  const rows = (
    await client.query<{ rid: number; name: string | null; email: string | null }>(
      `SELECT l.conversation_rid AS rid, k.name, k.email FROM conversation_contacts l
       JOIN contacts k ON k.id = l.contact_id WHERE l.conversation_rid = ANY($1::bigint[])`,
      [rids],
    )
  ).rows;
  const people = new Map<number, string[]>(rids.map((r) => [r, []]));
  for (const r of rows) people.get(r.rid)!.push(r.name ?? '', r.email ?? '');
  await client.query(
    `UPDATE conversations c SET people_tsv = setweight(to_tsvector('fim', u.people), 'B')
     FROM unnest($1::bigint[], $2::text[]) AS u(rid, people) WHERE c.rid = u.rid`,
    [[...people.keys()], [...people.values()].map((p) => indexText(p.join(' ')))],
  );
}

export async function writeConversation(
  client: pg.PoolClient,
  c: ConversationRecord,
  parts: PartRecord[],
  read: { at: number | null; updatedAt: number | null } = {
    at: Math.floor(Date.now() / 1000),
    updatedAt: c.updatedAt,
  },
): Promise<number> {
  await rememberPeople(client, [c.sourceAuthor, ...parts.map((p) => p.author)]);
  await client.query('DELETE FROM conversations WHERE id = $1', [c.id]);
  const { rows } = await client.query<{ rid: number }>(
    `INSERT INTO conversations (id, created_at, updated_at, title, subject, state, read, priority,
       admin_assignee_id, team_assignee_id, waiting_since, snoozed_until, source_type, delivered_as,
       source_body, source_author_type, source_author_id, parts_total, parts_stored,
       first_admin_reply_at, first_close_at, last_close_at, rating, deleted_at,
       parts_count_stat, thread_read_at, thread_read_updated_at, text_tsv)
     VALUES ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
       $22, $23, $24, $25, NULL, $26, $27, $28, ${TEXT_TSV})
     RETURNING rid`,
    [
      subjectText(c),
      bodyText(
        c.sourceBody,
        parts.map((p) => p.body),
      ),
      c.id,
      c.createdAt,
      c.updatedAt,
      c.title,
      c.subject,
      c.state,
      c.read,
      c.priority,
      c.adminAssigneeId,
      c.teamAssigneeId,
      c.waitingSince,
      c.snoozedUntil,
      c.sourceType,
      c.deliveredAs,
      c.sourceBody,
      c.sourceAuthor.type,
      c.sourceAuthor.id || null,
      c.partsTotal,
      parts.length,
      c.firstAdminReplyAt,
      c.firstCloseAt,
      c.lastCloseAt,
      c.rating,
      c.partsCountStat,
      read.at,
      read.updatedAt,
    ],
  );
  const rid = rows[0]!.rid;
  if (parts.length)
    await client.query(
      `INSERT INTO parts (conversation_rid, position, id, part_type, body, created_at, author_type, author_id,
         assigned_to_type, assigned_to_id, attachments)
       SELECT $1, u.* FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
         $8::text[], $9::text[], $10::text[], $11::jsonb[]) AS u`,
      [
        rid,
        parts.map((_, i) => i),
        parts.map((p) => p.id),
        parts.map((p) => p.partType),
        parts.map((p) => p.body),
        parts.map((p) => p.createdAt),
        parts.map((p) => p.author.type),
        parts.map((p) => p.author.id || null),
        parts.map((p) => p.assignedTo?.type ?? null),
        parts.map((p) => p.assignedTo?.id ?? null),
        parts.map((p) => (p.attachments.length > 0 ? JSON.stringify(p.attachments) : null)),
      ],
    );
  await linkAll(client, rid, c.contactIds, c.tagIds);
  await indexPeople(client, [rid]);
  return rid;
}

async function linkAll(client: pg.PoolClient, rid: number, contactIds: string[], tagIds: string[]) {
  if (contactIds.length)
    await client.query(
      `INSERT INTO conversation_contacts SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
      [rid, contactIds],
    );
  if (tagIds.length)
    await client.query(`INSERT INTO conversation_tags SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [
      rid,
      tagIds,
    ]);
}

/**
 * Search-item metadata over a stored conversation, in place: its parts and contacts stay, its tags
 * and subject vector follow the metadata. False when the conversation is not stored live.
 */
export async function applyMetadata(client: pg.PoolClient, m: ConversationMetadata): Promise<boolean> {
  const { rows } = await client.query<{ rid: number; subject: string | null; source_body: string | null }>(
    `UPDATE conversations SET updated_at = $2, title = $3, state = $4, read = $5, priority = $6,
       admin_assignee_id = $7, team_assignee_id = $8, waiting_since = $9, snoozed_until = $10,
       first_admin_reply_at = $11, first_close_at = $12, last_close_at = $13, rating = $14
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
  await client.query(`UPDATE conversations SET text_tsv = ${TEXT_TSV} WHERE rid = $3`, [
    subjectText({ title: m.title, subject: row.subject }),
    bodyText(row.source_body, bodies),
    row.rid,
  ]);
  await client.query('DELETE FROM conversation_tags WHERE conversation_rid = $1', [row.rid]);
  await linkAll(client, row.rid, [], m.tagIds);
  return true;
}
