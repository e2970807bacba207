/**
 * conversation_themes: what customers wrote about notably more in a timeframe than usual. "Usual"
 * is the preceding periods of the same length (four by default); the score is Dunning's
 * log-likelihood over conversations (insights/significance.ts), as search engines rank
 * "significant terms". Only what customers wrote counts, never teammates' replies, notes or bots.
 */
import { z } from 'zod';
import { nameWords } from '../../insights/terms.js';
import { TICKETS_LOOKED_AT } from '../../store/theme-tally.js';
import { WORKSPACE_NAME_KEY } from '../../sync/reference-data.js';
import { describeTimeframe } from '../../time/timeframe.js';
import { count, quote } from '../../wording.js';
import { answering } from '../deps.js';
import { resolveFilters } from '../filters.js';
import { filterArgs, freshnessShape, nameArg, queryArg, time, timeframeArg, windowShape } from '../shapes.js';
import { CHARTS_VIEW } from '../views.js';
import { defineTool, READ_ONLY } from './tool.js';

const groupShape = z.object({ name: z.string(), count: z.number() });
/**
 * The most conversations read of each window: a month of 100,000 read whole took seconds, past the
 * answer's deadline; a sample this size finds any theme in more than a few hundred of them, in a
 * tenth of the time (docs/performance.md).
 */
const SAMPLE = 10_000;
const pct = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

export const conversationThemes = defineTool({
  name: 'conversation_themes',
  title: 'Conversation themes',
  description:
    'Terms customers wrote notably more in a timeframe than before, with examples. ' +
    'E.g. "What did customers complain about this week?"',
  input: {
    timeframe: timeframeArg.default('last 7 days'),
    baseline_periods: z.number().int().min(1).max(12).default(4),
    limit: z.number().int().min(1).max(25).default(10),
    min_conversations: z.number().int().min(2).max(1000).default(3),
    query: queryArg.optional(),
    state: filterArgs.state,
    assignee: nameArg.optional(),
    team: nameArg.optional(),
    tag: nameArg.optional(),
  },
  output: {
    timeframe: windowShape,
    baseline: z.object({ from: time, to: time }),
    conversations: z.number(),
    baseline_conversations: z.number(),
    themes: z.array(
      z.object({
        term: z.string(),
        related: z.array(z.string()),
        conversations: z.number(),
        baseline_conversations: z.number(),
        growth: z.number().optional().describe('absent: new'),
        score: z.number(),
        tags: z.array(groupShape),
        teams: z.array(groupShape),
        examples: z.array(z.string()),
        tickets: z.array(z.string()),
      }),
    ),
    notes: z.array(z.string()),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  view: CHARTS_VIEW,
  run: async (args, deps) => {
    const a = await answering(deps);
    const window = a.timeframe(args.timeframe);
    const span = window.to - window.from;
    const baselineWindow = {
      phrase: `the ${count(args.baseline_periods, 'period')} of the same length before`,
      from: window.from - args.baseline_periods * span,
      to: window.from,
      zone: window.zone,
    };
    const filters = await resolveFilters(args, deps);
    const workspaceName = await deps.store.getMeta(WORKSPACE_NAME_KEY);
    const t = await deps.store.conversationThemes({
      from: window.from,
      to: window.to,
      baselineFrom: baselineWindow.from,
      baselineTo: baselineWindow.to,
      filters,
      exclude: [...nameWords(workspaceName)],
      minCount: args.min_conversations,
      limit: args.limit,
      sample: SAMPLE,
    });
    const sampled = t.read.period < t.conversations || t.read.baseline < t.baselineConversations;
    const fresh = await a.freshness({ ...window, from: baselineWindow.from });
    const notes = [
      'Counts are of conversations whose customer messages use the term at least once.',
      ...(t.baselineConversations === 0
        ? [
            'The baseline has no conversations, so nothing can be "more than usual": themes are ranked by how many conversations use them.',
          ]
        : []),
      ...(t.unindexed > 0
        ? [
            `${count(t.unindexed, 'conversation')} in these windows were stored before themes were kept: they are counted, but their words are not until the next sync indexes them.`,
          ]
        : []),
      ...(sampled
        ? [
            `Read as a sample, the same conversations every time for the same data: ${t.read.period} of the timeframe's ${t.conversations} and ${t.read.baseline} of the baseline's ${t.baselineConversations}. Scores are the sample's; counts are estimated for all.`,
          ]
        : []),
      ...(t.themes.length > 0
        ? [
            t.ticketsShown
              ? `Tickets: of the timeframe's newest ${TICKETS_LOOKED_AT} tickets, those whose customers wrote the theme; themes are counted in conversations.`
              : 'Tickets: none named, as tickets have no tags, state or text search to narrow them as these conversations were.',
          ]
        : []),
      ...(t.conversations > 0 && t.themes.length === 0
        ? [`No term is in ${args.min_conversations} or more of these conversations more often than usual.`]
        : []),
    ];
    const echo = describeTimeframe(window);
    const baselineEcho = describeTimeframe(baselineWindow);
    const themes = t.themes.map((th) => ({
      term: th.term,
      related: th.related,
      conversations: th.count,
      baseline_conversations: th.baselineCount,
      growth: th.growth === null ? null : Math.round(th.growth * 100) / 100,
      score: Math.round(th.score * 10) / 10,
      tags: th.tags.map(({ name, count: n }) => ({ name, count: n })),
      teams: th.teams.map(({ name, count: n }) => ({ name, count: n })),
      examples: th.examples,
      tickets: th.tickets,
    }));
    const groups = (gs: { name: string; count: number }[]) =>
      gs.map((g) => `${g.name} ${g.count}`).join(', ');
    const lines = themes.map(
      (th, i) =>
        `${i + 1}. ${quote(th.term)}${th.related.length ? ` (with ${th.related.map((r) => quote(r)).join(', ')})` : ''}: ${sampled ? 'about ' : ''}${count(th.conversations, 'conversation')} (${pct(th.conversations / t.conversations)}), ` +
        (th.growth === null
          ? `none before (new)`
          : `${th.baseline_conversations} before, ${th.growth}× the usual share`) +
        `; score ${th.score}.` +
        (th.tags.length ? ` Tags: ${groups(th.tags)}.` : '') +
        (th.teams.length ? ` Teams: ${groups(th.teams)}.` : '') +
        ` E.g. ${th.examples.join(', ')}` +
        (th.tickets.length ? `; tickets ${th.tickets.join(', ')}` : ''),
    );
    const text = [
      `Themes in ${count(t.conversations, 'conversation')} created ${echo.from} → ${echo.to} (${echo.zone}), ` +
        `against ${count(t.baselineConversations, 'conversation')} in ${baselineEcho.from} → ${baselineEcho.to}. ${fresh.note}`,
      ...lines,
      ...notes,
    ].join('\n');
    return {
      text,
      structured: {
        timeframe: echo,
        baseline: { from: baselineEcho.from, to: baselineEcho.to },
        conversations: t.conversations,
        baseline_conversations: t.baselineConversations,
        themes,
        notes,
        freshness: fresh,
      },
      empty: t.conversations === 0,
    };
  },
});
