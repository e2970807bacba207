/** Searching the local copy: full text ranked by BM25, filters, time windows, sorting, paging. */
import type Database from 'better-sqlite3';
import { snippet, toFtsQuery } from './fts-query.js';
import type { ConversationState } from './types.js';

export interface SearchParams {
  text?: string;
  /** Activity window: conversations updated at or after `from` and created before `to`. */
  from?: number;
  to?: number;
  state?: ConversationState;
  adminAssigneeId?: string;
  teamAssigneeId?: string;
  tagId?: string;
  /** Matches a linked contact's email or name, case-insensitively, as a substring. */
  customer?: string;
  sort: 'relevance' | 'newest' | 'oldest';
  limit: number;
  offset: number;
}

export interface SearchHit {
  id: string;
  subject: string;
  customer: { name: string | null; email: string | null } | null;
  state: ConversationState;
  assignee: string | null;
  team: string | null;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  messageCount: number;
  snippet: string;
}

export interface SearchPage {
  hits: SearchHit[];
  total: number;
}

interface HitRow {
  rid: number;
  id: string;
  title: string | null;
  subject: string | null;
  source_body: string | null;
  state: ConversationState;
  created_at: number;
  updated_at: number;
  parts_total: number;
  assignee: string | null;
  team: string | null;
}

export class ConversationSearch {
  constructor(private readonly db: Database.Database) {}

  search(p: SearchParams): SearchPage {
    const where: string[] = ['c.deleted_at IS NULL'];
    const args: Record<string, unknown> = {};
    let from = 'conversations c';
    let order = p.sort === 'oldest' ? 'c.updated_at ASC' : 'c.updated_at DESC';
    const parsed = p.text ? toFtsQuery(p.text) : undefined;
    if (parsed) {
      from = 'conversations_fts f JOIN conversations c ON c.rid = f.rowid';
      where.push('conversations_fts MATCH @match');
      args.match = parsed.match;
      if (p.sort === 'relevance') order = 'bm25(conversations_fts, 4.0, 1.0, 2.0), c.updated_at DESC';
    }
    if (p.from !== undefined) (where.push('c.updated_at >= @from'), (args.from = p.from));
    if (p.to !== undefined) (where.push('c.created_at < @to'), (args.to = p.to));
    if (p.state) (where.push('c.state = @state'), (args.state = p.state));
    if (p.adminAssigneeId) (where.push('c.admin_assignee_id = @admin'), (args.admin = p.adminAssigneeId));
    if (p.teamAssigneeId) (where.push('c.team_assignee_id = @team'), (args.team = p.teamAssigneeId));
    if (p.tagId) {
      where.push(
        'EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_rid = c.rid AND t.tag_id = @tag)',
      );
      args.tag = p.tagId;
    }
    if (p.customer) {
      where.push(`EXISTS (SELECT 1 FROM conversation_contacts l JOIN contacts k ON k.id = l.contact_id
        WHERE l.conversation_rid = c.rid AND (k.email LIKE @customer OR k.name LIKE @customer))`);
      args.customer = `%${p.customer}%`;
    }
    const whereSql = where.join(' AND ');
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${whereSql}`).get(args) as { n: number }
    ).n;
    const rows = this.db
      .prepare(
        `SELECT c.rid, c.id, c.title, c.subject, c.source_body, c.state, c.created_at, c.updated_at, c.parts_total,
           (SELECT name FROM admins WHERE id = c.admin_assignee_id) AS assignee,
           (SELECT name FROM teams WHERE id = c.team_assignee_id) AS team
         FROM ${from} WHERE ${whereSql} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...args, limit: p.limit, offset: p.offset }) as HitRow[];
    const customer = this.db
      .prepare(`SELECT k.name, k.email FROM conversation_contacts l JOIN contacts k ON k.id = l.contact_id
      WHERE l.conversation_rid = ? LIMIT 1`);
    const tags = this.db.prepare(
      `SELECT t.name FROM conversation_tags l JOIN tags t ON t.id = l.tag_id WHERE l.conversation_rid = ? ORDER BY t.name`,
    );
    const bodies = this.db.prepare(
      'SELECT body FROM parts WHERE conversation_rid = ? AND body IS NOT NULL ORDER BY position',
    );
    const messages = this.db.prepare(
      "SELECT count(*) AS n FROM parts WHERE conversation_rid = ? AND part_type IN ('comment', 'note', 'quick_reply')",
    );
    const hits = rows.map((r) => {
      const texts = parsed
        ? [r.subject, r.source_body, ...(bodies.all(r.rid) as { body: string }[]).map((b) => b.body)]
        : [r.source_body];
      return {
        id: r.id,
        subject: r.title || r.subject || (r.source_body ?? '').split('\n')[0]!.slice(0, 100),
        customer: (customer.get(r.rid) as { name: string | null; email: string | null } | undefined) ?? null,
        state: r.state,
        assignee: r.assignee,
        team: r.team,
        tags: (tags.all(r.rid) as { name: string }[]).map((t) => t.name),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        messageCount: 1 + (messages.get(r.rid) as { n: number }).n,
        snippet: snippet(texts, parsed?.terms ?? []),
      };
    });
    return { hits, total };
  }
}
