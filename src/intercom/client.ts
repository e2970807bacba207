/**
 * The Intercom API as the product uses it: the official SDK (intercom-client v7, API 2.14) over a
 * paced, retrying, counting fetch, with every response parsed by the schemas in schemas.ts and every
 * failure turned into an IntercomApiError. Nothing here knows whether it talks to the emulator.
 */
import { IntercomClient, IntercomError, IntercomTimeoutError, type Intercom } from 'intercom-client';
import type { z } from 'zod';
import { errorDetail, IntercomApiError, kindForStatus } from './errors.js';
import { RatePacer, readRateLimitHeaders, type RateLimitHeaders } from './rate-pacer.js';
import {
  createResilientFetch,
  DEFAULT_FETCH_OPTIONS,
  NETWORK_FAILURE_STATUS,
  type CallStats,
  type ResilientFetchOptions,
} from './resilient-fetch.js';
import {
  adminListSchema,
  contactListSchema,
  conversationListSchema,
  conversationSchema,
  meSchema,
  tagListSchema,
  teamListSchema,
  type ApiContact,
  type ApiConversation,
  type ApiConversationList,
  type ApiMe,
} from './schemas.js';

export const REGION_BASE_URLS = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
} as const;
export type Region = keyof typeof REGION_BASE_URLS;

export interface IntercomConnection {
  baseUrl: string;
  token: string;
  fetchOptions?: Partial<ResilientFetchOptions>;
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
/** Intercom returns at most this many parts of a conversation; `total_count` says how many exist. */
export const MAX_PARTS_PER_CONVERSATION = 500;

const options = (signal: AbortSignal | undefined) => (signal ? { abortSignal: signal } : {});

export class IntercomApi {
  readonly pacer = new RatePacer();
  readonly stats: CallStats;
  private readonly sdk: IntercomClient;
  private readonly fetch: typeof fetch;

  constructor(readonly connection: IntercomConnection) {
    const { fetch, stats } = createResilientFetch(this.pacer, {
      ...DEFAULT_FETCH_OPTIONS,
      ...connection.fetchOptions,
    });
    this.stats = stats;
    this.fetch = fetch;
    // Retries and time-outs are the resilient fetch's job; the SDK's own would double them.
    this.sdk = new IntercomClient({
      token: connection.token,
      baseUrl: connection.baseUrl.replace(/\/$/, ''),
      version: '2.14',
      maxRetries: 0,
      timeoutInSeconds: 3600,
      fetch,
    });
  }

  private async call<S extends z.ZodType>(
    what: string,
    schema: S,
    fn: () => Promise<unknown>,
  ): Promise<z.infer<S>> {
    let raw: unknown;
    try {
      raw = await fn();
    } catch (e) {
      throw this.translate(what, e);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new IntercomApiError(
        'malformed',
        `Unexpected response from ${what}: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim(),
      );
    }
    return parsed.data;
  }

  private translate(what: string, e: unknown): IntercomApiError {
    if (e instanceof IntercomApiError) return e;
    if (e instanceof IntercomTimeoutError) return new IntercomApiError('timeout', `${what} timed out`);
    if (e instanceof IntercomError && e.statusCode !== undefined)
      return this.statusError(what, e.statusCode, e.body);
    const message = e instanceof Error ? e.message : String(e);
    return new IntercomApiError('network', `Cannot reach Intercom at ${this.connection.baseUrl}: ${message}`);
  }

  /**
   * One request as Intercom answers it, unparsed, with its timing and rate-limit headers: the
   * integration test checks raw bodies against the OpenAPI description, which the zod schemas
   * (they keep only what the sync needs) cannot show.
   */
  async probe(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ProbeResult> {
    const started = performance.now();
    const res = await this.fetch(`${this.connection.baseUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.connection.token}`,
        accept: 'application/json',
        'intercom-version': '2.14',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: the caller reports the body as the schema mismatch it is.
    }
    return {
      status: res.status,
      body: json,
      elapsedMs: performance.now() - started,
      rateLimit: readRateLimitHeaders(res.headers),
    };
  }

  /** The error an HTTP failure stands for; `probe` callers use it for answers they cannot accept. */
  statusError(what: string, status: number, body: unknown): IntercomApiError {
    const detail = errorDetail(body);
    if (status === NETWORK_FAILURE_STATUS)
      return new IntercomApiError(
        'network',
        `Cannot reach Intercom at ${this.connection.baseUrl}: ${detail.message ?? 'no response'}`,
      );
    return new IntercomApiError(
      kindForStatus(status),
      `${what} failed: HTTP ${status}${detail.code ? ` ${detail.code}` : ''}${detail.message ? ` (${detail.message})` : ''}`,
      status,
      detail.code,
    );
  }

  me(): Promise<ApiMe> {
    return this.call('GET /me', meSchema, () => this.sdk.admins.identify());
  }

  async searchConversations(input: {
    query: SearchQuery;
    perPage: number;
    startingAfter?: string;
    sort?: { field: string; order: 'ascending' | 'descending' };
    signal?: AbortSignal;
  }): Promise<ApiConversationList> {
    // `sort` works on the real API but is undocumented (Intercom-OpenAPI issue 114), so the SDK's
    // request type lacks it; the SDK sends the body as given.
    const request = {
      query: input.query,
      pagination: {
        per_page: input.perPage,
        ...(input.startingAfter ? { starting_after: input.startingAfter } : {}),
      },
      ...(input.sort ? { sort: input.sort } : {}),
    } as unknown as Intercom.SearchRequest;
    return this.call('POST /conversations/search', conversationListSchema, async () => {
      const page = await this.sdk.conversations.search(request, options(input.signal));
      return page.response;
    });
  }

  /** The whole conversation with plaintext bodies, or null when Intercom says it does not exist. */
  async getConversation(id: string, signal?: AbortSignal): Promise<ApiConversation | null> {
    try {
      return await this.call(`GET /conversations/${id}`, conversationSchema, () =>
        this.sdk.conversations.find({ conversation_id: id, display_as: 'plaintext' }, options(signal)),
      );
    } catch (e) {
      if (e instanceof IntercomApiError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  async searchContactsByIds(ids: string[], signal?: AbortSignal): Promise<ApiContact[]> {
    const out: ApiContact[] = [];
    for (let i = 0; i < ids.length; i += MAX_PER_PAGE) {
      const chunk = ids.slice(i, i + MAX_PER_PAGE);
      const list = await this.call('POST /contacts/search', contactListSchema, async () => {
        const page = await this.sdk.contacts.search(
          {
            query: { field: 'id', operator: 'IN', value: chunk },
            pagination: { per_page: MAX_PER_PAGE },
          },
          options(signal),
        );
        return page.response;
      });
      out.push(...list.data);
    }
    return out;
  }

  listAdmins() {
    return this.call('GET /admins', adminListSchema, () => this.sdk.admins.list());
  }

  listTeams() {
    return this.call('GET /teams', teamListSchema, () => this.sdk.teams.list());
  }

  listTags() {
    return this.call('GET /tags', tagListSchema, () => this.sdk.tags.list());
  }
}
