/**
 * Sync throughput against the physical bound: Intercom's limit (10,000 calls a minute) and one call
 * per record read whole (a conversation's thread, a ticket with its parts, an article, a company's
 * contacts) make about 167 records a second the most a sync can do.
 * The emulator runs at 150 ms ± 50 ms latency, as the real API roughly does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WINDOW_MS } from '../src/emulator/rate-limit.js';
import { startEmulator } from '../src/emulator/server.js';
import { IntercomApi } from '../src/intercom/client.js';
import { openStore } from '../src/store/open.js';
import { percentile } from '../src/insights/service-levels.js';
import type { EngineName, Store } from '../src/store/types.js';
import type { Percentiles } from './query-latency.js';
import { runSync } from '../src/sync/engine.js';

const MEAN_LATENCY_S = 0.15;

export interface SyncBench {
  engine: EngineName;
  conversations: number;
  /**
   * Tickets, articles and companies read whole beside the conversations: each costs a call as a
   * thread does (a company, its contacts' page).
   */
  tickets: number;
  articles: number;
  companies: number;
  records: number;
  messages: number;
  seconds: number;
  conversationsPerSecond: number;
  messagesPerSecond: number;
  /** perMinute / 60: the bound, in records a second, if calls could spread evenly over the run. */
  boundConversationsPerSecond: number;
  ratioToBound: number;
  /**
   * The fastest any client could finish this run's calls under the emulator's fixed 10-second
   * windows: each window's whole allowance spent the moment it opens, every call taking the mean
   * latency. Because the run starts partway into a window, this beats the flat bound.
   */
  windowBound: {
    windowsNeeded: number;
    fastestSeconds: number;
    conversationsPerSecond: number;
    ratio: number;
  };
  apiCallsPerRecord: number;
  rateLimited: number;
  incrementalUnchanged: { apiCalls: number; seconds: number };
  incrementalOnePercent: { changed: number; apiCalls: number; threadCalls: number; seconds: number };
  /** Each kind's search in the synced copy, store calls (no MCP): when asked for. */
  searchMs?: Record<SearchKind, Percentiles>;
}

type SearchKind = 'conversations' | 'tickets' | 'articles' | 'companies';
/** Words support text is made of, and parts of company names: each search's query in turn. */
const WORDS = [
  'refund',
  'invoice',
  'login',
  'error',
  'slow',
  'export',
  'password',
  'billing',
  'crash',
  'sync',
];
const NAME_PARTS = ['labs', 'acme', 'cloud', 'health', 'media', 'stark', 'foods', 'ltd', 'wayne', 'systems'];

/** Each kind's search, `rounds` times through the words and once without any, timed one by one. */
async function timeSearches(store: Store, rounds: number): Promise<Record<SearchKind, Percentiles>> {
  const runs: Record<SearchKind, (word: string | undefined) => Promise<unknown>> = {
    conversations: (text) =>
      store.searchConversations({
        ...(text ? { text } : {}),
        sort: text ? 'relevance' : 'newest',
        limit: 20,
        offset: 0,
      }),
    tickets: (text) =>
      store.searchTickets({
        ...(text ? { text } : {}),
        sort: text ? 'relevance' : 'newest',
        limit: 20,
        offset: 0,
      }),
    articles: (text) =>
      store.searchArticles({ ...(text ? { text } : {}), state: 'published', limit: 10, offset: 0 }),
    companies: (text) => store.searchCompanies({ ...(text ? { text } : {}), limit: 10, offset: 0 }),
  };
  const out = {} as Record<SearchKind, Percentiles>;
  for (const [kind, run] of Object.entries(runs) as [
    SearchKind,
    (w: string | undefined) => Promise<unknown>,
  ][]) {
    const words = kind === 'companies' ? NAME_PARTS : WORDS;
    const times: number[] = [];
    for (let r = 0; r < rounds; r++)
      for (const word of [undefined, ...words]) {
        const t = performance.now();
        await run(word);
        times.push(performance.now() - t);
      }
    out[kind] = {
      count: times.length,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
    };
  }
  return out;
}

export async function measureSync(opts: {
  conversations: number;
  /** The workspace's other kinds, when not the emulator's defaults. */
  tickets?: number;
  companies?: number;
  articles?: number;
  /** Rounds of each kind's searches after the sync. */
  searchRounds?: number;
  databaseUrl?: string;
}): Promise<SyncBench> {
  const perMinute = 10_000;
  // All conversations fall inside the 7-day window being backfilled.
  const em = await startEmulator({
    conversations: opts.conversations,
    days: 7,
    seed: 'bench-sync',
    ...(opts.tickets !== undefined ? { tickets: opts.tickets } : {}),
    ...(opts.companies !== undefined ? { companies: opts.companies } : {}),
    ...(opts.articles !== undefined ? { articles: opts.articles } : {}),
    latencyMs: MEAN_LATENCY_S * 1000,
    jitterMs: 50,
    perMinute,
  });
  const store = await openStore({
    workspaceDir: mkdtempSync(join(tmpdir(), 'fim-bench-')),
    databaseUrl: opts.databaseUrl,
  });
  try {
    const api = new IntercomApi({ baseUrl: em.url, token: em.token });
    const since = Math.floor(Date.now() / 1000) - 7 * 86400 - 60;
    const startedMs = Date.now();
    const full = await runSync(api, store, { defaultDays: 7, since });
    const phaseSeconds = (startedMs % WINDOW_MS) / 1000;
    const windowsNeeded = Math.ceil(full.apiCalls / em.settings.limiter.perWindow);
    const fastestSeconds = Math.max(
      MEAN_LATENCY_S,
      ((windowsNeeded - 1) * WINDOW_MS) / 1000 - phaseSeconds + MEAN_LATENCY_S,
    );
    const seconds = full.elapsedMs / 1000;
    const bound = perMinute / 60;
    const records = full.fetched + full.tickets + full.articles + full.companies;
    const searchMs = opts.searchRounds ? await timeSearches(store, opts.searchRounds) : undefined;

    let t = Date.now();
    const unchanged = await runSync(api, store, { defaultDays: 7 });
    const unchangedSeconds = (Date.now() - t) / 1000;

    const live = em.workspace.live();
    const changed = Math.max(1, Math.round(live.length / 100));
    for (let i = 0; i < changed; i++) {
      em.workspace.addPart(live[(i * 97) % live.length]!.id, {
        author: { kind: 'contact' },
        partType: 'comment',
        body: '<p>Any update?</p>',
      });
    }
    const before = api.stats.byRoute.get('GET /conversations/{id}') ?? 0;
    t = Date.now();
    const incremental = await runSync(api, store, { defaultDays: 7 });
    return {
      engine: store.engine,
      conversations: full.fetched,
      tickets: full.tickets,
      articles: full.articles,
      companies: full.companies,
      records,
      messages: full.parts,
      seconds,
      conversationsPerSecond: full.fetched / seconds,
      messagesPerSecond: full.parts / seconds,
      boundConversationsPerSecond: bound,
      ratioToBound: records / seconds / bound,
      windowBound: {
        windowsNeeded,
        fastestSeconds,
        conversationsPerSecond: records / fastestSeconds,
        ratio: fastestSeconds / seconds,
      },
      apiCallsPerRecord: full.apiCalls / records,
      rateLimited: full.rateLimited,
      incrementalUnchanged: { apiCalls: unchanged.apiCalls, seconds: unchangedSeconds },
      incrementalOnePercent: {
        changed,
        apiCalls: incremental.apiCalls,
        threadCalls: (api.stats.byRoute.get('GET /conversations/{id}') ?? 0) - before,
        seconds: (Date.now() - t) / 1000,
      },
      ...(searchMs ? { searchMs } : {}),
    };
  } finally {
    await store.close();
    await em.stop();
  }
}
