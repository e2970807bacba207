/**
 * Searching the PostgreSQL copy: the same filters, windows, sorting, paging and ranking-floor rule
 * as the SQLite engine, through the GIN index over the search vectors; ranked by ts_rank with
 * subject, people and messages weighted 4 : 2 : 1 (SQLite's bm25 weights), snippets by ts_headline.
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
const HEADLINE = `'StartSel=**, StopSel=**, MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=" … "'`;

export interface Conditions {
  sql: string;
  /** The text as a tsquery, and the SQL expression that reads it, when there is text. */
  text: { tsquery: string; query: string } | undefined;
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
    const tsquery = toTsQuery(parseSearchText(f.text));
    text = { tsquery, query: `to_tsquery('fim', ${params.add(tsquery)})` };
    where.push(`${VECTOR} @@ ${text.query}`);
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
  headline: string | null;
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
  // The count stops one past its bound (types.ts, COUNT_BOUND): GIN has no index-only scans, so
  // each match counted is a visit to its row.
  const to = countTo(p);
  const n = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM conversations c WHERE ${where.sql}
         LIMIT ${to + 1}) m`,
      params.values,
    )
  ).rows[0]!.n;
  const counted = counts(n, to, plan !== undefined && 'rids' in plan && plan.rids.length === CUSTOMER_WINDOW);
  const size = pageSize(p);
  if (size === 0 || n === 0) return { hits: [], ...counted };
  const limit = params.add(size);
  const offset = params.add(p.offset);
  const direction = p.sort === 'oldest' ? 'ASC' : 'DESC';
  const newest = (order: string) =>
    `SELECT c.rid, c.updated_at FROM conversations c WHERE ${where.sql} ORDER BY c.updated_at ${order}, c.rid ${order}`;
  if (where.text && p.sort === 'relevance') {
    // The newest RANK_WINDOW matches are ranked, as on every engine; their vectors are read after
    // the window is cut, one primary-key probe each (a join would be planned as a hash join over
    // every row), not carried through its sort.
    const { rows } = await db.query<{ rid: number; window: number }>(
      `SELECT m.rid, count(*) OVER ()::int AS window FROM (${newest('DESC')} LIMIT ${RANK_WINDOW}) m
       ORDER BY (SELECT ts_rank(${WEIGHTS}, r.search_tsv, ${where.text.query}, ${RANK_NORMALIZATION})
         FROM conversations r WHERE r.rid = m.rid) DESC, m.updated_at DESC, m.rid DESC
       LIMIT ${limit} OFFSET ${offset}`,
      params.values,
    );
    const hits = await hitsFor(
      db,
      rows.map((r) => r.rid),
      where.text.tsquery,
    );
    return { hits, ...counted, ...rankedOf(counted, rows[0]?.window ?? 0) };
  }
  const { rows } = await db.query<{ rid: number }>(
    `${newest(direction)} LIMIT ${limit} OFFSET ${offset}`,
    params.values,
  );
  const hits = await hitsFor(
    db,
    rows.map((r) => r.rid),
    where.text?.tsquery,
  );
  return { hits, ...counted };
}

async function hitsFor(db: Db, rids: number[], tsquery: string | undefined): Promise<SearchHit[]> {
  if (rids.length === 0) return [];
  // Snippets come from the first messages of a thread: a 500-part thread is not read whole.
  const headline = tsquery
    ? `ts_headline('fim', concat_ws(' ', c.subject, c.source_body, (SELECT string_agg(b.body, ' ' ORDER BY b.position)
         FROM (SELECT body, position FROM parts WHERE conversation_rid = c.rid AND body IS NOT NULL
           ORDER BY position LIMIT 100) b)), to_tsquery('fim', $2), ${HEADLINE})`
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
       ${headline} AS headline
     FROM conversations c WHERE c.rid = ANY($1::bigint[])`,
    tsquery ? [rids, tsquery] : [rids],
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
      snippet: r.headline !== null ? r.headline.replace(/\s+/g, ' ').trim() : snippet([r.source_body], []),
    };
  });
}
