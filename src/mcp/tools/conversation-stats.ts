/** conversation_stats: volumes and breakdowns of the conversations created in a window, filtered like a search. */
import { count, duration } from '../../wording.js';
import { z } from 'zod';
import type { NamedCount } from '../../store/types.js';
import { bucketStarts } from '../../time/clock.js';
import { bucketLabels } from '../../views/bucket-label.js';
import { answering } from '../deps.js';
import { resolveFilters } from '../filters.js';
import { filterArgs, freshnessShape, queryArg, time, timeframeArg, windowShape } from '../shapes.js';
import { describeTimeframe } from '../../time/timeframe.js';
import { ToolInputError } from '../tool-result.js';
import { CHARTS_VIEW } from '../views.js';
import { defineTool, READ_ONLY } from './tool.js';

/** Each breakdown lists the biggest groups; the rest are counted together. */
const TOP = 20;
const MAX_BUCKETS = 400;

const groupShape = z.object({ id: z.string().optional(), name: z.string(), count: z.number() });
const breakdownShape = z.object({
  top: z.array(groupShape),
  others: z.number(),
});

function breakdown(rows: NamedCount[]) {
  return { top: rows.slice(0, TOP), others: rows.slice(TOP).reduce((n, r) => n + r.count, 0) };
}

export const conversationStats = defineTool({
  name: 'conversation_stats',
  title: 'Conversation statistics',
  description:
    'Conversations created in a timeframe, filtered as in search_conversations: volume per day, week or month, counts by state, ' +
    'tag, assignee and team, median first response and time to close. E.g. "How many billing conversations last month?"',
  input: {
    timeframe: timeframeArg.default('last 30 days').describe('e.g. "last 30 days", "last week", "November"'),
    bucket: z
      .enum(['day', 'week', 'month'])
      .optional()
      .describe('Default: day up to 62 days, week up to 26 weeks, else month'),
    query: queryArg
      .optional()
      .describe('Only conversations containing these words (as in search_conversations)'),
    ...filterArgs,
  },
  output: {
    timeframe: windowShape,
    bucket: z.enum(['day', 'week', 'month']),
    total: z.number(),
    volume: z.array(z.object({ start: time, count: z.number() })),
    by_state: z.object({ open: z.number(), closed: z.number(), snoozed: z.number() }),
    by_tag: breakdownShape.describe('Counted once per tag'),
    by_assignee: breakdownShape,
    by_team: breakdownShape,
    median_first_response_seconds: z.number().optional(),
    median_time_to_close_seconds: z.number().optional(),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  view: CHARTS_VIEW,
  run: async (args, deps) => {
    const a = await answering(deps);
    const window = a.timeframe(args.timeframe);
    const filters = await resolveFilters(args, deps);
    const span = window.to - window.from;
    const bucket = args.bucket ?? (span <= 62 * 86400 ? 'day' : span <= 26 * 7 * 86400 ? 'week' : 'month');
    const buckets = bucketStarts(window.from, window.to, bucket, a.zone);
    if (buckets.length > MAX_BUCKETS)
      throw new ToolInputError(
        `${count(buckets.length, bucket)} is too many buckets (at most ${MAX_BUCKETS}): ${
          bucket === 'month'
            ? `months are the longest bucket, so ask about a shorter timeframe (at most ${MAX_BUCKETS} months at a time)`
            : `use a longer bucket (${bucket === 'day' ? 'week or month' : 'month'})`
        }`,
      );
    const s = await deps.store.conversationStats({
      from: window.from,
      to: window.to,
      buckets,
      filters,
    });
    const fresh = await a.freshness(window);
    const echo = describeTimeframe(window);
    const structured = {
      timeframe: echo,
      bucket,
      total: s.total,
      volume: buckets.map((start, i) => ({ start: a.clock(start), count: s.volume[i]! })),
      by_state: { open: s.byState.open ?? 0, closed: s.byState.closed ?? 0, snoozed: s.byState.snoozed ?? 0 },
      by_tag: breakdown(s.byTag),
      by_assignee: breakdown(s.byAssignee),
      by_team: breakdown(s.byTeam),
      median_first_response_seconds: s.medianFirstResponseSeconds,
      median_time_to_close_seconds: s.medianTimeToCloseSeconds,
      freshness: fresh,
    };
    const top = (b: ReturnType<typeof breakdown>) =>
      (b.top
        .slice(0, 8)
        .map((r) => `${r.name} ${r.count}`)
        .join(', ') || 'none') + (b.top.length > 8 || b.others ? ', …' : '');
    const text = [
      `${count(s.total, 'conversation')} created ${echo.from} → ${echo.to} (${echo.zone}). ${fresh.note}`,
      `By state: open ${structured.by_state.open}, closed ${structured.by_state.closed}, snoozed ${structured.by_state.snoozed}.`,
      `Top tags: ${top(structured.by_tag)}.`,
      `By assignee: ${top(structured.by_assignee)}.`,
      `By team: ${top(structured.by_team)}.`,
      `Median first response: ${duration(s.medianFirstResponseSeconds)}; median time to close: ${duration(s.medianTimeToCloseSeconds)}.`,
      `Per ${bucket}: ${bucketLabels(
        structured.volume.map((v) => v.start),
        bucket,
        echo.to,
      )
        .map((label, i) => `${label}: ${structured.volume[i]!.count}`)
        .join(', ')}`,
    ].join('\n');
    return { text, structured, empty: s.total === 0 };
  },
});
