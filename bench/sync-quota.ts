/**
 * What the sync spends and how soon it is useful, on the API 2.16 emulator:
 * - a realistic day of changes: the calls an incremental sync makes, against the one thread fetch
 *   per changed conversation a sync without metadata-only updates needs;
 * - throughput while another app of the workspace spends half of every rate-limit window, against
 *   the share it leaves;
 * - a fresh 90-day install: how soon "this week" is answerable (covered), against the whole
 *   backfill.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WINDOW_MS } from '../src/emulator/rate-limit.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/emulator/server.js';
import type { Workspace } from '../src/emulator/workspace.js';
import { IntercomApi } from '../src/intercom/client.js';
import { clockFor } from '../src/time/clock.js';
import { freshness } from '../src/mcp/freshness.js';
import { parseTimeframe } from '../src/time/timeframe.js';
import { SqliteStore } from '../src/store/sqlite/store.js';
import { runSync } from '../src/sync/engine.js';

interface SyncBench {
  em: RunningEmulator;
  api: IntercomApi;
  store: SqliteStore;
  /** The store's file, for a second connection that watches it fill. */
  file: string;
}

async function withSync<T>(options: EmulatorOptions, fn: (ctx: SyncBench) => Promise<T>): Promise<T> {
  const em = await startEmulator(options);
  const file = join(mkdtempSync(join(tmpdir(), 'fim-bench-')), 'data.db');
  const store = new SqliteStore(file);
  try {
    return await fn({ em, api: new IntercomApi({ baseUrl: em.url, token: em.token }), store, file });
  } finally {
    await store.close();
    await em.stop();
  }
}

export interface DayOfChangesBench {
  changes: number;
  conversationsChanged: number;
  /** Conversations with a new part (reply, close, reopen): the thread fetches that are needed. */
  conversationsWithNewParts: number;
  threadCalls: number;
  apiCalls: number;
  /** What a sync that fetches every changed thread spends on threads. */
  threadPerChangeCalls: number;
}

interface DayChange {
  share: number;
  addsPart: boolean;
  apply: (ws: Workspace, id: string, n: number) => void;
}

/**
 * A support day's mix, as shares of the changes: replies from customers and teammates, closes,
 * reopens, and changes that add no part (tags, priorities, read flags, custom attributes).
 */
function dayMix(ws: Workspace): DayChange[] {
  const tag = ws.directory.tags[0]!.id;
  const admin = { kind: 'admin', adminId: ws.directory.humans[0]!.id } as const;
  const part = (input: Parameters<Workspace['addPart']>[1]): Omit<DayChange, 'share'> => ({
    addsPart: true,
    apply: (w, id) => void w.addPart(id, input),
  });
  const edit = (change: (n: number) => Parameters<Workspace['edit']>[1]): Omit<DayChange, 'share'> => ({
    addsPart: false,
    apply: (w, id, n) => void w.edit(id, change(n)),
  });
  return [
    {
      share: 0.2,
      ...part({ author: { kind: 'contact' }, partType: 'comment', body: '<p>Any news on this?</p>' }),
    },
    {
      share: 0.2,
      ...part({ author: admin, partType: 'comment', body: '<p>Looking into it.</p>' }),
    },
    { share: 0.12, ...part({ author: admin, partType: 'close', state: 'closed' }) },
    { share: 0.03, ...part({ author: admin, partType: 'open', state: 'open' }) },
    { share: 0.15, ...edit(() => ({ addTag: tag })) },
    { share: 0.05, ...edit(() => ({ removeTag: tag })) },
    { share: 0.08, ...edit((n) => ({ priority: n % 2 === 0 })) },
    { share: 0.12, ...edit(() => ({ read: true })) },
    { share: 0.05, ...edit(() => ({ attribute: true })) },
  ];
}

/** A day of `count` changes in the mix's shares, each with its conversation, ready to apply. */
export function dayOfChanges(
  ws: Workspace,
  count: number,
): { id: string; addsPart: boolean; apply: () => void }[] {
  const live = ws.live();
  const out: { id: string; addsPart: boolean; apply: () => void }[] = [];
  let i = 0;
  for (const { share, addsPart, apply } of dayMix(ws)) {
    for (let n = 0; n < Math.round(share * count); n++, i++) {
      // Busy conversations change more than once a day: a third of the changes revisit one changed earlier.
      const id = live[((i % 3 === 0 ? Math.floor(i / 3) : i) * 131) % live.length]!.id;
      const nth = n;
      out.push({ id, addsPart, apply: () => apply(ws, id, nth) });
    }
  }
  return out;
}

export async function measureDayOfChanges(opts: {
  conversations: number;
  changes: number;
}): Promise<DayOfChangesBench> {
  return withSync(
    { conversations: opts.conversations, days: 30, seed: 'bench-day' },
    async ({ em, api, store }) => {
      await runSync(api, store, { defaultDays: 30 });
      const changes = dayOfChanges(em.workspace, opts.changes);
      const changed = new Set(changes.map((c) => c.id));
      const withParts = new Set(changes.filter((c) => c.addsPart).map((c) => c.id));
      for (const c of changes) c.apply();
      em.settings.requestCounts.clear();
      const result = await runSync(api, store, { defaultDays: 30 });
      return {
        changes: changes.length,
        conversationsChanged: changed.size,
        conversationsWithNewParts: withParts.size,
        threadCalls: em.settings.requestCounts.get('GET /conversations/{id}') ?? 0,
        apiCalls: result.apiCalls,
        threadPerChangeCalls: changed.size,
      };
    },
  );
}

export interface NeighbourBench {
  neighbourShare: number;
  perWindow: number;
  conversations: number;
  apiCalls: number;
  seconds: number;
  callsPerSecond: number;
  /** Calls a second the other app leaves: (1 - share) × the window's allowance / 10 s. */
  shareLeftPerSecond: number;
  ratioToShareLeft: number;
  rateLimited: number;
  neighbourServed: number;
  neighbourRefused: number;
}

export async function measureNeighbour(opts: {
  conversations: number;
  perMinute: number;
}): Promise<NeighbourBench> {
  const share = 0.5;
  return withSync(
    {
      conversations: opts.conversations,
      days: 7,
      seed: 'bench-neighbour',
      perMinute: opts.perMinute,
      latencyMs: 150,
      jitterMs: 50,
      neighbourShare: share,
    },
    async ({ em, api, store }) => {
      // Start on a window's edge so that the run's first and last windows are whole ones.
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS - (Date.now() % WINDOW_MS) + 20));
      em.settings.resetCounts();
      const result = await runSync(api, store, { defaultDays: 7 });
      const seconds = result.elapsedMs / 1000;
      const perWindow = em.settings.limiter.perWindow;
      const shareLeftPerSecond = ((1 - share) * perWindow) / (WINDOW_MS / 1000);
      return {
        neighbourShare: share,
        perWindow,
        conversations: result.fetched,
        apiCalls: result.apiCalls,
        seconds,
        callsPerSecond: result.apiCalls / seconds,
        shareLeftPerSecond,
        ratioToShareLeft: result.apiCalls / seconds / shareLeftPerSecond,
        rateLimited: em.settings.rateLimited,
        neighbourServed: em.settings.limiter.neighbour.served,
        neighbourRefused: em.settings.limiter.neighbour.refused,
      };
    },
  );
}

export interface FirstAnswerBench {
  days: number;
  conversations: number;
  /** From the start of the first sync to "this week" being wholly covered. */
  thisWeekAnswerableSeconds: number;
  backfillSeconds: number;
}

export async function measureFirstAnswer(opts: { conversations: number }): Promise<FirstAnswerBench> {
  const days = 90;
  return withSync(
    {
      conversations: opts.conversations,
      days,
      seed: 'bench-first-hour',
      latencyMs: 150,
      jitterMs: 50,
      perMinute: 10_000,
    },
    async ({ api, store, file }) => {
      const reader = new SqliteStore(file);
      try {
        const started = Date.now();
        const week = parseTimeframe('this week', 'UTC');
        let answerableAt: number | undefined;
        const poll = setInterval(() => {
          // Judged as the answers judge it: the same freshness the tools report.
          void reader.status().then((s) => {
            const covered = freshness(s, Infinity, clockFor('UTC'), week).window_covered;
            if (answerableAt === undefined && covered) answerableAt = Date.now();
          });
        }, 100);
        const result = await runSync(api, store, { defaultDays: days });
        clearInterval(poll);
        return {
          days,
          conversations: result.fetched,
          thisWeekAnswerableSeconds: ((answerableAt ?? Date.now()) - started) / 1000,
          backfillSeconds: result.elapsedMs / 1000,
        };
      } finally {
        await reader.close();
      }
    },
  );
}
