/**
 * What webhooks buy, on the emulator with a real `serve` receiving them:
 * - the lag from a change in Intercom to that change being searchable through MCP, over a few
 *   hundred changes one after another, against the polling interval a copy without them waits;
 * - the API calls of a day of changes kept fresh by webhooks (and their polling safety net, run
 *   three times less often), against polling alone at the interval.
 */
import type { Client } from '@modelcontextprotocol/client';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { percentile } from '../src/insights/service-levels.js';
import { startServeProcess, type ServeProcess } from '../src/integration/serve-process.js';
import { IntercomApi } from '../src/intercom/client.js';
import { SqliteStore } from '../src/store/sqlite/store.js';
import { runSync } from '../src/sync/engine.js';
import { tempWorkspace } from '../test/helpers/cli.js';
import { dayOfChanges } from './sync-quota.js';

const TOKEN = 'bench-webhooks-token';
const SECRET = 'bench-webhooks-secret';
/** The default background interval: what a copy without webhooks waits for a change, at worst. */
export const POLLING_MINUTES = 10;
/** Polls in a day at that interval, and with webhooks flowing (three times less often). */
const PERIODS = (24 * 60) / POLLING_MINUTES;
const STRETCH = 3;

export interface WebhookBench {
  lag: { changes: number; p50Ms: number; p95Ms: number; maxMs: number; pollingIntervalMinutes: number };
  day: {
    changes: number;
    polls: number;
    pollingApiCalls: number;
    webhooks: { apiCalls: number; fromNotifications: number; fromSafetyNetPolls: number; polls: number };
    /** Share of polling's calls that webhooks save. */
    saved: number;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const totalCalls = (em: RunningEmulator) =>
  [...em.settings.requestCounts.values()].reduce((a, b) => a + b, 0);

interface Mirror {
  em: RunningEmulator;
  dir: string;
  store: SqliteStore;
  api: IntercomApi;
}

async function mirror(conversations: number): Promise<Mirror> {
  const em = await startEmulator({ conversations, days: 30, seed: 'bench-webhooks' });
  const dir = tempWorkspace('fim-bench-webhooks-');
  const store = new SqliteStore(`${dir}/data.db`);
  const api = new IntercomApi({ baseUrl: em.url, token: em.token });
  await runSync(api, store, { defaultDays: 30 });
  return { em, dir, store, api };
}

async function receiving(m: Mirror): Promise<ServeProcess> {
  const serve = await startServeProcess(
    m.dir,
    {
      INTERCOM_API_BASE_URL: m.em.url,
      INTERCOM_ACCESS_TOKEN: m.em.token,
      FASTINTERCOM_WEBHOOK_SECRET: SECRET,
    },
    TOKEN,
  );
  const r = await fetch(`${m.em.url}/_emulator/webhooks`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: new URL('/webhooks/intercom', serve.url).toString(), clientSecret: SECRET }),
  });
  if (!r.ok) throw new Error(`subscribing: ${r.status} ${await r.text()}`);
  return serve;
}

async function queueEmpty(store: SqliteStore): Promise<void> {
  while ((await store.notificationStats()).pending > 0) await sleep(10);
}

async function measureLag(conversations: number, changes: number): Promise<WebhookBench['lag']> {
  const m = await mirror(conversations);
  const serve = await receiving(m);
  const client: Client = await serve.connect();
  const lags: number[] = [];
  try {
    const live = m.em.workspace.live();
    for (let i = 0; i < changes; i++) {
      const word = `lagprobe${i}q`;
      const t0 = performance.now();
      m.em.workspace.addPart(live[(i * 37) % live.length]!.id, {
        author: { kind: 'contact' },
        partType: 'comment',
        body: `<p>Still broken, ${word}</p>`,
      });
      for (;;) {
        const r = (await client.callTool({
          name: 'search_conversations',
          arguments: { query: word, limit: 1 },
        })) as {
          structuredContent?: { total: number };
        };
        if ((r.structuredContent?.total ?? 0) >= 1) break;
        await sleep(10);
      }
      lags.push(performance.now() - t0);
    }
  } finally {
    await client.close();
    await serve.stop();
    await m.store.close();
    await m.em.stop();
  }
  const sorted = lags.slice().sort((a, b) => a - b);
  return {
    changes,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.at(-1)!,
    pollingIntervalMinutes: POLLING_MINUTES,
  };
}

/** The day's changes spread over the day's polling periods, each period's applied at once. */
function periodsOf(m: Mirror, changes: number): (() => void)[][] {
  const all = dayOfChanges(m.em.workspace, changes);
  return Array.from({ length: PERIODS }, (_, p) =>
    all.filter((_, i) => i % PERIODS === p).map((c) => c.apply),
  );
}

async function measureDay(conversations: number, changes: number): Promise<WebhookBench['day']> {
  const polling = await mirror(conversations);
  let pollingApiCalls = 0;
  try {
    polling.em.settings.requestCounts.clear();
    for (const period of periodsOf(polling, changes)) {
      for (const apply of period) apply();
      await runSync(polling.api, polling.store, { defaultDays: 30 });
    }
    pollingApiCalls = totalCalls(polling.em);
  } finally {
    await polling.store.close();
    await polling.em.stop();
  }

  const hooked = await mirror(conversations);
  const serve = await receiving(hooked);
  let fromNotifications = 0;
  let fromSafetyNetPolls = 0;
  let polls = 0;
  try {
    hooked.em.settings.requestCounts.clear();
    const periods = periodsOf(hooked, changes);
    for (const [p, period] of periods.entries()) {
      const before = totalCalls(hooked.em);
      for (const apply of period) apply();
      await hooked.em.webhooks.settled();
      await queueEmpty(hooked.store);
      fromNotifications += totalCalls(hooked.em) - before;
      if (p % STRETCH === STRETCH - 1) {
        const pollBefore = totalCalls(hooked.em);
        await runSync(hooked.api, hooked.store, { defaultDays: 30 });
        fromSafetyNetPolls += totalCalls(hooked.em) - pollBefore;
        polls++;
      }
    }
  } finally {
    await serve.stop();
    await hooked.store.close();
    await hooked.em.stop();
  }
  const apiCalls = fromNotifications + fromSafetyNetPolls;
  return {
    changes,
    polls: PERIODS,
    pollingApiCalls,
    webhooks: { apiCalls, fromNotifications, fromSafetyNetPolls, polls },
    saved: 1 - apiCalls / pollingApiCalls,
  };
}

export async function measureWebhooks(o: {
  conversations: number;
  lagChanges: number;
  dayChanges: number;
}): Promise<WebhookBench> {
  return {
    lag: await measureLag(o.conversations, o.lagChanges),
    day: await measureDay(o.conversations, o.dayChanges),
  };
}
