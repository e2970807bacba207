/**
 * Companies as both engines store them, and the contacts linked to each. A search scans the
 * folded keys with LIKE: a workspace holds thousands of companies, and the keys fold alike on
 * both engines (text-match.ts). A company's open work is its contacts' open conversations and
 * tickets.
 */
import type { Kysely } from 'kysely';
import { jsonColumn, orNull } from './columns.js';
import { kysely } from './kysely.js';
import { fold, likeContains, likeStartsWith, subjectOf } from '../text-match.js';
import type {
  CompanyHit,
  CompanyPage,
  CompanyRecord,
  CompanySearchParams,
  CompanyVersion,
  CompanyView,
  TicketStateCategory,
} from '../types.js';
import type { SharedTables } from './tables.js';
import { upsertById } from './upsert.js';

type Db = Kysely<SharedTables>;

/** People, open conversations and tickets a company's answer lists; the counts say how many in all. */
const VIEW_LIMIT = 20;
const LINK_BATCH = 500;

const COLUMNS = [
  'company_id',
  'name',
  'name_key',
  'search_key',
  'plan',
  'plan_key',
  'size',
  'website',
  'industry',
  'monthly_spend',
  'session_count',
  'user_count',
  'created_at',
  'updated_at',
  'last_request_at',
  'custom_attributes',
  'tags',
] as const;

/** Rows saved after their contacts, which were read at `contactsReadAt`. */
export async function saveCompanies(
  db: Db,
  companies: CompanyRecord[],
  contactsReadAt: number,
): Promise<void> {
  const rows = companies.map((c) => ({
    id: c.id,
    company_id: c.companyId,
    name: c.name,
    name_key: fold(c.name),
    search_key: fold([c.name, c.companyId, c.website, c.industry].filter(Boolean).join('\n')),
    plan: c.plan,
    plan_key: fold(c.plan),
    size: c.size,
    website: c.website,
    industry: c.industry,
    monthly_spend: c.monthlySpend,
    session_count: c.sessionCount,
    user_count: c.userCount,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    last_request_at: c.lastRequestAt,
    custom_attributes: JSON.stringify(c.customAttributes),
    tags: JSON.stringify(c.tags),
    contacts_read_at: contactsReadAt,
  }));
  await upsertById(db, 'companies', rows, [...COLUMNS, 'contacts_read_at']);
}

/**
 * Each company's contacts as Intercom lists them now, replacing its stored links. Its contacts'
 * read time is set here for a stored row, and with the row for a new one (saveCompanies).
 */
export async function saveCompanyContacts(
  db: Db,
  links: { companyId: string; contactIds: string[] }[],
  at: number,
): Promise<void> {
  if (links.length === 0) return;
  const ids = links.map((l) => l.companyId);
  await db.deleteFrom('company_contacts').where('company_id', 'in', ids).execute();
  const rows = links.flatMap((l) =>
    [...new Set(l.contactIds)].map((contact_id) => ({ company_id: l.companyId, contact_id })),
  );
  for (let i = 0; i < rows.length; i += LINK_BATCH)
    await db
      .insertInto('company_contacts')
      .values(rows.slice(i, i + LINK_BATCH))
      .execute();
  await db.updateTable('companies').set({ contacts_read_at: at }).where('id', 'in', ids).execute();
}

export async function companyVersions(db: Db, ids?: string[]): Promise<Map<string, CompanyVersion>> {
  if (ids?.length === 0) return new Map();
  const rows = await db
    .selectFrom('companies')
    .select(['id', 'updated_at', 'user_count', 'contacts_read_at'])
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids!))
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        updatedAt: Number(r.updated_at),
        userCount: orNull(r.user_count),
        contactsReadAt: orNull(r.contacts_read_at),
      },
    ]),
  );
}

/** The row first, so the company leaves every answer even if its links' delete never comes. */
export async function deleteCompanies(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('companies').where('id', 'in', ids).execute();
  await db.deleteFrom('company_contacts').where('company_id', 'in', ids).execute();
}

function searched(db: Db, p: Omit<CompanySearchParams, 'limit' | 'offset'>) {
  const { sql } = kysely();
  return db
    .selectFrom('companies as o')
    .$if(p.text !== undefined, (q) =>
      q.where(sql<boolean>`o.search_key LIKE ${likeContains(fold(p.text!.trim()))} ESCAPE '\\'`),
    )
    .$if(p.plan !== undefined, (q) => q.where('o.plan_key', '=', fold(p.plan!.trim())));
}

const contactCount = () =>
  kysely().sql<number>`(SELECT count(*) FROM company_contacts l WHERE l.company_id = o.id)`.as('contacts');

function toHit(r: Record<string, unknown>): CompanyHit {
  return {
    id: r.id as string,
    companyId: r.company_id as string | null,
    name: r.name as string | null,
    plan: r.plan as string | null,
    size: orNull(r.size),
    website: r.website as string | null,
    industry: r.industry as string | null,
    monthlySpend: orNull(r.monthly_spend),
    sessionCount: orNull(r.session_count),
    userCount: orNull(r.user_count),
    createdAt: orNull(r.created_at),
    updatedAt: Number(r.updated_at),
    lastRequestAt: orNull(r.last_request_at),
    customAttributes: jsonColumn(r.custom_attributes),
    tags: jsonColumn(r.tags),
    contacts: Number(r.contacts),
  };
}

/**
 * Companies whose name, company_id, website or industry contains the text, on a plan: an exact
 * name first, then names that start with it, then the largest accounts.
 */
export async function searchCompanies(db: Db, p: CompanySearchParams): Promise<CompanyPage> {
  const { sql } = kysely();
  const base = searched(db, p);
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const key = p.text === undefined ? undefined : fold(p.text.trim());
  const rows = await base
    .selectAll('o')
    .select(contactCount())
    .$if(key !== undefined, (q) =>
      q
        .orderBy(sql`CASE WHEN o.name_key = ${key} THEN 0 ELSE 1 END`)
        .orderBy(sql`CASE WHEN o.name_key LIKE ${likeStartsWith(key!)} ESCAPE '\\' THEN 0 ELSE 1 END`),
    )
    .orderBy(sql`coalesce(o.user_count, 0)`, 'desc')
    .orderBy('o.name')
    .orderBy('o.id')
    .limit(p.limit)
    .offset(p.offset)
    .execute();
  return { total, hits: rows.map((r) => toHit(r as unknown as Record<string, unknown>)) };
}

/** An API id first, then a company_id, then an exact name (any case): the largest account first. */
export async function findCompanies(db: Db, ref: string): Promise<string[]> {
  const { sql } = kysely();
  const text = ref.trim();
  for (const where of ['id', 'company_id', 'name_key'] as const) {
    const rows = await db
      .selectFrom('companies')
      .select('id')
      .where(where, '=', where === 'name_key' ? fold(text) : text)
      .orderBy(sql`coalesce(user_count, 0)`, 'desc')
      .orderBy('id')
      .limit(5)
      .execute();
    if (rows.length > 0) return rows.map((r) => r.id);
  }
  return [];
}

export async function readCompany(db: Db, id: string): Promise<CompanyView | undefined> {
  const { sql } = kysely();
  const row = await db
    .selectFrom('companies as o')
    .selectAll('o')
    .select(contactCount())
    .where('o.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const members = () =>
    db.selectFrom('company_contacts as m').select('m.contact_id').where('m.company_id', '=', id);
  const openConversations = db
    .selectFrom('conversations as c')
    .where(
      'c.rid',
      'in',
      db
        .selectFrom('conversation_contacts as l')
        .select('l.conversation_rid')
        .where('l.contact_id', 'in', members()),
    )
    .where('c.deleted_at', 'is', null)
    .where('c.state', '=', 'open');
  const tickets = db
    .selectFrom('tickets as t')
    .where('t.stored_version', 'is not', null)
    .where(
      't.rid',
      'in',
      db.selectFrom('ticket_contacts as l').select('l.ticket_rid').where('l.contact_id', 'in', members()),
    );
  const count = (n: { n: number | bigint | string }) => Number(n.n);
  const [people, conversations, conversationTotal, ticketRows, ticketTotal] = await Promise.all([
    db
      .selectFrom('contacts as k')
      .select(['k.id', 'k.name', 'k.email'])
      .where('k.id', 'in', members())
      .orderBy('k.name')
      .orderBy('k.id')
      .limit(VIEW_LIMIT)
      .execute(),
    openConversations
      .select([
        'c.id',
        'c.title',
        'c.subject',
        sql<string | null>`substr(c.source_body, 1, 400)`.as('sourceBody'),
        'c.updated_at',
      ])
      .orderBy('c.updated_at', 'desc')
      .limit(VIEW_LIMIT)
      .execute(),
    openConversations.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    tickets
      .select(['t.id', 't.number', 't.title', 't.state_category', 't.state_label', 't.open', 't.updated_at'])
      .orderBy('t.open', 'desc')
      .orderBy('t.updated_at', 'desc')
      .limit(VIEW_LIMIT)
      .execute(),
    tickets.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    ...toHit(row as unknown as Record<string, unknown>),
    people,
    openConversations: conversations.map((c) => ({
      id: c.id,
      subject: subjectOf({ title: c.title, subject: c.subject, sourceBody: c.sourceBody }),
      updatedAt: Number(c.updated_at),
    })),
    openConversationCount: count(conversationTotal),
    tickets: ticketRows.map((t) => ({
      id: t.id,
      number: t.number,
      title: t.title,
      stateCategory: t.state_category as TicketStateCategory,
      stateLabel: t.state_label,
      open: Number(t.open) === 1,
      updatedAt: Number(t.updated_at),
    })),
    ticketCount: count(ticketTotal),
  };
}
