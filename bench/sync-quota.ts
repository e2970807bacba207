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
import { startEmulator, type EmulatorOptions } from '../src/emulator/server.js';
import type { Workspace } from '../src/emulator/workspace.js';
import { IntercomApi } from '../src/intercom/client.js';
import { coveredFrom } from '../src/mcp/freshness.js';
import { parseTimeframe } from '../src/mcp/timeframe.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { runSync } from '../src/sync/engine.js';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'fim-bench-')), 'data.db');

async function withSync<T>(
  options: EmulatorOptions,
  fn: (ctx: {
    ws: Workspace;
    api: IntercomApi;
    store: SqliteStore;
    requests: () => Map<string, number>;
  }) => Promise<T>,
): Promise<T> {
  const em = await startEmulator(options);
  const store = new SqliteStore(tempDb());
  try {
    const api = new IntercomApi({ baseUrl: em.url, token: em.token });
    return await fn({ ws: em.workspace, api, store, requests: () => em.settings.requestCounts });
  } finally {
    store.close();
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

/**
 * A support day's mix, as shares of the changes: replies from customers and teammates, closes,
 * reopens, and changes that add no part (tags, priorities, read flags, custom attributes).
 */
const MIX: [kind: string, share: number][] = [
  ['customer reply', 0.2],
  ['teammate reply', 0.2],
  ['close', 0.12],
  ['reopen', 0.03],
  ['tag', 0.15],
  ['untag', 0.05],
  ['priority', 0.08],
  ['read', 0.12],
  ['attribute', 0.05],
];

export async function measureDayOfChanges(opts: {
  conversations: number;
  changes: number;
}): Promise<DayOfChangesBench> {
  return withSync(
    { conversations: opts.conversations, days: 30, seed: 'bench-day' },
    async ({ ws, api, store, requests }) => {
      await runSync(api, store, { defaultDays: 30 });
      const live = ws.live();
      const tag = ws.directory.tags[0]!.id;
      const admin = ws.directory.humans[0]!.id;
      const changed = new Set<string>();
      const withParts = new Set<string>();
      let i = 0;
      for (const [kind, share] of MIX) {
        for (let n = 0; n < Math.round(share * opts.changes); n++, i++) {
          // Busy conversations change more than once a day: a third of the changes revisit one changed earlier.
          const s = live[((i % 3 === 0 ? Math.floor(i / 3) : i) * 131) % live.length]!;
          changed.add(s.id);
          if (kind.endsWith('reply') || kind === 'close' || kind === 'reopen') withParts.add(s.id);
          if (kind === 'customer reply')
            ws.addPart(s.id, {
              author: { kind: 'contact' },
              partType: 'comment',
              body: '<p>Any news on this?</p>',
            });
          else if (kind === 'teammate reply')
            ws.addPart(s.id, {
              author: { kind: 'admin', adminId: admin },
              partType: 'comment',
              body: '<p>Looking into it.</p>',
            });
          else if (kind === 'close' || kind === 'reopen')
            ws.addPart(s.id, {
              author: { kind: 'admin', adminId: admin },
              partType: kind === 'close' ? 'close' : 'open',
              state: kind === 'close' ? 'closed' : 'open',
            });
          else if (kind === 'tag') ws.edit(s.id, { addTag: tag });
          else if (kind === 'untag') ws.edit(s.id, { removeTag: tag });
          else if (kind === 'priority') ws.edit(s.id, { priority: n % 2 === 0 });
          else if (kind === 'read') ws.edit(s.id, { read: true });
          else ws.edit(s.id, { attribute: true });
        }
      }
      requests().clear();
      const result = await runSync(api, store, { defaultDays: 30 });
      return {
        changes: i,
        conversationsChanged: changed.size,
        conversationsWithNewParts: withParts.size,
        threadCalls: requests().get('GET /conversations/{id}') ?? 0,
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
  const em = await startEmulator({
    conversations: opts.conversations,
    days: 7,
    seed: 'bench-neighbour',
    perMinute: opts.perMinute,
    latencyMs: 150,
    jitterMs: 50,
    neighbourShare: share,
  });
  const store = new SqliteStore(tempDb());
  try {
    const api = new IntercomApi({ baseUrl: em.url, token: em.token });
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
  } finally {
    store.close();
    await em.stop();
  }
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
  const em = await startEmulator({
    conversations: opts.conversations,
    days,
    seed: 'bench-first-hour',
    latencyMs: 150,
    jitterMs: 50,
    perMinute: 10_000,
  });
  const file = tempDb();
  const store = new SqliteStore(file);
  const reader = new SqliteStore(file);
  try {
    const api = new IntercomApi({ baseUrl: em.url, token: em.token });
    const started = Date.now();
    const week = parseTimeframe('this week', 'UTC');
    let answerableAt: number | undefined;
    const poll = setInterval(() => {
      // As the answers judge it (mcp/freshness.ts): up to where coverage ends, the window is complete.
      const coverage = reader.status().coverage;
      const start = coveredFrom(coverage, Math.min(week.to, Math.max(0, ...coverage.map((w) => w.to))));
      if (answerableAt === undefined && start !== undefined && start <= week.from) answerableAt = Date.now();
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
    reader.close();
    store.close();
    await em.stop();
  }
}
