/**
 * The company routes (2.16): the scroll (companies-scroll.ts keeps its rules), the page-numbered
 * list that stops at 10,000 companies as Intercom's does, retrieval by id, by `company_id` or by
 * name, and contacts both ways.
 */
import { ApiError, invalid, notFound } from './api-errors.js';
import { numbered, type ApiRequest, type ApiRoute } from './api-route.js';
import type { Company } from './companies.js';
import { renderContact } from './render.js';
import type { Workspace } from './workspace.js';

/** Deep pages of the list fail: past this many companies only the scroll reaches. */
const LIST_LIMIT = 10_000;
const MAX_PER_PAGE = 150;

const companyNotFound = () => new ApiError(404, 'company_not_found', 'Company Not Found');

export function renderCompany(ws: Workspace, c: Company) {
  return {
    type: 'company',
    id: c.id,
    name: c.name,
    app_id: ws.idCode,
    plan: c.plan ? { type: 'plan', id: c.plan.id, name: c.plan.name } : {},
    company_id: c.companyId,
    remote_created_at: c.remoteCreatedAt,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    last_request_at: c.lastRequestAt,
    size: c.size,
    website: c.website,
    industry: c.industry,
    monthly_spend: c.monthlySpend,
    session_count: c.sessionCount,
    user_count: ws.companies.userCount(c),
    custom_attributes: c.customAttributes,
    tags: {
      type: 'tag.list' as const,
      tags: c.tagIds.map((id) => ({
        type: 'tag',
        id,
        name: ws.directory.tag(id)!.name,
      })),
    },
    segments: { type: 'segment.list' as const, segments: [] },
  };
}

function listPage(ws: Workspace, req: ApiRequest, all: Company[], perPage: number) {
  const page = numbered(all, req, perPage, MAX_PER_PAGE);
  if ((page.pages.page - 1) * page.pages.per_page >= LIST_LIMIT)
    throw invalid(
      `The companies list stops at ${LIST_LIMIT} companies: use the scroll API beyond it`,
      'page',
    );
  return {
    type: 'list',
    pages: page.pages,
    total_count: all.length,
    data: page.items.map((c) => renderCompany(ws, c)),
  };
}

function company(ws: Workspace, id: string): Company {
  const found = ws.companies.find(id);
  if (!found) throw companyNotFound();
  return found;
}

export const COMPANY_ROUTES: ApiRoute[] = [
  {
    method: 'GET',
    path: '/companies/scroll',
    handle: (ws, req) => {
      const { ids, param } = ws.companies.scrolls.page(req.query.get('scroll_param'), () =>
        ws.companies.live().map((c) => c.id),
      );
      const data = ids.map((id) => ws.companies.find(id)).filter((c) => c !== undefined);
      return {
        type: 'list',
        data: data.map((c) => renderCompany(ws, c)),
        pages: null,
        total_count: null,
        scroll_param: param,
      };
    },
  },
  {
    method: 'POST',
    path: '/companies/list',
    handle: (ws, req) => {
      const order = req.query.get('order') ?? 'desc';
      if (order !== 'asc' && order !== 'desc') throw invalid('order must be asc or desc', 'order');
      const all = ws.companies.live();
      return listPage(ws, req, order === 'desc' ? all.reverse() : all, 15);
    },
  },
  {
    method: 'GET',
    path: '/companies',
    handle: (ws, req) => {
      const byField = (['company_id', 'name'] as const).find((f) => req.query.has(f));
      if (byField) {
        const found = ws.companies.findBy(byField === 'name' ? 'name' : 'companyId', req.query.get(byField)!);
        if (!found) throw companyNotFound();
        return listPage(ws, req, [found], 15);
      }
      const tag = req.query.get('tag_id');
      const all = ws.companies.live().filter((c) => tag === null || c.tagIds.includes(tag));
      return listPage(ws, req, req.query.has('segment_id') ? [] : all.reverse(), 15);
    },
  },
  {
    method: 'GET',
    path: '/companies/{company_id}',
    handle: (ws, req) => renderCompany(ws, company(ws, req.params.company_id!)),
  },
  {
    method: 'GET',
    path: '/companies/{company_id}/contacts',
    handle: (ws, req) => {
      const members = ws.companies.contactsOf(company(ws, req.params.company_id!));
      const { items, pages } = numbered(members, req, 50, MAX_PER_PAGE);
      return {
        type: 'list',
        data: items.map((i) => renderContact(ws.directory.contact(i), ws)),
        total_count: members.length,
        pages,
      };
    },
  },
  {
    method: 'GET',
    path: '/contacts/{contact_id}/companies',
    handle: (ws, req) => {
      const contact = ws.directory.contactById(req.params.contact_id!);
      if (!contact) throw notFound('User');
      const all = ws.companies.companiesOf(contact.index);
      const { items, pages } = numbered(all, req, 50, MAX_PER_PAGE);
      return {
        type: 'list',
        companies: items.map((c) => renderCompany(ws, c)),
        total_count: all.length,
        pages: { ...pages, next: null },
      };
    },
  },
];
