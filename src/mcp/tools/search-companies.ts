/** search_companies: companies by a part of their name, company_id, website or industry, or by plan. */
import { z } from 'zod';
import { count, quote } from '../../wording.js';
import { answering } from '../deps.js';
import { decodeCursor, encodeCursor } from '../filters.js';
import { hitPage } from '../hit-page.js';
import { polledState, refuseUnread } from '../polled-kind.js';
import { cursorArg, freshnessShape, nameArg } from '../shapes.js';
import { COMPANIES, COMPANY_NOTE, companyLine, companyOut, companyShape } from './companies.js';
import { SEARCH_BUDGET } from './search-conversations.js';
import { defineTool, READ_ONLY } from './tool.js';

export const searchCompanies = defineTool({
  name: 'search_companies',
  title: 'Search companies',
  description:
    'Companies whose name, company_id, website or industry contains the text, on a plan: an exact name first, ' +
    `then the largest. ${COMPANY_NOTE}`,
  input: {
    query: nameArg.optional().describe('Part of a name, company_id, website or industry'),
    plan: nameArg.optional().describe("The plan's name"),
    limit: z.number().int().min(1).max(50).default(10),
    cursor: cursorArg,
  },
  output: {
    companies: z.array(companyShape),
    total: z.number(),
    next_cursor: z.string().optional(),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  run: async (args, deps) => {
    const a = await answering(deps);
    const state = await polledState(deps, a, COMPANIES);
    const text = args.query?.trim() || undefined;
    const search = { text, plan: args.plan?.trim() || undefined };
    const offset = args.cursor ? decodeCursor(args.cursor, search) : 0;
    const page = await deps.store.searchCompanies({ ...search, limit: args.limit, offset });
    if (page.total === 0) refuseUnread(state, 'No company found');
    const companies = page.hits.map((h) => companyOut(h, a));
    const listed = hitPage({
      head: `${count(page.total, 'company', 'companies')} ${text || search.plan ? 'match' : 'in the copy'}. ${state.freshness.note}`,
      rendered: companies.map(companyLine),
      offset,
      total: page.total,
      budget: SEARCH_BUDGET,
      cursorAt: (o) => encodeCursor(o, search),
      none: `No company${text ? ` matches ${quote(text)}` : ''}${search.plan ? ` on the plan ${quote(search.plan)}` : ''}.`,
    });
    return {
      text: listed.text,
      structured: {
        companies: companies.slice(0, listed.shown),
        total: page.total,
        next_cursor: listed.next,
        freshness: state.freshness,
      },
      empty: page.total === 0,
    };
  },
});
