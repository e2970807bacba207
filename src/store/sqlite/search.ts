/** Searching the local copy: full text ranked by BM25, filters, time windows, sorting, paging. */
import type Database from 'better-sqlite3';
import { parseSearchText, snippet, type ParsedSearchText } from '../search-text.js';
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
import { RIDS_PER_SECOND } from './writer.js';
import type { HitRowBase } from '../thread-rows.js';
import { toFtsMatch } from './search-syntax.js';

/**
 * Matches beyond the page taken as candidates for a page by date: rowids follow updated_at except
 * among the threads one sync pass writes at once (40 in flight), so this covers their disorder.
 */
const DATE_CANDIDATE_MARGIN = 100;
// Explicit bm25 weights (subject, body, people): ORDER BY a bm25() call is cheaper than ORDER BY
// the table's configured `rank` (schema v2 sets the same weights there), which also ignores a
// rowid bound.
const SCORE = 'bm25(conversations_fts, 4.0, 1.0, 2.0)';

/** A search's conditions on `conversations c`, ready to run. */
interface Query {
  parsed: ParsedSearchText | undefined;
  /** Liveness and the filters besides text, when there are any such filters. */
  filtered: string | undefined;
  /** Liveness, the text match and the filters. */
  conditions: string;
  args: Record<string, unknown>;
  /** The lowest rowid active in the time window, when it bounds the matches. */
  lowest: number | undefined;
  /** Whether a customer filter looked only at CUSTOMER_WINDOW of its conversations. */
  narrowed: boolean;
}

const LIVE = 'c.deleted_at IS NULL';

export class ConversationSearch {
  // A search compiles a dozen statements, each costly to prepare; the SQL varies only with which
  // filters are set, so they are kept (and dropped all at once should that ever pass 200 kinds).
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private statement(sql: string, pluck = false): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size >= 200) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s.pluck(pluck);
  }

  search(p: SearchParams): SearchPage {
    const q = this.query(p);
    // Deleted conversations leave the index, so a text-only search counts in the index alone; with
    // filters, each match is probed in the narrow by-rid index, the full-text index the outer loop
    // (cheaper than collecting the matches into a list for the filters' rows to be tested against).
    // The count stops one past its bound (types.ts, COUNT_BOUND).
    const bound = q.lowest !== undefined ? ' AND f.rowid >= @lowest' : '';
    const passing = !q.parsed
      ? `SELECT 1 FROM conversations c WHERE ${q.conditions}`
      : q.filtered === undefined
        ? `SELECT 1 FROM conversations_fts f WHERE conversations_fts MATCH @match${bound}`
        : `SELECT 1 FROM conversations_fts f CROSS JOIN conversations c ON c.rid = f.rowid
           WHERE conversations_fts MATCH @match${bound} AND ${q.filtered}`;
    const countPassing = (past: number) =>
      this.statement(`SELECT count(*) FROM (${passing} LIMIT @countPast)`, true).get({
        ...q.args,
        countPast: past,
      }) as number;
    const to = countTo(p);
    // A deeper page costs a step per match before it.
    const limit = pageSize(p);
    if (q.parsed && p.sort === 'relevance' && limit > 0) {
      // Counted as far as the ranking reads, so that the answer says how many it ranked.
      const past = Math.max(to + 1, RANK_WINDOW);
      const page = this.relevancePage(q, past, limit, p.offset);
      // A page past the last match holds no row to carry the count.
      const matches = page.matches ?? (p.offset === 0 ? 0 : countPassing(past));
      const counted = counts(matches, to, q.narrowed);
      return {
        hits: this.hits(page.rids, q.parsed),
        ...counted,
        ...rankedOf(counted, Math.min(matches, RANK_WINDOW)),
      };
    }
    const counted = counts(countPassing(to + 1), to, q.narrowed);
    if (limit === 0) return { hits: [], ...counted };
    const direction = p.sort === 'oldest' ? 'ASC' : 'DESC';
    return { hits: this.hits(this.datePage(q, direction, limit, p.offset), q.parsed), ...counted };
  }

  private query(p: SearchParams): Query {
    // Unreadable search text is refused before anything is read.
    const parsed = p.text ? parseSearchText(p.text) : undefined;
    // Each filter is answered by a narrow index (migrations.ts, v2 and v3).
    const filters: string[] = [];
    const args: Record<string, unknown> = {};
    // A time window that holds every stored conversation ("last 30 days" over a 30-day copy) is
    // dropped: a search without filters counts and ranks in the full-text index alone.
    const oldest = p.from !== undefined ? this.oldestUpdate() : 0;
    const windowFrom = p.from !== undefined && p.from > oldest ? p.from : undefined;
    const windowTo = p.to !== undefined && p.to <= this.newestCreation() ? p.to : undefined;
    // Checking a match against the filters costs an index probe, about 250 ns; with a time window,
    // the matches below the window's lowest rid (see the writer: rids follow updated_at) are
    // skipped inside the full-text index instead. A lowest rid that is itself derived from an
    // updated_at at or after the window's start implies the window for every rid above it, so the
    // window is then no filter at all (a store written before rids followed updated_at keeps it).
    const lowest = parsed && windowFrom !== undefined ? this.lowestRidSince(windowFrom, oldest) : undefined;
    const implied = lowest !== undefined && lowest >= windowFrom! * RIDS_PER_SECOND;
    if (windowFrom !== undefined && !implied)
      (filters.push('c.updated_at >= @from'), (args.from = windowFrom));
    if (windowTo !== undefined) (filters.push('c.created_at < @to'), (args.to = windowTo));
    const narrowed = this.attributeFilters(p, filters, args, true);
    const filtered = filters.length > 0 ? [LIVE, ...filters].join(' AND ') : undefined;
    if (!parsed) return { parsed, filtered, conditions: filtered ?? LIVE, args, lowest: undefined, narrowed };
    args.match = toFtsMatch(parsed);
    if (lowest !== undefined) args.lowest = lowest;
    // Matches are filtered by rid through a narrow index, never by reading the wide rows.
    const matching = `c.rid IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH @match${
      lowest !== undefined ? ' AND rowid >= @lowest' : ''
    })`;
    return {
      parsed,
      filtered,
      conditions: [LIVE, matching, ...filters].join(' AND '),
      args,
      lowest,
      narrowed,
    };
  }

  /**
   * The state, assignee, team, tag and customer filters, each answered by a narrow index. With
   * `narrow`, a search's, a customer filter matching more than CUSTOMER_CONTACTS_BOUND contacts
   * keeps their CUSTOMER_WINDOW newest conversations (types.ts); the answer is whether it did.
   */
  private attributeFilters(
    p: SearchFilters,
    filters: string[],
    args: Record<string, unknown>,
    narrow: boolean,
  ): boolean {
    if (p.state) (filters.push('c.state = @state'), (args.state = p.state));
    if (p.adminAssigneeId) (filters.push('c.admin_assignee_id = @admin'), (args.admin = p.adminAssigneeId));
    if (p.teamAssigneeId) (filters.push('c.team_assignee_id = @team'), (args.team = p.teamAssigneeId));
    if (p.tagId) {
      filters.push('c.rid IN (SELECT conversation_rid FROM conversation_tags WHERE tag_id = @tag)');
      args.tag = p.tagId;
    }
    if (!p.customer) return false;
    // A customer's conversations are found once, through the contacts that match and the link
    // index, and each statement of the search reads that list: testing every conversation's
    // contacts instead grows with the whole workspace, not with the customer's conversations.
    const like = contactPattern(p.customer);
    const contacts = this.statement(
      `SELECT k.id FROM contacts k WHERE ${CONTACT_MATCHES('@like')} LIMIT ${CUSTOMER_CONTACTS_BOUND + 1}`,
      true,
    ).all({ like }) as string[];
    let rids: number[];
    let narrowed = false;
    if (contacts.length > CUSTOMER_CONTACTS_BOUND) {
      // Text that matches thousands of contacts ("com") would make that list most of the
      // workspace: the insights test each conversation as they read it; a search keeps the
      // newest that pass the other filters.
      const each = `EXISTS (SELECT 1 FROM conversation_contacts l JOIN contacts k ON k.id = l.contact_id
        WHERE l.conversation_rid = c.rid AND ${CONTACT_MATCHES('@customer')})`;
      args.customer = like;
      if (!narrow) return (filters.push(each), false);
      rids = this.statement(
        `SELECT c.rid FROM conversations c WHERE ${[LIVE, ...filters, each].join(' AND ')}
         ORDER BY c.updated_at DESC LIMIT ${CUSTOMER_WINDOW}`,
        true,
      ).all(args) as number[];
      narrowed = rids.length === CUSTOMER_WINDOW;
    } else {
      rids = this.statement(
        `SELECT DISTINCT l.conversation_rid FROM conversation_contacts l
         WHERE l.contact_id IN (SELECT value FROM json_each(?))`,
        true,
      ).all(JSON.stringify(contacts)) as number[];
    }
    filters.push('c.rid IN (SELECT value FROM json_each(@customerRids))');
    args.customerRids = JSON.stringify(rids);
    return narrowed;
  }

  /** Conditions on `conversations c` for live conversations passing these filters, text included. */
  conditions(f: SearchFilters): { sql: string; args: Record<string, unknown> } {
    const filters = [LIVE];
    const args: Record<string, unknown> = {};
    if (f.text) {
      filters.push('c.rid IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH @match)');
      args.match = toFtsMatch(parseSearchText(f.text));
    }
    this.attributeFilters(f, filters, args, false);
    return { sql: filters.join(' AND '), args };
  }

  /**
   * The page's rids by BM25, and how many matches were found up to `past` (at least RANK_WINDOW),
   * when the page has a row to say it. The newest RANK_WINDOW matches that pass the filters
   * are scored, and the page is taken from them by score; with no more matches than that, all
   * are, and the ranking is exact. They are found newest first, where FTS5 walks a doclist
   * backwards and stops at the window's end (a rowid floor it would read from the start, every
   * match below it included). The CROSS JOIN keeps the index the outer loop, so a filter never
   * turns the walk into a sort. One walk serves the count too: a prefix's doclist is merged anew
   * by each statement that reads it, 50 ms for three 3-letter prefixes at 100k.
   */
  private relevancePage(q: Query, past: number, limit: number, offset: number) {
    const filter = q.filtered === undefined ? '' : ` AND ${q.filtered}`;
    const join = q.filtered === undefined ? '' : ' CROSS JOIN conversations c ON c.rid = f.rowid';
    const bound = q.lowest !== undefined ? ' AND f.rowid >= @lowest' : '';
    // Scored, counted and sorted inside SQLite: a thousand rows handed to JavaScript cost more
    // than the walk they would save.
    const rows = this.statement(
      `WITH found AS MATERIALIZED (SELECT f.rowid AS frid, ${SCORE} AS score FROM conversations_fts f${join}
         WHERE conversations_fts MATCH @match${bound}${filter} ORDER BY f.rowid DESC LIMIT @past)
       SELECT frid, (SELECT count(*) FROM found) AS matches
       FROM (SELECT frid, score FROM found ORDER BY frid DESC LIMIT ${RANK_WINDOW})
       ORDER BY score, frid DESC LIMIT @limit OFFSET @offset`,
    ).all({ ...q.args, past, limit, offset }) as { frid: number; matches: number }[];
    return { rids: rows.map((r) => r.frid), matches: rows[0]?.matches };
  }

  /** The matches that pass the filters, by rid in the given direction, each one's rid and updated_at. */
  private passingMatches(q: Query, direction: 'ASC' | 'DESC'): string {
    const conditions = q.filtered === undefined ? '' : ` AND ${q.filtered}`;
    const bound = q.lowest !== undefined ? ' AND f.rowid >= @lowest' : '';
    return `SELECT c.rid, c.updated_at FROM conversations_fts f JOIN conversations c ON c.rid = f.rowid
      WHERE conversations_fts MATCH @match${bound}${conditions} ORDER BY f.rowid ${direction}`;
  }

  /**
   * The page's rids by updated_at. For a text search with many matches, the page is first looked
   * for among the matches nearest that end of the rowid order, since rowids follow updated_at;
   * it is kept when no stored conversation beyond them could sort before its last row, else every
   * match is sorted (a store written before rowids followed updated_at, say).
   */
  private datePage(q: Query, direction: 'ASC' | 'DESC', limit: number, offset: number) {
    const wanted = offset + limit;
    const order = `c.updated_at ${direction}, c.rid ${direction}`;
    if (q.parsed) {
      const m = wanted + DATE_CANDIDATE_MARGIN;
      const candidates = this.statement(`${this.passingMatches(q, direction)} LIMIT @m`).all({
        ...q.args,
        m,
      }) as { rid: number; updated_at: number }[];
      const sign = direction === 'DESC' ? -1 : 1;
      // The candidates arrive by rid: the last is the edge that everything beyond them is past.
      const edge = candidates[candidates.length - 1]?.rid;
      candidates.sort((a, b) => sign * (a.updated_at - b.updated_at || a.rid - b.rid));
      // Fewer than asked for are every match there is, sorted.
      if (candidates.length < m) return candidates.slice(offset, wanted).map((c) => c.rid);
      const last = candidates[wanted - 1]!;
      // Anything beyond the candidates sorts before the page's last row only if its updated_at is
      // at least as late (or as early): a walk of the filter index from that end, short because
      // the rows there are mostly the candidates themselves.
      const beyond =
        direction === 'DESC'
          ? 'c.updated_at >= @u AND c.rid < @edge'
          : 'c.updated_at <= @u AND c.rid > @edge';
      const overtaken = this.statement(
        `SELECT 1 FROM conversations c INDEXED BY conversations_filter WHERE ${LIVE} AND ${beyond} LIMIT 1`,
      ).get({ u: last.updated_at, edge });
      if (!overtaken) return candidates.slice(offset, wanted).map((c) => c.rid);
    }
    return this.statement(
      `SELECT c.rid FROM conversations c WHERE ${q.conditions} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
      true,
    ).all({ ...q.args, limit, offset }) as number[];
  }

  /** The page's rows, in order, with what a result shows of each. */
  private hits(rids: number[], parsed: ParsedSearchText | undefined): SearchHit[] {
    // The page is chosen on the narrow indexes alone; only its own rows are then read in full.
    const row = this.statement(
      `SELECT c.rid, c.id, c.title, c.subject, c.source_body, c.state, c.created_at, c.updated_at,
         COALESCE((SELECT name FROM admins WHERE id = c.admin_assignee_id), c.admin_assignee_id) AS assignee,
         COALESCE((SELECT name FROM teams WHERE id = c.team_assignee_id), c.team_assignee_id) AS team
       FROM conversations c WHERE c.rid = ?`,
    );
    const rows = rids.map((rid) => row.get(rid) as HitRowBase);
    const customer = this
      .statement(`SELECT k.name, k.email FROM conversation_contacts l JOIN contacts k ON k.id = l.contact_id
      WHERE l.conversation_rid = ? LIMIT 1`);
    const tags = this.statement(
      `SELECT t.name FROM conversation_tags l JOIN tags t ON t.id = l.tag_id WHERE l.conversation_rid = ? ORDER BY t.name`,
    );
    // Snippets come from the first messages of a thread: a 500-part thread is not read whole.
    const bodies = this.statement(
      'SELECT body FROM parts WHERE conversation_rid = ? AND body IS NOT NULL ORDER BY position LIMIT 100',
      true,
    );
    const messages = this.statement(
      "SELECT count(*) AS n FROM parts WHERE conversation_rid = ? AND part_type IN ('comment', 'note', 'quick_reply')",
    );
    function* threadTexts(r: HitRowBase): Generator<string | null> {
      yield r.subject;
      yield r.source_body;
      yield* bodies.iterate(r.rid) as IterableIterator<string>;
    }
    return rows.map((r) => {
      const texts = parsed ? threadTexts(r) : [r.source_body];
      return {
        id: r.id,
        subject: subjectOf({ title: r.title, subject: r.subject, sourceBody: r.source_body }),
        customer: (customer.get(r.rid) as { name: string | null; email: string | null } | undefined) ?? null,
        state: r.state,
        assignee: r.assignee,
        team: r.team,
        tags: (tags.all(r.rid) as { name: string }[]).map((t) => t.name),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        messageCount: 1 + (messages.get(r.rid) as { n: number }).n,
        snippet: snippet(texts, parsed?.words ?? []),
      };
    });
  }

  /**
   * The lowest rid among live conversations updated at or after `from`, read whichever way looks
   * shorter (about 40 ns an index entry): a recent window's own entries in the filter index, or
   * else the rows in rid order up to the first one inside the window, which, since rids follow
   * updated_at, crosses only the rows before it. The guess, from the stored time span, only picks
   * the walk; either gives the exact rid.
   */
  private lowestRidSince(from: number, oldestUpdate: number): number {
    const recent = this.newestUpdate() - from < from - oldestUpdate;
    const sql = recent
      ? `SELECT min(c.rid) FROM conversations c INDEXED BY conversations_filter
         WHERE ${LIVE} AND c.updated_at >= ?`
      : `SELECT c.rid FROM conversations c INDEXED BY conversations_by_rid
         WHERE ${LIVE} AND c.updated_at >= ? ORDER BY c.rid LIMIT 1`;
    return (this.statement(sql, true).get(from) as number | null | undefined) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Bounds of the stored rows over all of them, deleted too: each is one step down an index. */
  private newestUpdate(): number {
    return (this.statement('SELECT max(updated_at) FROM conversations', true).get() as number | null) ?? 0;
  }

  private oldestUpdate(): number {
    return (this.statement('SELECT min(updated_at) FROM conversations', true).get() as number | null) ?? 0;
  }

  private newestCreation(): number {
    return (
      (this.statement('SELECT max(created_at) FROM conversations', true).get() as number | null) ??
      Number.MAX_SAFE_INTEGER
    );
  }
}
