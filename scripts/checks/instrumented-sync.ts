/**
 * What the diagnostic scripts share: the Intercom they measure (the real API when a token is
 * configured, as every script here; else the built-in emulator with Intercom's latency) and a sync
 * into a fresh temporary copy that records every answer Intercom gave, every wait on the rate limit
 * and the sync's own progress, for the scripts to report by phase.
 */
import { rmSync } from 'node:fs';
import { loadSettings } from '../../src/config/settings.js';
import { resolveWorkspace } from '../../src/config/workspace-paths.js';
import { startEmulatorProcess } from '../../src/integration/emulator-process.js';
import { percentile } from '../../src/insights/service-levels.js';
import { IntercomApi } from '../../src/intercom/client.js';
import type { PacerWait } from '../../src/intercom/rate-pacer.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { runSync, type SyncResult } from '../../src/sync/engine.js';
import { tempWorkspace } from '../../test/helpers/cli.js';

export interface Answer {
  route: string;
  status: number;
  ms: number;
  bytes: number;
  /** Milliseconds since the run started, when the answer came. */
  at: number;
}

export interface Target {
  baseUrl: string;
  token: string;
  /** "the built-in emulator (…)" or the API's address. */
  label: string;
  /** The emulator's address, when it is the emulator (its control API is there). */
  emulatorUrl: string | undefined;
  stop: () => Promise<void>;
}

/** Intercom's answers take about this long from Europe and the US; the emulator is given it. */
const EMULATED_LATENCY_MS = 150;

/** The configured Intercom (the token in the environment or the workspace's config), else an emulator. */
export async function intercomTarget(o: { conversations: number; days: number }): Promise<Target> {
  const settings = loadSettings(resolveWorkspace({}));
  if (settings.token)
    return {
      baseUrl: settings.baseUrl,
      token: settings.token,
      label: settings.baseUrl,
      emulatorUrl: undefined,
      stop: async () => undefined,
    };
  // A process of its own, so that its memory and CPU are not counted as the sync's.
  const em = await startEmulatorProcess({
    conversations: o.conversations,
    days: o.days,
    latencyMs: EMULATED_LATENCY_MS,
    jitterMs: 50,
  });
  return {
    baseUrl: em.url,
    token: em.token,
    label: `the built-in emulator (${o.conversations} conversations over ${o.days} days, ${EMULATED_LATENCY_MS} ms latency; set INTERCOM_ACCESS_TOKEN for your workspace)`,
    emulatorUrl: em.url,
    stop: () => em.stop(),
  };
}

/** An API client that records what it was answered. */
export function recordingApi(target: Pick<Target, 'baseUrl' | 'token'>) {
  const answers: Answer[] = [];
  const waits: PacerWait[] = [];
  const started = performance.now();
  const api = new IntercomApi({
    baseUrl: target.baseUrl,
    token: target.token,
    requestOptions: {
      onAnswer: (a) => answers.push({ ...a, at: performance.now() - started }),
      onWait: (w) => waits.push(w),
    },
  });
  return { api, answers, waits };
}

export interface RecordedSync {
  result: SyncResult;
  answers: Answer[];
  waits: PacerWait[];
  wallMs: number;
  store: Store;
  /** Closes the copy and removes it. */
  discard: () => Promise<void>;
}

/** A sync of the last `days` into a fresh temporary copy, recorded. */
export async function recordedSync(target: Target, days: number): Promise<RecordedSync> {
  const dir = tempWorkspace('fim-diagnose-');
  const store = await openStore({ workspaceDir: dir, databaseUrl: undefined });
  const { api, answers, waits } = recordingApi(target);
  const t = performance.now();
  try {
    const result = await runSync(api, store, { days, defaultDays: days });
    return {
      result,
      answers,
      waits,
      wallMs: performance.now() - t,
      store,
      discard: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** The sync's phases, by the routes that serve them. */
export function phaseOf(route: string): string {
  if (route.startsWith('POST /conversations/search')) return 'listing conversations';
  if (route === 'GET /conversations/{id}') return 'reading threads';
  if (route.includes('/contacts')) return 'contacts';
  if (route.includes('/deleted')) return 'deletions';
  if (route.includes('/ticket')) return 'tickets';
  if (route.includes('/articles') || route.includes('/help_center')) return 'Help Center';
  return 'workspace (me, admins, teams, tags)';
}

export interface RouteFigures {
  name: string;
  calls: number;
  p50: number;
  p95: number;
  max: number;
  totalMs: number;
  bytes: number;
}

/** Answers grouped by `key` (a route or a phase), busiest first. */
export function figuresBy(answers: Answer[], key: (a: Answer) => string): RouteFigures[] {
  const groups = new Map<string, Answer[]>();
  for (const a of answers) groups.set(key(a), [...(groups.get(key(a)) ?? []), a]);
  return [...groups]
    .map(([name, list]) => {
      const ms = list.map((a) => a.ms);
      return {
        name,
        calls: list.length,
        p50: percentile(ms, 50),
        p95: percentile(ms, 95),
        max: Math.max(...ms),
        totalMs: ms.reduce((n, v) => n + v, 0),
        bytes: list.reduce((n, a) => n + a.bytes, 0),
      };
    })
    .sort((a, b) => b.totalMs - a.totalMs);
}

/** The share of `wallMs` during which at least one call was in flight. */
export function inFlightShare(answers: Answer[], wallMs: number): number {
  const spans = answers.map((a) => [a.at - a.ms, a.at] as const).sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    covered += to - Math.max(from, end);
    end = to;
  }
  return wallMs > 0 ? Math.min(1, covered / wallMs) : 0;
}

export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
export const ms = (v: number) => `${v.toFixed(0)} ms`;
