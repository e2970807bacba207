/**
 * The Intercom API as the product uses it (API version 2.16): plain HTTP over a paced, retrying,
 * counting transport, with every response parsed by the schemas in schemas.ts and every failure turned
 * into an IntercomApiError. Nothing here knows whether it talks to the emulator.
 *
 * Why not the official SDK (intercom-client): importing it alone costs a third of the syncing
 * process's memory budget (docs/performance.md), for the seven endpoints we call. The
 * emulator's tests still drive the SDK (a dev dependency) to prove the emulator speaks its API.
 */
import type { z } from 'zod';
import { redact } from '../redact.js';
import { REGION_BASE_URLS } from '../config/regions.js';
import { errorDetail, IntercomApiError, kindForStatus, type IntercomErrorKind } from './errors.js';
import { RatePacer, readRateLimitHeaders, type RateLimitHeaders } from './rate-pacer.js';
import {
  createResilientRequest,
  DEFAULT_REQUEST_OPTIONS,
  NETWORK_FAILURE_STATUS,
  type CallStats,
  type HttpAnswer,
  type HttpRequest,
  type ResilientRequestOptions,
} from './resilient-request.js';
import {
  adminListSchema,
  articleListSchema,
  articleSchema,
  collectionListSchema,
  companyContactsSchema,
  companySchema,
  companyScrollSchema,
  contactListSchema,
  conversationListSchema,
  conversationSchema,
  deletedConversationListSchema,
  meSchema,
  tagListSchema,
  teamListSchema,
  ticketListSchema,
  ticketSchema,
  ticketTypeListSchema,
  type ApiArticle,
  type ApiArticleList,
  type ApiCompany,
  type ApiCompanyScroll,
  type ApiContact,
  type ApiConversation,
  type ApiConversationList,
  type ApiDeletedConversationList,
  type ApiMe,
  type ApiTicket,
  type ApiTicketList,
  type ApiTicketTypeList,
  type ApiWriteAnswer,
  writeAnswerSchema,
  type ApiTicketStateList,
  ticketStateListSchema,
} from './schemas.js';

/** The newest stable version: it lists deleted conversations (`GET /conversations/deleted`). */
export const API_VERSION = '2.16';

export interface IntercomConnection {
  baseUrl: string;
  token: string;
  requestOptions?: Partial<ResilientRequestOptions>;
}

export interface ProbeResult {
  status: number;
  body: unknown;
  elapsedMs: number;
  rateLimit: RateLimitHeaders | undefined;
}

/** A search filter in Intercom's query language. */
export type SearchQuery =
  | { field: string; operator: string; value: string | number | boolean | (string | number)[] | null }
  | { operator: 'AND' | 'OR'; value: SearchQuery[] };

export const MAX_PER_PAGE = 150;
const HELP_CENTER_PER_PAGE = 50;

/** What a retrieve found, or null when Intercom says it does not exist (deleted, or never was). */
async function orNullWhenGone<T>(answer: Promise<T>): Promise<T | null> {
  try {
    return await answer;
  } catch (e) {
    if (e instanceof IntercomApiError && e.kind === 'not_found') return null;
    throw e;
  }
}
/** Intercom returns at most this many parts of a conversation; `total_count` says how many exist. */
export const MAX_PARTS_PER_CONVERSATION = 500;

export class IntercomApi {
  readonly pacer: RatePacer;
  readonly stats: CallStats;
  private readonly request: (req: HttpRequest) => Promise<HttpAnswer>;

  constructor(readonly connection: IntercomConnection) {
    this.pacer = new RatePacer(connection.requestOptions?.onWait);
    const { request, stats } = createResilientRequest(this.pacer, {
      ...DEFAULT_REQUEST_OPTIONS,
      ...connection.requestOptions,
    });
    this.stats = stats;
    this.request = request;
  }

  private async call<S extends z.ZodType>(
    schema: S,
    method: HttpRequest['method'],
    path: string,
    body?: unknown,
    signal?: AbortSignal,
    once = false,
  ): Promise<z.infer<S>> {
    const what = `${method} ${path.split('?')[0]}`;
    let res: ProbeResult;
    try {
      res = await this.probe(method, path, body, signal, once);
    } catch (e) {
      if (signal?.aborted) throw e;
      throw this.fail(
        'network',
        `Cannot reach Intercom at ${this.connection.baseUrl}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (res.status < 200 || res.status > 299) throw this.statusError(what, res.status, res.body);
    const parsed = schema.safeParse(res.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw this.fail(
        'malformed',
        `Unexpected response from ${what}: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim(),
      );
    }
    return parsed.data;
  }

  /**
   * One request as Intercom answers it, unparsed, with its timing and rate-limit headers: the
   * integration test checks raw bodies against the OpenAPI description, which the zod schemas
   * (they keep only what the sync needs) cannot show.
   */
  async probe(
    method: HttpRequest['method'],
    path: string,
    body?: unknown,
    signal?: AbortSignal,
    once = false,
  ): Promise<ProbeResult> {
    const started = performance.now();
    const res = await this.request({
      url: `${this.connection.baseUrl.replace(/\/$/, '')}${path}`,
      method,
      ...(once ? { once } : {}),
      headers: {
        authorization: `Bearer ${this.connection.token}`,
        accept: 'application/json',
        'intercom-version': API_VERSION,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    let json: unknown = res.text;
    try {
      json = JSON.parse(res.text);
    } catch {
      // Not JSON: the caller reports the body as the schema mismatch it is.
    }
    return {
      status: res.status,
      body: json,
      elapsedMs: performance.now() - started,
      rateLimit: readRateLimitHeaders(res.header),
    };
  }

  /**
   * Every error this client makes, with the token taken out where it is made: an upstream body
   * that echoes the Authorization header would otherwise carry it into the database, the status,
   * the MCP answers and the log.
   */
  private fail(kind: IntercomErrorKind, message: string, status?: number, code?: string): IntercomApiError {
    const secrets = [this.connection.token];
    return new IntercomApiError(
      kind,
      redact(message, secrets),
      status,
      code === undefined ? undefined : redact(code, secrets),
    );
  }

  /** The error an HTTP failure stands for; `probe` callers use it for answers they cannot accept. */
  statusError(what: string, status: number, body: unknown): IntercomApiError {
    const detail = errorDetail(body);
    if (status === NETWORK_FAILURE_STATUS)
      return this.fail(
        'network',
        `Cannot reach Intercom at ${this.connection.baseUrl}: ${detail.message ?? 'no response'}`,
      );
    return this.fail(
      kindForStatus(status),
      `${what} failed: HTTP ${status}${detail.code ? ` ${detail.code}` : ''}${detail.message ? ` (${detail.message})` : ''}${status === 404 ? this.pathHint() : ''}`,
      status,
      detail.code,
    );
  }

  /** Intercom's API lives at its host's root: a base URL with a path turns every call into a 404. */
  private pathHint(): string {
    const path = new URL(this.connection.baseUrl).pathname.replace(/\/+$/, '');
    return path
      ? `. The API base URL ${this.connection.baseUrl} has a path (${path}); Intercom's API is at the host's root, such as ${REGION_BASE_URLS.us}`
      : '';
  }

  /**
   * A write (a reply, a part, a tag, a ticket update), sent once: a failure whose outcome is unknown
   * (5xx, a lost connection) throws, and the caller reads the target before deciding to send again.
   * Intercom's answer is the record written; only its id is relied on.
   */
  write(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<ApiWriteAnswer> {
    return this.call(writeAnswerSchema, method, path, body, signal, true);
  }

  me(signal?: AbortSignal): Promise<ApiMe> {
    return this.call(meSchema, 'GET', '/me', undefined, signal);
  }

  /** `sort` works on the real API but is undocumented (Intercom-OpenAPI issue 114). */
  async searchConversations(input: {
    query: SearchQuery;
    perPage: number;
    startingAfter?: string;
    sort?: { field: string; order: 'ascending' | 'descending' };
    signal?: AbortSignal;
  }): Promise<ApiConversationList> {
    const request = {
      query: input.query,
      pagination: {
        per_page: input.perPage,
        ...(input.startingAfter ? { starting_after: input.startingAfter } : {}),
      },
      ...(input.sort ? { sort: input.sort } : {}),
    };
    return this.call(conversationListSchema, 'POST', '/conversations/search', request, input.signal);
  }

  /** The whole conversation with plaintext bodies, or null when Intercom says it does not exist. */
  getConversation(id: string, signal?: AbortSignal): Promise<ApiConversation | null> {
    return orNullWhenGone(
      this.call(
        conversationSchema,
        'GET',
        `/conversations/${encodeURIComponent(id)}?display_as=plaintext`,
        undefined,
        signal,
      ),
    );
  }

  /** One page of deleted conversation ids, newest deletion first: 60 is the most a page holds. */
  listDeletedConversations(page: number, signal?: AbortSignal): Promise<ApiDeletedConversationList> {
    return this.call(
      deletedConversationListSchema,
      'GET',
      `/conversations/deleted?per_page=60&order=desc&page=${page}`,
      undefined,
      signal,
    );
  }

  async searchContactsByIds(ids: string[], signal?: AbortSignal): Promise<ApiContact[]> {
    const out: ApiContact[] = [];
    for (let i = 0; i < ids.length; i += MAX_PER_PAGE) {
      const chunk = ids.slice(i, i + MAX_PER_PAGE);
      const list = await this.call(
        contactListSchema,
        'POST',
        '/contacts/search',
        { query: { field: 'id', operator: 'IN', value: chunk }, pagination: { per_page: MAX_PER_PAGE } },
        signal,
      );
      out.push(...list.data);
    }
    return out;
  }

  listAdmins(signal?: AbortSignal) {
    return this.call(adminListSchema, 'GET', '/admins', undefined, signal);
  }

  listTeams(signal?: AbortSignal) {
    return this.call(teamListSchema, 'GET', '/teams', undefined, signal);
  }

  listTags(signal?: AbortSignal) {
    return this.call(tagListSchema, 'GET', '/tags', undefined, signal);
  }

  /**
   * One page of every article in every state, the most recently updated first. The description
   * declares no page size: 50 a page, well inside what the Help Center API has taken.
   */
  listArticles(page: number, signal?: AbortSignal): Promise<ApiArticleList> {
    return this.call(
      articleListSchema,
      'GET',
      `/articles?page=${page}&per_page=${HELP_CENTER_PER_PAGE}`,
      undefined,
      signal,
    );
  }

  /** One article, or null when Intercom says it does not exist (deleted). */
  getArticle(id: string, signal?: AbortSignal): Promise<ApiArticle | null> {
    return orNullWhenGone(
      this.call(articleSchema, 'GET', `/articles/${encodeURIComponent(id)}`, undefined, signal),
    );
  }

  /**
   * One page of the tickets a query finds (without their parts), with how many it finds in all:
   * the same query language and stateless cursors as conversation search.
   */
  searchTickets(input: {
    query: SearchQuery;
    perPage: number;
    startingAfter?: string;
    signal?: AbortSignal;
  }): Promise<ApiTicketList> {
    const request = {
      query: input.query,
      pagination: {
        per_page: input.perPage,
        ...(input.startingAfter ? { starting_after: input.startingAfter } : {}),
      },
    };
    return this.call(ticketListSchema, 'POST', '/tickets/search', request, input.signal);
  }

  /** A ticket with its parts (the 500 most recent), or null when Intercom says it does not exist. */
  getTicket(id: string, signal?: AbortSignal): Promise<ApiTicket | null> {
    return orNullWhenGone(
      this.call(ticketSchema, 'GET', `/tickets/${encodeURIComponent(id)}`, undefined, signal),
    );
  }

  listTicketStates(signal?: AbortSignal): Promise<ApiTicketStateList> {
    return this.call(ticketStateListSchema, 'GET', '/ticket_states', undefined, signal);
  }

  listTicketTypes(signal?: AbortSignal): Promise<ApiTicketTypeList> {
    return this.call(ticketTypeListSchema, 'GET', '/ticket_types', undefined, signal);
  }

  /**
   * The next page of the companies scroll, or its first when `scrollParam` is undefined (which
   * opens it: one may be open per app at a time). An empty page is its end.
   */
  scrollCompanies(scrollParam: string | undefined, signal?: AbortSignal): Promise<ApiCompanyScroll> {
    const query = scrollParam ? `?scroll_param=${encodeURIComponent(scrollParam)}` : '';
    return this.call(companyScrollSchema, 'GET', `/companies/scroll${query}`, undefined, signal);
  }

  /** One company, or null when Intercom says it does not exist (deleted). */
  getCompany(id: string, signal?: AbortSignal): Promise<ApiCompany | null> {
    return orNullWhenGone(
      this.call(companySchema, 'GET', `/companies/${encodeURIComponent(id)}`, undefined, signal),
    );
  }

  /** Every contact of a company, page by page; null when the company is gone. */
  async companyContacts(id: string, signal?: AbortSignal): Promise<ApiContact[] | null> {
    const out: ApiContact[] = [];
    for (let page = 1; ; page++) {
      const list = await orNullWhenGone(
        this.call(
          companyContactsSchema,
          'GET',
          `/companies/${encodeURIComponent(id)}/contacts?page=${page}&per_page=${MAX_PER_PAGE}`,
          undefined,
          signal,
        ),
      );
      if (!list) return null;
      out.push(...list.data);
      if (list.data.length === 0 || page >= (list.pages?.total_pages ?? page)) return out;
    }
  }

  listCollections(page: number, signal?: AbortSignal) {
    return this.call(
      collectionListSchema,
      'GET',
      `/help_center/collections?page=${page}&per_page=${HELP_CENTER_PER_PAGE}`,
      undefined,
      signal,
    );
  }
}
