/**
 * The "Data Integrity" section: the stored copy against the API (every conversation of the window,
 * a sample of whole threads) and against itself (thread-audit.ts), plus the schema check of every
 * raw response seen.
 */
import { count } from '../wording.js';
import type { OpenApiValidator } from '../emulator/openapi-validator.js';
import { MAX_PARTS_PER_CONVERSATION, MAX_PER_PAGE, type IntercomApi } from '../intercom/client.js';
import { engineNamed } from '../store/open.js';
import type { Store } from '../store/types.js';
import type { RawResponse } from './api-check.js';
import type { ReportItem } from './report.js';

const THREAD_SAMPLE = 10;

export interface IntegrityInput {
  api: IntercomApi;
  store: Store;
  validator: OpenApiValidator;
  since: number;
  /** When the sync ended: conversations updated later may be missing from the copy, rightly. */
  syncEndedAt: number;
  maxConversations: number | undefined;
  /** Raw answers from earlier steps, checked with this step's. */
  responses: RawResponse[];
}

interface ListedConversation {
  id: string;
  updated_at: number;
}

const examples = (ids: string[]) => (ids.length ? [`e.g. ${ids.slice(0, 5).join(', ')}`] : []);

export async function checkDataIntegrity(input: IntegrityInput): Promise<ReportItem[]> {
  const { api, store, validator } = input;
  const schemaErrors: string[] = [];
  let validated = 0;
  const validate = (method: string, route: string, status: number, body: unknown) => {
    validated++;
    for (const e of validator.validateResponse(method, route, status, body))
      schemaErrors.push(`${method} ${route}: ${e}`);
  };
  for (const r of input.responses) validate(r.method, r.route, r.status, r.body);

  // Every conversation the API lists for the window, walked with its own cursor.
  const listed: ListedConversation[] = [];
  let cursor: string | undefined;
  do {
    const r = await api.probe('POST', '/conversations/search', {
      query: { field: 'updated_at', operator: '>', value: input.since - 1 },
      pagination: { per_page: MAX_PER_PAGE, ...(cursor ? { starting_after: cursor } : {}) },
    });
    if (r.status !== 200) throw api.statusError('POST /conversations/search', r.status, r.body);
    validate('POST', '/conversations/search', r.status, r.body);
    const page = r.body as {
      conversations: ListedConversation[];
      pages?: { next?: { starting_after?: string } | null };
    };
    listed.push(...page.conversations);
    cursor = page.pages?.next?.starting_after ?? undefined;
  } while (cursor);

  const items: ReportItem[] = [];
  const audit = await store.auditThreads(Math.floor(Date.now() / 1000));
  const expected = listed.filter((c) => c.updated_at <= input.syncEndedAt);
  const stored = new Set(await store.liveIdsUpdatedBetween(input.since, Number.MAX_SAFE_INTEGER));
  const listedIds = new Set(listed.map((c) => c.id));
  const extra = [...stored].filter((id) => !listedIds.has(id));
  const missing = expected.filter((c) => !stored.has(c.id)).map((c) => c.id);
  const wanted =
    input.maxConversations === undefined
      ? expected.length
      : Math.min(input.maxConversations, expected.length);
  const idProblems = [
    ...(audit.duplicateIds ? [`${audit.duplicateIds} duplicate ids`] : []),
    ...(extra.length ? [`${extra.length} stored that the API does not list`] : []),
    ...(stored.size < wanted ? [`${wanted - stored.size} of the API's ${expected.length} not stored`] : []),
  ];
  items.push({
    label: 'Conversation IDs',
    mark: idProblems.length ? 'fail' : 'pass',
    value: idProblems.length
      ? idProblems.join('; ')
      : `All unique, no duplicates; ${stored.size} stored of the ${expected.length} the API lists for the window${input.maxConversations !== undefined && stored.size < expected.length ? ` (--max-conversations ${input.maxConversations})` : ''}`,
    ...(idProblems.length ? { details: examples(extra.length ? extra : missing) } : {}),
  });

  // Whole threads: the stored parts against `total_count`, and a sample against the API's own.
  const capped = audit.shortThreads.filter((t) => t.stored >= MAX_PARTS_PER_CONVERSATION);
  const incomplete = audit.shortThreads.filter((t) => t.stored < MAX_PARTS_PER_CONVERSATION);
  const sample = (
    await store.searchConversations({ sort: 'newest', limit: THREAD_SAMPLE, offset: 0 })
  ).hits.map((h) => h.id);
  const mismatched: string[] = [];
  for (const id of sample) {
    const r = await api.probe('GET', `/conversations/${id}?display_as=plaintext`);
    if (r.status !== 200) throw api.statusError(`GET /conversations/${id}`, r.status, r.body);
    validate('GET', '/conversations/{id}', r.status, r.body);
    const body = r.body as {
      conversation_parts: { conversation_parts: { id: string }[]; total_count: number };
    };
    const mine = await store.getConversation(id);
    const theirs = body.conversation_parts;
    if (
      !mine ||
      mine.partsTotal !== theirs.total_count ||
      mine.parts.map((p) => p.id).join() !== theirs.conversation_parts.map((p) => p.id).join()
    )
      mismatched.push(id);
  }
  items.push({
    label: 'Message Threading',
    mark: incomplete.length || mismatched.length ? 'warn' : 'pass',
    value:
      incomplete.length || mismatched.length
        ? `${count(incomplete.length, 'conversation')} ${incomplete.length === 1 ? 'has' : 'have'} incomplete message threads; ${mismatched.length} of ${sample.length} sampled differ from the API`
        : `All threads complete (parts = total_count); ${sample.length} sampled threads equal the API's` +
          (capped.length
            ? `; ${capped.length} longer than Intercom's ${MAX_PARTS_PER_CONVERSATION}-part cap, marked truncated`
            : ''),
    ...(incomplete.length || mismatched.length
      ? { details: examples([...mismatched, ...incomplete.map((t) => `${t.id} (${t.stored}/${t.total})`)]) }
      : {}),
  });
  items.push({
    label: 'Timestamps',
    mark: audit.outOfOrder.length || audit.futureTimestamps ? 'warn' : 'pass',
    value:
      audit.outOfOrder.length || audit.futureTimestamps
        ? `${count(audit.outOfOrder.length, 'thread')} out of chronological order; ${count(audit.futureTimestamps, 'timestamp')} in the future`
        : 'All in correct chronological order, none in the future',
    ...(audit.outOfOrder.length ? { details: examples(audit.outOfOrder) } : {}),
  });
  items.push({
    label: 'Customer Links',
    mark: audit.withoutCustomer.length || audit.unknownContacts ? 'warn' : 'pass',
    value:
      audit.withoutCustomer.length || audit.unknownContacts
        ? `${count(audit.withoutCustomer.length, 'conversation')} without a customer; ${count(audit.unknownContacts, 'linked contact')} not fetched`
        : 'All conversations linked to customers, every customer stored',
    ...(audit.withoutCustomer.length ? { details: examples(audit.withoutCustomer) } : {}),
  });
  items.push({
    label: 'Schema Validation',
    mark: schemaErrors.length ? 'warn' : 'pass',
    value: schemaErrors.length
      ? `${schemaErrors.length} differences from the Intercom OpenAPI description (2.16) in ${validated} responses`
      : `All ${validated} API responses match the Intercom OpenAPI description (2.16)`,
    ...(schemaErrors.length ? { details: schemaErrors.slice(0, 5) } : {}),
  });
  const problems = await store.integrityProblems();
  items.push({
    label: engineNamed(store.engine).integrityCheck,
    mark: problems.length ? 'fail' : 'pass',
    value: problems.length ? problems.slice(0, 3).join('; ') : 'ok',
  });
  return items;
}
