/** get_server_status: how much is synced, how fresh it is, what the last sync did. */
import { count } from '../../wording.js';
import { hostname } from 'node:os';
import { z } from 'zod';
import { answering } from '../deps.js';
import { freshnessShape, time, timeframeArg, windowShape } from '../shapes.js';
import { describeTimeframe } from '../../time/timeframe.js';
import { HELP_CENTER_FORBIDDEN_KEY } from '../../sync/help-center.js';
import { forbiddenReferenceLists, missingNames } from '../../sync/reference-data.js';
import { TICKETS_FORBIDDEN_KEY } from '../../sync/tickets.js';
import { COMPANIES_FORBIDDEN_KEY, COMPANIES_WAITING_KEY } from '../../sync/companies.js';
import { defineTool, READ_ONLY } from './tool.js';

/** Coverage windows shown; older ones are summarised, so the answer stays small. */
const MAX_WINDOWS = 20;

export const getServerStatus = defineTool({
  name: 'get_server_status',
  title: 'Server status',
  description:
    'How much is synced, the database size, the last sync and its result, coverage windows, whether a sync runs now, the workspace ' +
    'time zone timeframes are read in, and freshness. Give a timeframe to learn whether the copy covers it.',
  input: { timeframe: timeframeArg.optional().describe('Say whether it is fully covered') },
  output: {
    conversations: z.number(),
    messages: z.number(),
    contacts: z.number(),
    deleted_conversations: z.number(),
    tickets: z.number(),
    articles: z.number(),
    companies: z.number(),
    truncated_threads: z.number(),
    database_bytes: z.number(),
    schema_version: z.number(),
    time_zone: z.string(),
    last_sync: z
      .object({
        status: z.string(),
        kind: z.string(),
        finished_at: time.optional(),
        fetched: z.number(),
        api_calls: z.number(),
        error: z.string().optional(),
      })
      .optional(),
    coverage: z.array(z.object({ from: time, to: time })),
    sync_running: z
      .object({
        done: z.number().optional(),
        total: z.number().optional(),
        started_at: time.optional(),
        on_this_server: z.boolean(),
      })
      .optional(),
    sync_leader: z
      .object({ host: z.string(), pid: z.number(), since: time, this_server: z.boolean() })
      .optional(),
    webhooks: z.object({
      receiving: z.boolean(),
      received: z.number().describe('In the last 7 days'),
      by_topic: z.record(z.string(), z.number()),
      pending: z.number(),
      parked: z.number().describe('Given up on'),
      last_received_at: time.optional(),
      last_lag_seconds: z.number().optional(),
    }),
    missing_names: z.array(z.enum(['admins', 'teams', 'tags'])).describe('Lists the token may not read'),
    writes: z.object({ allowed: z.boolean(), done: z.number(), failed: z.number() }).describe('To Intercom'),
    timeframe: windowShape.optional(),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  run: async (args, deps) => {
    // Asked together: on PostgreSQL each is a round trip (the settings' reads one between them).
    const [
      a,
      s,
      leader,
      hooks,
      forbidden,
      ticketsForbidden,
      helpForbidden,
      companiesForbidden,
      companiesWaiting,
    ] = await Promise.all([
      answering(deps),
      deps.store.status(),
      deps.store.syncLeader(),
      deps.store.notificationStats(),
      forbiddenReferenceLists(deps.store),
      deps.store.getMeta(TICKETS_FORBIDDEN_KEY),
      deps.store.getMeta(HELP_CENTER_FORBIDDEN_KEY),
      deps.store.getMeta(COMPANIES_FORBIDDEN_KEY),
      deps.store.getMeta(COMPANIES_WAITING_KEY),
    ]);
    const window = args.timeframe !== undefined ? a.timeframe(args.timeframe) : undefined;
    const fresh = await a.freshness(window, s);
    const running = deps.sync.running;
    // A run recorded as running is another server's only while someone holds the sync lock.
    const elsewhere =
      !running && s.lastRun?.status === 'running' && (await deps.store.syncLockHolder()) !== undefined
        ? s.lastRun
        : undefined;
    const leaderIsThis = leader?.pid === process.pid && leader.host === hostname();
    const coverage = [...s.coverage]
      .sort((x, y) => y.to - x.to)
      .slice(0, MAX_WINDOWS)
      .map((w) => ({ from: a.clock(w.from), to: a.clock(w.to) }));
    const structured = {
      conversations: s.conversations,
      messages: s.parts,
      contacts: s.contacts,
      deleted_conversations: s.deletedConversations,
      tickets: s.tickets,
      articles: s.articles,
      companies: s.companies,
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
        ? {
            done: running.progress?.done ?? 0,
            total: running.progress?.total ?? 0,
            started_at: s.lastRun?.status === 'running' ? a.clock(s.lastRun.startedAt) : null,
            on_this_server: true,
          }
        : elsewhere
          ? { done: null, total: null, started_at: a.clock(elsewhere.startedAt), on_this_server: false }
          : null,
      sync_leader: leader
        ? { host: leader.host, pid: leader.pid, since: a.clock(leader.since), this_server: leaderIsThis }
        : null,
      webhooks: {
        receiving: deps.receivingWebhooks,
        received: hooks.received,
        by_topic: hooks.byTopic,
        pending: hooks.pending,
        parked: hooks.parked,
        last_received_at: hooks.lastReceivedAt === null ? null : a.clock(hooks.lastReceivedAt),
        last_lag_seconds: hooks.lastLagSeconds,
      },
      missing_names: forbidden,
      writes: { allowed: deps.writes !== undefined, ...s.writes },
      timeframe: window ? describeTimeframe(window) : null,
      freshness: fresh,
    };
    const text = [
      `${count(s.conversations, 'conversation')}, ${count(s.parts, 'message')}, ${count(s.contacts, 'contact')}; database ${(s.databaseBytes / 1e6).toFixed(1)} MB. Time zone: ${a.zone}.`,
      fresh.note,
      ...(forbidden.length > 0 ? [missingNames(forbidden)] : []),
      ticketsForbidden
        ? `Tickets: not synced, the access token may not read them (${ticketsForbidden}).`
        : `Tickets: ${count(s.tickets, 'ticket')}, ${s.openTickets.toLocaleString('en-US')} open.`,
      companiesForbidden
        ? `Companies: not synced, the access token may not read them (${companiesForbidden}).`
        : `Companies: ${count(s.companies, 'company', 'companies')}${companiesWaiting ? `; ${companiesWaiting}` : ''}.`,
      helpForbidden
        ? `Help Center: not synced, the access token may not read it (${helpForbidden}).`
        : `Help Center: ${count(s.articles, 'article')} (${s.publishedArticles.toLocaleString('en-US')} published) in ${count(s.collections, 'collection')}.`,
      s.lastRun
        ? `Last sync: ${s.lastRun.status} (${s.lastRun.kind})${s.lastRun.error ? `: ${s.lastRun.error}` : ''}.`
        : 'No sync yet.',
      running
        ? `A sync is running: ${running.progress?.done ?? 0}/${running.progress?.total ?? '?'} conversations.`
        : elsewhere
          ? `A sync is running on another server, since ${a.clock(elsewhere.startedAt)}.`
          : 'No sync is running.',
      leader
        ? `Scheduled syncs: led by ${leaderIsThis ? 'this server' : `process ${leader.pid} on ${leader.host}`} since ${a.clock(leader.since)}.`
        : 'Scheduled syncs: no server leads them now.',
      hooks.received > 0
        ? `Webhooks: ${count(hooks.received, 'notification')} in 7 days, the last at ${a.clock(hooks.lastReceivedAt!)} (${hooks.lastLagSeconds} s after Intercom sent it)${hooks.pending ? `, ${hooks.pending} waiting` : ''}${hooks.parked ? `, ${hooks.parked} parked after failing (the next sync reads them)` : ''}.`
        : `Webhooks: none received${deps.receivingWebhooks ? '' : ' (this server has no webhook secret)'}.`,
      `Coverage: ${coverage.map((w) => `${w.from} → ${w.to}`).join('; ') || 'none'}${s.coverage.length > MAX_WINDOWS ? ` (and ${s.coverage.length - MAX_WINDOWS} older windows)` : ''}.`,
      `Writes to Intercom: ${deps.writes ? 'allowed' : 'off'}; ${count(s.writes.done, 'write')} made${s.writes.failed ? `, ${s.writes.failed} failed` : ''}.`,
    ].join('\n');
    return { text, structured };
  },
});
