/**
 * service_levels: how fast the team answers and closes, for the conversations or tickets created
 * in a timeframe: first response, time to close (to the last close, of those closed now) and the
 * share of closed work reopened, as p50 / p90 with their counts, by team, assignee and tag, and per
 * week (or month) in the workspace's zone for the trend. A cohort by creation: work created in the
 * window is followed to now, so a recent week's figures still grow.
 */
import { z } from 'zod';
import type { Levels, Percentiles } from '../../insights/service-levels.js';
import type { GroupLevels } from '../../store/types.js';
import { bucketStarts } from '../../time/clock.js';
import { bucketLabels } from '../../views/bucket-label.js';
import { describeTimeframe } from '../../time/timeframe.js';
import { count, duration } from '../../wording.js';
import { answering } from '../deps.js';
import { resolveFilters } from '../filters.js';
import { freshnessShape, nameArg, timeframeArg, windowShape } from '../shapes.js';
import { ToolInputError } from '../tool-result.js';
import { refuseForbidden, ticketState } from './tickets.js';
import { CHARTS_VIEW } from '../views.js';
import { defineTool, READ_ONLY } from './tool.js';

const MAX_BUCKETS = 36;
/**
 * The most read of a window: a month of 100,000 read whole took a second. A sample of 10,000 gave
 * the month's p50 and p90 within 1.5% of all 100,000's, and half of 20,000's time (docs/performance.md).
 */
const SAMPLE = 10_000;

/** Every figure is one row (the whole window, a group, a week), so the schema holds the shape once. */
const rowShape = z.object({
  group: z.enum(['all', 'team', 'assignee', 'tag', 'week', 'month']),
  name: z.string(),
  count: z.number(),
  answered: z.number(),
  first_response_p50: z.number().optional(),
  first_response_p90: z.number().optional(),
  closed: z.number(),
  close_p50: z.number().optional(),
  close_p90: z.number().optional(),
  ever_closed: z.number(),
  reopened: z.number(),
  unknown: z.number(),
});

const figures = (group: z.infer<typeof rowShape>['group'], name: string, l: Levels) => ({
  group,
  name,
  count: l.count,
  answered: l.firstResponse.count,
  ...(l.firstResponse.p50 !== null ? { first_response_p50: l.firstResponse.p50 } : {}),
  ...(l.firstResponse.p90 !== null ? { first_response_p90: l.firstResponse.p90 } : {}),
  closed: l.timeToClose.count,
  ...(l.timeToClose.p50 !== null ? { close_p50: l.timeToClose.p50 } : {}),
  ...(l.timeToClose.p90 !== null ? { close_p90: l.timeToClose.p90 } : {}),
  ever_closed: l.everClosed,
  reopened: l.reopened,
  unknown: l.unknown,
});

/** One line of figures: "first response p50 12m, p90 3h (40); close p50 …; reopened 2 of 30 (6.7%)". */
function line(l: Levels): string {
  const p = (x: Percentiles, what: string) =>
    x.count ? `${what} p50 ${duration(x.p50)}, p90 ${duration(x.p90)} (${x.count})` : `no ${what}`;
  return (
    `${p(l.firstResponse, 'first response')}; ${p(l.timeToClose, 'close')}` +
    (l.reopenRate === null
      ? ''
      : `; reopened ${l.reopened} of ${l.everClosed} (${(l.reopenRate * 100).toFixed(1)}%)`)
  );
}

export const serviceLevels = defineTool({
  name: 'service_levels',
  title: 'Service levels',
  description:
    'First response, time to close and reopen rate (p50/p90) of the conversations or tickets created in a timeframe, ' +
    'by team, assignee, tag and week. E.g. "Are we answering fast enough?"',
  input: {
    of: z.enum(['conversations', 'tickets']).default('conversations'),
    timeframe: timeframeArg.default('last 30 days'),
    assignee: nameArg.optional(),
    team: nameArg.optional(),
    tag: nameArg.optional().describe('conversations only'),
  },
  output: {
    of: z.enum(['conversations', 'tickets']),
    timeframe: windowShape,
    rows: z
      .array(rowShape)
      .describe('seconds; a week or month named by its start; unknown: no known first response or reopens'),
    notes: z.array(z.string()),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  view: CHARTS_VIEW,
  run: async (args, deps) => {
    const a = await answering(deps);
    const window = a.timeframe(args.timeframe);
    if (args.of === 'tickets' && args.tag !== undefined)
      throw new ToolInputError('tickets have no tags in Intercom: drop tag, or ask of conversations');
    const bucket = window.to - window.from <= 26 * 7 * 86400 ? 'week' : 'month';
    const buckets = bucketStarts(window.from, window.to, bucket, a.zone);
    if (buckets.length > MAX_BUCKETS)
      throw new ToolInputError(
        `${count(buckets.length, bucket)} is too long a trend (at most ${MAX_BUCKETS}): ask about a shorter timeframe`,
      );
    const filters = await resolveFilters(args, deps);
    const l = await deps.store.serviceLevels({
      from: window.from,
      to: window.to,
      buckets,
      filters,
      of: args.of,
      sample: SAMPLE,
    });
    const tickets = args.of === 'tickets' ? await ticketState(deps, a, window) : undefined;
    if (tickets && l.overall.count === 0) refuseForbidden(tickets.forbidden, 'No ticket counted');
    const fresh = tickets?.freshness ?? (await a.freshness(window));
    const noun = args.of === 'tickets' ? 'ticket' : 'conversation';
    const notes = [
      'First response: the first reply by a teammate (not a bot or a note). Time to close: to the last close, of those closed now. Percentiles are nearest-rank.',
      ...(args.of === 'tickets'
        ? [
            'Intercom gives tickets no statistics: their figures come from their parts (a return from resolved is a reopen).',
          ]
        : []),
      ...(l.overall.unknown > 0
        ? [
            `${count(l.overall.unknown, noun)} had more parts than the API gives (500): their first response and reopens are unknown and left out of those figures.`,
          ]
        : []),
      ...(l.read < l.total
        ? [
            `Read as a sample, the same ${noun}s every time for the same data: ${l.read} of the ${l.total}. Percentiles are the sample's; counts are estimated for all.`,
          ]
        : []),
      ...(l.judgedReopens > 0
        ? [
            `${count(l.judgedReopens, noun)} were stored before Intercom's count of reopens was kept: their reopens are judged from their close times until the next sync that changes them.`,
          ]
        : []),
    ];
    const echo = describeTimeframe(window);
    const starts = buckets.map((start) => a.clock(start));
    const structured = {
      of: args.of,
      timeframe: echo,
      rows: [
        figures('all', 'all', l.overall),
        ...l.byTeam.map((g) => figures('team', g.name, g.levels)),
        ...l.byAssignee.map((g) => figures('assignee', g.name, g.levels)),
        ...l.byTag.map((g) => figures('tag', g.name, g.levels)),
        ...l.trend.map((t, i) => figures(bucket, starts[i]!, t)),
      ],
      notes,
      freshness: fresh,
    };
    const groups = (title: string, gs: GroupLevels[]) =>
      gs.length ? [`${title}:`, ...gs.map((g) => `- ${g.name} (${g.levels.count}): ${line(g.levels)}`)] : [];
    const text = [
      `Service levels of ${count(l.overall.count, noun)} created ${echo.from} → ${echo.to} (${echo.zone}). ${fresh.note}`,
      `Overall: ${line(l.overall)}`,
      ...groups('By team', l.byTeam),
      ...groups('By assignee', l.byAssignee),
      ...groups('By tag', l.byTag),
      `Per ${bucket}:`,
      ...bucketLabels(starts, bucket, echo.to).map(
        (label, i) => `- ${label} (${l.trend[i]!.count}): ${line(l.trend[i]!)}`,
      ),
      ...notes,
    ].join('\n');
    return { text, structured, empty: l.overall.count === 0 };
  },
});
