/** get_server_status: how much is synced, how fresh it is, what the last sync did. */
import { z } from 'zod';
import { plural } from '../budget.js';
import { answering } from '../deps.js';
import { freshnessShape, time, timeframeArg, windowShape } from '../shapes.js';
import { describeTimeframe } from '../timeframe.js';
import { defineTool, READ_ONLY } from './tool.js';

/** Coverage windows shown; older ones are summarised, so the answer stays small. */
const MAX_WINDOWS = 20;

export const getServerStatus = defineTool({
  name: 'get_server_status',
  title: 'Server status',
  description:
    'How much is synced, the database size, the last sync and its result, coverage windows, whether a sync runs now, the workspace ' +
    'time zone timeframes are read in, and freshness. Give a timeframe to learn whether the copy covers it.',
  input: { timeframe: timeframeArg.optional().describe('Also say whether this timeframe is fully covered') },
  output: {
    conversations: z.number(),
    messages: z.number(),
    contacts: z.number(),
    deleted_conversations: z.number(),
    truncated_threads: z.number(),
    database_bytes: z.number(),
    schema_version: z.number(),
    time_zone: z.string(),
    last_sync: z
      .object({
        status: z.string(),
        kind: z.string(),
        finished_at: time.nullable(),
        fetched: z.number(),
        api_calls: z.number(),
        error: z.string().nullable(),
      })
      .nullable(),
    coverage: z.array(z.object({ from: time, to: time })),
    sync_running: z.object({ done: z.number(), total: z.number() }).nullable(),
    timeframe: windowShape.nullable(),
    freshness: freshnessShape,
  },
  annotations: { title: 'Server status', ...READ_ONLY },
  run: async (args, deps) => {
    const a = await answering(deps);
    const s = await deps.store.status();
    const window = args.timeframe !== undefined ? a.timeframe(args.timeframe) : undefined;
    const fresh = await a.freshness(window);
    const running = deps.sync.running;
    const coverage = [...s.coverage]
      .sort((x, y) => y.to - x.to)
      .slice(0, MAX_WINDOWS)
      .map((w) => ({ from: a.clock(w.from), to: a.clock(w.to) }));
    const structured = {
      conversations: s.conversations,
      messages: s.parts,
      contacts: s.contacts,
      deleted_conversations: s.deletedConversations,
      truncated_threads: s.truncatedThreads,
      database_bytes: s.databaseBytes,
      schema_version: s.schemaVersion,
      time_zone: a.zone,
      last_sync: s.lastRun
        ? {
            status: s.lastRun.status,
            kind: s.lastRun.kind,
            finished_at: s.lastRun.finishedAt ? a.clock(s.lastRun.finishedAt) : null,
            fetched: s.lastRun.conversations,
            api_calls: s.lastRun.apiCalls,
            error: s.lastRun.error,
          }
        : null,
      coverage,
      sync_running: running
        ? { done: running.progress?.done ?? 0, total: running.progress?.total ?? 0 }
        : null,
      timeframe: window ? describeTimeframe(window) : null,
      freshness: fresh,
    };
    const text = [
      `${plural(s.conversations, 'conversation')}, ${plural(s.parts, 'message')}, ${plural(s.contacts, 'contact')}; database ${(s.databaseBytes / 1e6).toFixed(1)} MB. Time zone: ${a.zone}.`,
      fresh.note,
      s.lastRun
        ? `Last sync: ${s.lastRun.status} (${s.lastRun.kind})${s.lastRun.error ? `: ${s.lastRun.error}` : ''}.`
        : 'No sync yet.',
      running
        ? `A sync is running: ${running.progress?.done ?? 0}/${running.progress?.total ?? '?'} conversations.`
        : 'No sync is running.',
      `Coverage: ${coverage.map((w) => `${w.from} → ${w.to}`).join('; ') || 'none'}${s.coverage.length > MAX_WINDOWS ? ` (and ${s.coverage.length - MAX_WINDOWS} older windows)` : ''}.`,
    ].join('\n');
    return { text, structured };
  },
});
