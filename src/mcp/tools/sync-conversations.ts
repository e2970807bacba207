/** sync_conversations: bring the copy up to date now, with progress notifications. */
import { z } from 'zod';
import { answering } from '../deps.js';
import { timeframeArg, windowShape } from '../shapes.js';
import { describeTimeframe, type Timeframe } from '../../time/timeframe.js';
import { ToolInputError } from '../tool-result.js';
import { count } from '../../wording.js';
import { defineTool, type ToolExtra } from './tool.js';

function progressReporter(extra: ToolExtra) {
  const token = extra.mcpReq._meta?.progressToken;
  return (p: { done: number; total: number }) => {
    if (token === undefined) return;
    void extra.mcpReq
      .notify({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress: p.done,
          total: Math.max(p.total, p.done),
          message: `${p.done}/${p.total} conversations`,
        },
      })
      .catch(() => undefined);
  };
}

export const syncConversations = defineTool({
  name: 'sync_conversations',
  title: 'Sync from Intercom',
  description:
    'Bring the local copy up to date from Intercom: incremental by default, or a window (days / since). ' +
    'Sends progress notifications; a sync already running is not started twice. Waits up to wait_seconds for it to finish.',
  input: {
    force: z.boolean().default(false).describe('Re-fetch every conversation of the window even if unchanged'),
    days: z.number().int().min(1).max(3650).optional(),
    since: timeframeArg
      .optional()
      .describe('Where the window starts, in the workspace time zone: "2026-06-01", "last monday", "June 1"'),
    wait_seconds: z.number().int().min(0).max(300).default(50),
  },
  output: {
    status: z.enum(['finished', 'running']),
    started: z.boolean().describe('False when a sync was already running'),
    window: windowShape.optional(),
    kind: z.string().optional(),
    fetched: z.number().optional(),
    unchanged: z.number().optional(),
    deleted: z.number().optional(),
    api_calls: z.number().optional(),
    progress: z.object({ done: z.number(), total: z.number() }).optional(),
  },
  syncs: true,
  annotations: {
    readOnlyHint: false,
    destructiveHint: false,
    openWorldHint: true,
    idempotentHint: true,
  },
  run: async (args, deps, extra) => {
    if (args.days !== undefined && args.since !== undefined)
      throw new ToolInputError('Give days or since, not both');
    const a = await answering(deps);
    const nowMs = Date.now();
    let window: Timeframe | undefined;
    if (args.since !== undefined) {
      const phrase = args.since.trim().replace(/^since\s+/i, '');
      window = a.timeframe(`since ${phrase}`);
    } else if (args.days !== undefined) {
      window = a.timeframe(`last ${args.days} days`);
    }
    const { started, outcome } = deps.sync.start(
      {
        // Days go to the sync as days: on a first sync only it knows the workspace's zone.
        ...(args.days !== undefined ? { days: args.days } : window ? { since: window.from } : {}),
        ...(args.force ? { force: true } : {}),
      },
      progressReporter(extra),
    );
    const timeout = new Promise<'waiting'>((r) =>
      setTimeout(() => r('waiting'), args.wait_seconds * 1000).unref(),
    );
    const result = await Promise.race([outcome, timeout]);
    const echo = window ? describeTimeframe(window) : null;
    if (result === 'waiting') {
      const p = deps.sync.running?.progress;
      return {
        text: `${started ? 'Sync started' : 'A sync was already running'}; still running (${p?.done ?? 0}/${p?.total ?? '?'}). Ask get_server_status for progress.`,
        structured: {
          status: 'running' as const,
          started,
          window: echo,
          kind: null,
          fetched: null,
          unchanged: null,
          deleted: null,
          api_calls: null,
          progress: { done: p?.done ?? 0, total: p?.total ?? 0 },
        },
      };
    }
    if ('error' in result) throw new ToolInputError(`Sync failed: ${result.error}`);
    const r = result.result;
    const prefix = started ? 'Sync finished' : 'A sync was already running; it finished';
    return {
      text: `${prefix} (${r.kind}${echo ? `, since ${echo.from}` : ''}) in ${((Date.now() - nowMs) / 1000).toFixed(1)} s: ${r.fetched} fetched, ${r.unchanged} unchanged, ${r.deleted} deleted, ${count(r.apiCalls, 'API call')}.`,
      structured: {
        status: 'finished' as const,
        started,
        window: echo,
        kind: r.kind,
        fetched: r.fetched,
        unchanged: r.unchanged,
        deleted: r.deleted,
        api_calls: r.apiCalls,
        progress: null,
      },
    };
  },
});
