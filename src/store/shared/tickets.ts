/**
 * Tickets as both engines store them. A ticket is written in three steps: its row with no
 * `stored_version`, then its parts, contacts and links, then `stored_version`, whose write indexes
 * its text (each engine's DDL: a trigger). On SQLite, where these shared writes commit statement by
 * statement, a crash between them leaves a row without a version: `ticketVersions` does not list
 * it, so the next sync reads the ticket again, and nothing half-written is ever taken as whole.
 */
import type { Kysely, RawBuilder } from 'kysely';
import { TICKET_FACTS_SQL } from '../insight-rows.js';
import { ticketTerms } from '../customer-terms.js';
import { nameTerms } from './term-index.js';
import { jsonColumn } from './columns.js';
import { kysely } from './kysely.js';
import { parseSearchText, snippet, type ParsedSearchText } from '../search-text.js';
import { CONTACT_KEYS, contactPattern } from '../text-match.js';
import type {
  AttachmentRecord,
  AuthorType,
  NamedRef,
  TicketCategory,
  TicketPage,
  TicketRecord,
  TicketSearchParams,
  TicketStateCategory,
  TicketStats,
  TicketTypeRecord,
  TicketView,
} from '../types.js';
import type { SharedTables } from './tables.js';
import { replaceListed } from './upsert.js';

type Db = Kysely<SharedTables>;

/** Rows a multi-row insert of parts takes at once: 16 columns, far below both engines' limits. */
const PART_ROWS = 500;

export async function saveTicketTypes(db: Db, types: TicketTypeRecord[]): Promise<void> {
  const rows = types.map((t) => ({
    id: t.id,
    category: t.category,
    name: t.name,
    description: t.description,
    archived: t.archived ? 1 : 0,
  }));
  await replaceListed(db, 'ticket_types', rows, ['category', 'name', 'description', 'archived']);
}

export async function saveTicket(db: Db, t: TicketRecord): Promise<void> {
  const row = {
    number: t.number,
    type_id: t.typeId,
    category: t.category,
    state_id: t.stateId,
    state_category: t.stateCategory,
    state_label: t.stateLabel,
    previous_state_id: t.previousStateId,
    open: t.open ? 1 : 0,
    title: t.title,
    description: t.description,
    attributes: JSON.stringify(t.attributes),
    admin_assignee_id: t.adminAssigneeId,
    team_assignee_id: t.teamAssigneeId,
    snoozed_until: t.snoozedUntil,
    is_shared: t.isShared ? 1 : 0,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    parts_total: t.partsTotal,
    stored_version: null,
  };
  const { rid } = await db
    .insertInto('tickets')
    .values({ id: t.id, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .returning('rid')
    .executeTakeFirstOrThrow();
  for (const table of ['ticket_parts', 'ticket_contacts', 'ticket_links'] as const)
    await db.deleteFrom(table).where('ticket_rid', '=', rid).execute();
  const parts = t.parts.map((p, position) => ({
    ticket_rid: rid,
    position,
    id: p.id,
    part_type: p.partType,
    body: p.body,
    created_at: p.createdAt,
    author_type: p.author.type,
    author_id: p.author.id,
    author_name: p.author.name,
    author_email: p.author.email,
    state_category: p.stateCategory,
    assigned_to_type: p.assignedTo?.type ?? null,
    assigned_to_id: p.assignedTo?.id ?? null,
    attribute_name: p.attribute?.name ?? null,
    attribute_value: p.attribute?.value ?? null,
    attachments: p.attachments.length > 0 ? JSON.stringify(p.attachments) : null,
  }));
  for (let i = 0; i < parts.length; i += PART_ROWS)
    await db
      .insertInto('ticket_parts')
      .values(parts.slice(i, i + PART_ROWS))
      .execute();
  const contacts = [...new Set(t.contactIds)];
  if (contacts.length > 0)
    await db
      .insertInto('ticket_contacts')
      .values(contacts.map((contact_id) => ({ ticket_rid: rid, contact_id })))
      .execute();
  const links = [...new Map(t.linked.map((l) => [`${l.type} ${l.id}`, l])).values()];
  if (links.length > 0)
    await db
      .insertInto('ticket_links')
      .values(links.map((l) => ({ ticket_rid: rid, kind: l.type, linked_id: l.id })))
      .execute();
  const terms = ticketTerms(t, t.parts);
  const termsRow = { created_at: t.createdAt, terms: terms.packed };
  await db
    .insertInto('ticket_terms')
    .values({ rid, ...termsRow })
    .onConflict((oc) => oc.column('rid').doUpdateSet(termsRow))
    .execute();
  await nameTerms(db, terms.terms);
  // Its service-level facts from the parts just written, by the rule schema 16 used for the rest.
  const { sql } = kysely();
  await sql`${sql.raw(TICKET_FACTS_SQL('rid = '))}${rid}`.execute(db);
  await db.updateTable('tickets').set({ stored_version: t.updatedAt }).where('rid', '=', rid).execute();
}

export async function ticketVersions(db: Db, ids?: string[]): Promise<Map<string, number>> {
  if (ids?.length === 0) return new Map();
  const rows = await db
    .selectFrom('tickets')
    .select(['id', 'stored_version'])
    .where('stored_version', 'is not', null)
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids!))
    .execute();
  return new Map(rows.map((r) => [r.id, Number(r.stored_version)]));
}

/** The rows go, and their parts, contacts and links with them (each engine's cascade). */
export async function deleteTickets(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('tickets').where('id', 'in', ids).execute();
}

/**
 * How an engine finds the tickets whose text matches a query: the `(rid, score)` of each, and
 * which way its scores rank (bm25 lower is better; ts_rank higher).
 */
export interface TicketTextIndex {
  matches(parsed: ParsedSearchText): RawBuilder<{ rid: number; score: number }>;
  better: 'asc' | 'desc';
}

const named = (id: string | null, name: string | null | undefined): NamedRef | null =>
  id === null ? null : { id, name: name ?? null };

export type TicketFilters = Omit<TicketSearchParams, 'sort' | 'limit' | 'offset'>;

/** Stored tickets passing the filters, joined to `m`, the text's matches (and their scores). */
function matching(db: Db, p: TicketFilters, index: TicketTextIndex) {
  const { sql } = kysely();
  const parsed = p.text ? parseSearchText(p.text) : undefined;
  const like = p.customer ? contactPattern(p.customer) : undefined;
  const query = db
    .selectFrom('tickets as t')
    .leftJoin(
      (parsed
        ? index.matches(parsed)
        : // Without text, a row that joins nothing, so that one query serves both.
          sql<{ rid: number; score: number }>`(SELECT CAST(NULL AS BIGINT) AS rid, 0 AS score)`
      ).as('m'),
      'm.rid',
      't.rid',
    )
    .where('t.stored_version', 'is not', null)
    .$if(parsed !== undefined, (q) => q.where('m.rid', 'is not', null))
    .$if(p.stateCategory !== undefined, (q) => q.where('t.state_category', '=', p.stateCategory!))
    .$if(p.stateLabel !== undefined, (q) =>
      q.where(sql`lower(t.state_label)`, '=', p.stateLabel!.toLowerCase()),
    )
    .$if(p.typeId !== undefined, (q) => q.where('t.type_id', '=', p.typeId!))
    .$if(p.adminAssigneeId !== undefined, (q) => q.where('t.admin_assignee_id', '=', p.adminAssigneeId!))
    .$if(p.teamAssigneeId !== undefined, (q) => q.where('t.team_assignee_id', '=', p.teamAssigneeId!))
    .$if(p.open !== undefined, (q) => q.where('t.open', '=', p.open ? 1 : 0))
    .$if(p.from !== undefined, (q) => q.where('t.updated_at', '>=', p.from!))
    .$if(p.to !== undefined, (q) => q.where('t.created_at', '<', p.to!))
    .$if(p.companyId !== undefined, (q) =>
      q.where(
        't.rid',
        'in',
        db
          .selectFrom('ticket_contacts as l')
          .select('l.ticket_rid')
          .where(
            'l.contact_id',
            'in',
            db
              .selectFrom('company_contacts as m')
              .select('m.contact_id')
              .where('m.company_id', '=', p.companyId!),
          ),
      ),
    )
    .$if(like !== undefined, (q) =>
      q.where('t.rid', 'in', (sub) =>
        sub
          .selectFrom('ticket_contacts as l')
          .select('l.ticket_rid')
          .where('l.contact_id', 'in', (k) =>
            k
              .selectFrom('contacts as k')
              .select('k.id')
              // CONTACT_MATCHES, with the pattern bound as the builder binds values.
              .where(
                sql<boolean>`(${sql.join(
                  CONTACT_KEYS.map((key) => sql`${sql.ref(key)} LIKE ${like} ESCAPE '\\'`),
                  sql` OR `,
                )})`,
              ),
          ),
      ),
    );
  return { query, parsed };
}

export async function searchTickets(
  db: Db,
  p: TicketSearchParams,
  index: TicketTextIndex,
): Promise<TicketPage> {
  const { query: base, parsed } = matching(db, p, index);
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .leftJoin('ticket_types as y', 'y.id', 't.type_id')
    .leftJoin('admins as a', 'a.id', 't.admin_assignee_id')
    .leftJoin('teams as g', 'g.id', 't.team_assignee_id')
    .select([
      't.rid',
      't.id',
      't.number',
      't.title',
      't.description',
      't.category',
      'y.name as type',
      't.state_category',
      't.state_label',
      't.open',
      't.admin_assignee_id',
      'a.name as admin_name',
      't.team_assignee_id',
      'g.name as team_name',
      't.created_at',
      't.updated_at',
    ])
    .$if(p.sort === 'relevance' && parsed !== undefined, (q) => q.orderBy('m.score', index.better))
    .orderBy('t.updated_at', p.sort === 'oldest' ? 'asc' : 'desc')
    .orderBy('t.id')
    .limit(p.limit)
    .offset(p.offset)
    .execute();
  const bodies = await partBodies(
    db,
    rows.map((r) => Number(r.rid)),
  );
  return {
    total,
    hits: rows.map((r) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      category: r.category as TicketCategory,
      type: r.type,
      stateCategory: r.state_category as TicketStateCategory,
      stateLabel: r.state_label,
      open: Number(r.open) === 1,
      adminAssignee: named(r.admin_assignee_id, r.admin_name),
      teamAssignee: named(r.team_assignee_id, r.team_name),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      snippet: snippet([r.title, r.description, ...(bodies.get(Number(r.rid)) ?? [])], parsed?.words ?? []),
    })),
  };
}

/** The message texts of a page's tickets, in thread order, for their snippets. */
async function partBodies(db: Db, rids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (rids.length === 0) return out;
  const rows = await db
    .selectFrom('ticket_parts')
    .select(['ticket_rid', 'body'])
    .where('ticket_rid', 'in', rids)
    .where('body', 'is not', null)
    .orderBy('ticket_rid')
    .orderBy('position')
    .execute();
  for (const r of rows) out.set(Number(r.ticket_rid), [...(out.get(Number(r.ticket_rid)) ?? []), r.body!]);
  return out;
}

export async function readTicket(db: Db, idOrNumber: string): Promise<TicketView | undefined> {
  const found = (where: 'id' | 'number') =>
    db
      .selectFrom('tickets as t')
      .leftJoin('ticket_types as y', 'y.id', 't.type_id')
      .leftJoin('admins as a', 'a.id', 't.admin_assignee_id')
      .leftJoin('teams as g', 'g.id', 't.team_assignee_id')
      .selectAll('t')
      .select(['y.name as type_name', 'a.name as admin_name', 'g.name as team_name'])
      .where(`t.${where}`, '=', idOrNumber)
      .where('t.stored_version', 'is not', null)
      .executeTakeFirst();
  // The API's id first: an id and another ticket's inbox number may be the same digits.
  const t = (await found('id')) ?? (await found('number'));
  if (!t) return undefined;
  const rid = Number(t.rid);
  const [parts, contacts, links] = await Promise.all([
    // Each assignment's assignee named by the admin or team it names.
    db
      .selectFrom('ticket_parts as p')
      .leftJoin('admins as pa', (j) =>
        j.onRef('pa.id', '=', 'p.assigned_to_id').on('p.assigned_to_type', '=', 'admin'),
      )
      .leftJoin('teams as pt', (j) =>
        j.onRef('pt.id', '=', 'p.assigned_to_id').on('p.assigned_to_type', '=', 'team'),
      )
      .selectAll('p')
      .select(['pa.name as admin_name', 'pt.name as team_name'])
      .where('p.ticket_rid', '=', rid)
      .orderBy('p.position')
      .execute(),
    db
      .selectFrom('ticket_contacts as l')
      .leftJoin('contacts as k', 'k.id', 'l.contact_id')
      .select(['l.contact_id', 'k.name', 'k.email'])
      .where('l.ticket_rid', '=', rid)
      .orderBy('l.contact_id')
      .execute(),
    db.selectFrom('ticket_links').select(['kind', 'linked_id']).where('ticket_rid', '=', rid).execute(),
  ]);
  return {
    id: t.id,
    number: t.number,
    type: named(t.type_id, t.type_name),
    category: t.category as TicketCategory,
    stateId: t.state_id,
    stateCategory: t.state_category as TicketStateCategory,
    stateLabel: t.state_label,
    previousStateId: t.previous_state_id,
    open: Number(t.open) === 1,
    title: t.title,
    description: t.description,
    attributes: jsonColumn<Record<string, unknown>>(t.attributes),
    adminAssignee: named(t.admin_assignee_id, t.admin_name),
    teamAssignee: named(t.team_assignee_id, t.team_name),
    snoozedUntil: t.snoozed_until === null ? null : Number(t.snoozed_until),
    isShared: Number(t.is_shared) === 1,
    createdAt: Number(t.created_at),
    updatedAt: Number(t.updated_at),
    contacts: contacts.map((c) => ({ id: c.contact_id, name: c.name ?? null, email: c.email ?? null })),
    linked: links.map((l) => ({ type: l.kind as 'conversation' | 'ticket', id: l.linked_id })),
    partsTotal: Number(t.parts_total),
    parts: parts.map((p) => ({
      id: p.id,
      partType: p.part_type,
      body: p.body,
      createdAt: Number(p.created_at),
      author: {
        type: p.author_type as AuthorType,
        id: p.author_id ?? '',
        name: p.author_name,
        email: p.author_email,
      },
      stateCategory: p.state_category,
      assignedTo:
        p.assigned_to_type && p.assigned_to_id
          ? { type: p.assigned_to_type, id: p.assigned_to_id, name: p.admin_name ?? p.team_name ?? null }
          : null,
      attribute: p.attribute_name ? { name: p.attribute_name, value: p.attribute_value ?? '' } : null,
      attachments: p.attachments ? jsonColumn<AttachmentRecord[]>(p.attachments) : [],
    })),
  };
}

export async function ticketTypes(db: Db): Promise<(TicketTypeRecord & { tickets: number; open: number })[]> {
  const { sql } = kysely();
  const rows = await db
    .selectFrom('ticket_types as y')
    .leftJoin('tickets as t', (j) => j.onRef('t.type_id', '=', 'y.id').on('t.stored_version', 'is not', null))
    .select(({ fn }) => [
      'y.id',
      'y.category',
      'y.name',
      'y.description',
      'y.archived',
      fn.count<number>('t.rid').as('tickets'),
      fn.sum<number>(sql`coalesce(t.open, 0)`).as('open'),
    ])
    .groupBy(['y.id', 'y.category', 'y.name', 'y.description', 'y.archived'])
    .orderBy('y.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    category: r.category as TicketCategory,
    name: r.name,
    description: r.description,
    archived: Number(r.archived) === 1,
    tickets: Number(r.tickets),
    open: Number(r.open ?? 0),
  }));
}

/** How many tickets pass the filters, by state (category and label) and by type. */
export async function ticketStats(db: Db, p: TicketFilters, index: TicketTextIndex): Promise<TicketStats> {
  const { query } = matching(db, p, index);
  const [states, types] = await Promise.all([
    query
      .select(({ fn }) => ['t.state_category', 't.state_label', fn.countAll<number>().as('n')])
      .groupBy(['t.state_category', 't.state_label'])
      .execute(),
    query
      .leftJoin('ticket_types as y', 'y.id', 't.type_id')
      .select(({ fn }) => ['t.type_id', 'y.name', fn.countAll<number>().as('n')])
      .groupBy(['t.type_id', 'y.name'])
      .execute(),
  ]);
  const byState = states
    .map((r) => ({
      category: r.state_category as TicketStateCategory,
      label: r.state_label,
      count: Number(r.n),
    }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
  return {
    total: byState.reduce((n, r) => n + r.count, 0),
    byState,
    byType: types
      .map((r) => ({ id: r.type_id, name: r.name ?? null, count: Number(r.n) }))
      .sort((a, b) => b.count - a.count),
  };
}
