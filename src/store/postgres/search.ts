/**
 * Searching the PostgreSQL copy: the same filters, windows, sorting, paging and ranking-floor rule
 * as the SQLite engine, through the GIN index over the search vectors; ranked by ts_rank with
 * subject, people and messages weighted 4 : 2 : 1 (SQLite's bm25 weights), snippets as SQLite's.
 */
import type { Db } from './connection.js';
import { parseSearchText, snippet } from '../search-text.js';
import { CONTACT_MATCHES, contactPattern, subjectOf } from '../text-match.js';
import { countTo, counts, pageSize, rankedOf } from '../search-bounds.js';
import {
  CUSTOMER_CONTACTS_BOUND,
  CUSTOMER_WINDOW,
  RANK_WINDOW,
  type SearchFilters,
  type SearchHit,
  type SearchPage,
  type SearchParams,
} from '../types.js';
import type { HitRowBase } from '../thread-rows.js';
import { toTsQuery } from './search-syntax.js';
import { matchesInOrder } from './match-window.js';

/** Positional parameters collected while conditions are written. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const VECTOR = 'c.search_tsv';
// Weights for D, C, B, A: messages, (unused), people, subject.
const WEIGHTS = `'{0.1, 0.1, 0.2, 0.4}'`;
/**
 * ts_rank's score divided by the vector's length (normalization 2): a long thread that mentions the
 * words in passing no longer outranks a conversation about them. On the relevance set of a 100k copy
 * (bench/relevance.ts), precision at 10 was 0.65 with ts_rank_cd divided by 1 + log(length), 0.79
 * with ts_rank_cd by length, 0.81 with this, which also skips the cover computation.
 */
const RANK_NORMALIZATION = 2;

export interface Conditions {
  sql: string;
  /** The text as a tsquery, and its words (for snippets), when there is text. */
  text: { tsquery: string; words: string[] } | undefined;
}

/** How a search tests its customer filter: the contacts it found, or the conversations it kept. */
type CustomerPlan = { contacts: string[] } | { rids: number[] };

/**
 * Conditions on `conversations c` for live conversations passing these filters, text included;
 * the customer filter as a search's plan says, else as one set.
 */
export function conditions(
  f: SearchFilters & { from?: number; to?: number },
  params: Params,
  customerPlan?: CustomerPlan,
): Conditions {
  const where = ['c.deleted_at IS NULL'];
  let text: Conditions['text'];
  if (f.text) {
    const parsed = parseSearchText(f.text);
    text = { tsquery: toTsQuery(parsed), words: parsed.words };
    where.push(`${VECTOR} @@ to_tsquery('fim', ${params.add(text.tsquery)})`);
  }
  if (f.from !== undefined) where.push(`c.updated_at >= ${params.add(f.from)}`);
  if (f.to !== undefined) where.push(`c.created_at < ${params.add(f.to)}`);
  if (f.state) where.push(`c.state = ${params.add(f.state)}`);
  if (f.adminAssigneeId) where.push(`c.admin_assignee_id = ${params.add(f.adminAssigneeId)}`);
  if (f.teamAssigneeId) where.push(`c.team_assignee_id = ${params.add(f.teamAssigneeId)}`);
  if (f.tagId)
    where.push(
      `c.rid IN (SELECT conversation_rid FROM conversation_tags WHERE tag_id = ${params.add(f.tagId)})`,
    );
  if (customerPlan && 'rids' in customerPlan) {
    where.push(`c.rid = ANY(${params.add(customerPlan.rids)}::bigint[])`);
  } else if (customerPlan) {
    where.push(`c.rid IN (SELECT conversation_rid FROM conversation_contacts
      WHERE contact_id = ANY(${params.add(customerPlan.contacts)}::text[]))`);
  } else if (f.customer) {
    const like = params.add(contactPattern(f.customer));
    where.push(`c.rid IN (SELECT l.conversation_rid FROM conversation_contacts l JOIN contacts k ON k.id = l.contact_id
      WHERE ${CONTACT_MATCHES(like)})`);
  }
  return { sql: where.join(' AND '), text };
}

interface HitRow extends HitRowBase {
  customer: { name: string | null; email: string | null } | null;
  tags: string[];
  messages: number;
  bodies: string[] | null;
}

/**
 * A customer's few contacts are found first and their conversations looked up by id. Text that
 * matches thousands of contacts ("com") keeps their CUSTOMER_WINDOW newest conversations that pass
 * the other filters (types.ts): testing each conversation the search reaches read its vector too.
 */
async function customerPlan(db: Db, p: SearchParams): Promise<CustomerPlan> {
  const contacts = (
    await db.query<{ id: string }>(
      `SELECT k.id FROM contacts k WHERE ${CONTACT_MATCHES('$1')} LIMIT ${CUSTOMER_CONTACTS_BOUND + 1}`,
      [contactPattern(p.customer!)],
    )
  ).rows.map((r) => r.id);
  if (contacts.length <= CUSTOMER_CONTACTS_BOUND) return { contacts };
  // The contacts' conversations are gathered once and hashed; the newest are then found by walking
  // the conversations by time (a test of each one's contacts as it is reached cost 25 µs a row).
  const params = new Params();
  const others = conditions({ ...p, text: undefined, customer: undefined }, params);
  const like = params.add(contactPattern(p.customer!));
  const { rows } = await db.query<{ rid: number }>(
    `WITH theirs AS MATERIALIZED (SELECT l.conversation_rid FROM conversation_contacts l
       WHERE l.contact_id IN (SELECT k.id FROM contacts k WHERE ${CONTACT_MATCHES(like)}))
     SELECT c.rid FROM conversations c WHERE ${others.sql} AND c.rid IN (SELECT conversation_rid FROM theirs)
     ORDER BY c.updated_at DESC LIMIT ${CUSTOMER_WINDOW}`,
    params.values,
  );
  return { rids: rows.map((r) => r.rid) };
}

export async function search(db: Db, p: SearchParams): Promise<SearchPage> {
  const params = new Params();
  // Unreadable search text is refused before anything is read.
  if (p.text) parseSearchText(p.text);
  const plan = p.customer ? await customerPlan(db, p) : undefined;
  const where = conditions(p, params, plan);
  const to = countTo(p);
  const size = pageSize(p);
  const narrowed = plan !== undefined && 'rids' in plan && plan.rids.length === CUSTOMER_WINDOW;
  if (where.text)
    return textSearch(db, p, where.sql, where.text, params.values, {
      to,
      size,
      narrowed,
      few: plan !== undefined && 'rids' in plan,
    });
  // The count stops one past its bound (types.ts, COUNT_BOUND), read from an index where one
  // holds the filter.
  const n = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM conversations c WHERE ${where.sql}
         LIMIT ${to + 1}) m`,
      params.values,
    )
  ).rows[0]!.n;
  const counted = counts(n, to, narrowed);
  if (size === 0 || n === 0) return { hits: [], ...counted };
  const direction = p.sort === 'oldest' ? 'ASC' : 'DESC';
  const { rows } = await db.query<{ rid: number }>(
    `SELECT c.rid FROM conversations c WHERE ${where.sql}
     ORDER BY c.updated_at ${direction}, c.rid ${direction} LIMIT ${params.add(size)} OFFSET ${params.add(p.offset)}`,
    params.values,
  );
  const hits = await hitsFor(
    db,
    rows.map((r) => r.rid),
    undefined,
  );
  return { hits, ...counted };
}

/**
 * A search with text: its first matches in time order, as many as the count, the ranking or the
 * page needs (match-window.ts), counted, then ranked or paged from those. GIN has no index-only
 * scans, so each match counted is a visit to its row.
 */
async function textSearch(
  db: Db,
  p: SearchParams,
  where: string,
  { tsquery, words }: NonNullable<Conditions['text']>,
  values: unknown[],
  o: { to: number; size: number; narrowed: boolean; few: boolean },
): Promise<SearchPage> {
  const ranked = p.sort === 'relevance';
  const page = o.size === 0 ? 0 : ranked ? RANK_WINDOW : p.offset + o.size;
  const need = Math.max(o.to + 1, page);
  const matches = await matchesInOrder(db, where, values, need, p.sort === 'oldest', o.few);
  const counted = counts(matches.length, o.to, o.narrowed);
  if (o.size === 0 || matches.length === 0) return { hits: [], ...counted };
  if (!ranked) {
    const rids = matches.slice(p.offset, p.offset + o.size).map((m) => m.rid);
    return { hits: await hitsFor(db, rids, words), ...counted };
  }
  // The newest RANK_WINDOW matches are ranked, as on every engine, each vector read by its key.
  const window = matches.slice(0, RANK_WINDOW);
  const { rows } = await db.query<{ rid: number }>(
    `SELECT m.rid FROM unnest($1::bigint[], $2::bigint[]) AS m(rid, updated_at)
     ORDER BY (SELECT ts_rank(${WEIGHTS}, r.search_tsv, to_tsquery('fim', $3), ${RANK_NORMALIZATION})
       FROM conversations r WHERE r.rid = m.rid) DESC, m.updated_at DESC, m.rid DESC
     LIMIT ${o.size} OFFSET ${p.offset}`,
    [window.map((m) => m.rid), window.map((m) => m.updated_at), tsquery],
  );
  const hits = await hitsFor(
    db,
    rows.map((r) => r.rid),
    words,
  );
  return { hits, ...counted, ...rankedOf(counted, window.length) };
}

/**
 * The hits' rows, with a snippet around the first of `words` their text shows, made as SQLite
 * makes it (search-text.ts): ts_headline parsed each hit's text through the stemmer, 5 ms for a
 * page of 20 at 100k. Snippets come from the first messages of a thread: a 500-part thread is not
 * read whole.
 */
async function hitsFor(db: Db, rids: number[], words: string[] | undefined): Promise<SearchHit[]> {
  if (rids.length === 0) return [];
  const bodies = words
    ? `ARRAY(SELECT body FROM parts WHERE conversation_rid = c.rid AND body IS NOT NULL ORDER BY position LIMIT 100)`
    : 'NULL';
  const { rows } = await db.query<HitRow>(
    `SELECT c.rid, c.id, c.title, c.subject, c.source_body, c.state, c.created_at, c.updated_at,
       COALESCE((SELECT name FROM admins WHERE id = c.admin_assignee_id), c.admin_assignee_id) AS assignee,
       COALESCE((SELECT name FROM teams WHERE id = c.team_assignee_id), c.team_assignee_id) AS team,
       (SELECT json_build_object('name', k.name, 'email', k.email) FROM conversation_contacts l
         JOIN contacts k ON k.id = l.contact_id WHERE l.conversation_rid = c.rid ORDER BY l.contact_id LIMIT 1) AS customer,
       ARRAY(SELECT t.name FROM conversation_tags l JOIN tags t ON t.id = l.tag_id
         WHERE l.conversation_rid = c.rid ORDER BY t.name) AS tags,
       (SELECT count(*)::int FROM parts WHERE conversation_rid = c.rid
         AND part_type IN ('comment', 'note', 'quick_reply')) AS messages,
       ${bodies} AS bodies
     FROM conversations c WHERE c.rid = ANY($1::bigint[])`,
    [rids],
  );
  const byRid = new Map(rows.map((r) => [r.rid, r]));
  return rids.map((rid) => {
    const r = byRid.get(rid)!;
    return {
      id: r.id,
      subject: subjectOf({ title: r.title, subject: r.subject, sourceBody: r.source_body }),
      customer: r.customer,
      state: r.state,
      assignee: r.assignee,
      team: r.team,
      tags: r.tags,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      messageCount: 1 + r.messages,
      snippet: words
        ? snippet([r.subject, r.source_body, ...r.bodies!], words)
        : snippet([r.source_body], []),
    };
  });
}
