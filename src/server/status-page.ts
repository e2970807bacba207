/**
 * `GET /` on a team's server: one page for the people who run it, behind the same token as the MCP
 * endpoint. Sync state and leader, each kind's count and freshness, the conversations' coverage,
 * webhooks and their lag, the last error, and the week's volume. Numbers, names of servers and
 * times only: no customer text, no subject, no name. The numbers are HTML, so the page reads with
 * JavaScript off; the chart is drawn by the bundled script (src/views/status.ts) over the same
 * numbers.
 */
import { hostname } from 'node:os';
import { COMPANIES_CHECKED_KEY } from '../sync/companies.js';
import { HELP_CENTER_CHECKED_KEY } from '../sync/help-center.js';
import { ticketCoverage } from '../sync/tickets.js';
import { bucketStarts, clockFor } from '../time/clock.js';
import { parseTimeframe } from '../time/timeframe.js';
import { storedZone } from '../time/zone.js';
import type { Store } from '../store/types.js';
import { count, duration } from '../wording.js';
import { PACKAGE_VERSION } from '../package-root.js';
import { builtView } from '../mcp/views.js';
import { bucketLabels } from '../views/bucket-label.js';

const VOLUME_DAYS = 7;

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A two-column table: what, and its value. */
const facts = (id: string, caption: string, rows: [string, string][]) =>
  `<table id="${id}"><caption>${escape(caption)}</caption>${rows
    .map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td>${escape(v)}</td></tr>`)
    .join('')}</table>`;

export interface StatusPageOptions {
  store: Store;
  /** The zone settings name, over the workspace's own. */
  timezoneOverride: string | undefined;
  receivingWebhooks: boolean;
}

export async function statusPage(o: StatusPageOptions): Promise<string> {
  const { store } = o;
  const now = Math.floor(Date.now() / 1000);
  const zone = await storedZone(store, o.timezoneOverride);
  const clock = clockFor(zone);
  const [s, leader, hooks, tickets, companiesAt, articlesAt, lockHolder] = await Promise.all([
    store.status(),
    store.syncLeader(),
    store.notificationStats(),
    ticketCoverage(store),
    store.getMeta(COMPANIES_CHECKED_KEY),
    store.getMeta(HELP_CENTER_CHECKED_KEY),
    store.syncLockHolder(),
  ]);
  // What conversation_stats counts for the same words: the page and the tool agree.
  const week = parseTimeframe(`last ${VOLUME_DAYS} days`, zone);
  const days = bucketStarts(week.from, week.to, 'day', zone);
  const stats = await store.conversationStats({ from: week.from, to: week.to, buckets: days, filters: {} });
  const ago = (at: number | null | undefined) =>
    at ? `${clock(at)} (${duration(Math.max(0, now - at))} ago)` : 'never';
  const newest = (windows: { from: number; to: number }[]) =>
    windows.length ? Math.max(...windows.map((w) => w.to)) : null;
  const last = s.lastRun;

  const sync = facts('sync', 'Sync', [
    ['last run', last ? `${last.status} (${last.kind}), started ${clock(last.startedAt)}` : 'none yet'],
    ['last finished', ago(last?.finishedAt)],
    ['last successful', ago(s.lastSuccessfulRun?.finishedAt)],
    [
      'fetched by the last run',
      last ? `${count(last.conversations, 'conversation')}, ${count(last.apiCalls, 'API call')}` : '–',
    ],
    ['running now', lockHolder ? `yes, process ${lockHolder.pid} on ${lockHolder.host}` : 'no'],
    [
      'scheduled syncs led by',
      leader
        ? `process ${leader.pid} on ${leader.host}${leader.pid === process.pid && leader.host === hostname() ? ' (this server)' : ''}, since ${clock(leader.since)}`
        : 'no server',
    ],
  ]);
  const kinds = facts('kinds', 'Each kind: how much, and how fresh', [
    ['conversations', `${s.conversations.toLocaleString('en-US')}; covered up to ${ago(newest(s.coverage))}`],
    [
      'tickets',
      `${s.tickets.toLocaleString('en-US')} (${s.openTickets.toLocaleString('en-US')} open); covered up to ${ago(newest(tickets))}`,
    ],
    ['contacts', s.contacts.toLocaleString('en-US')],
    [
      'companies',
      `${s.companies.toLocaleString('en-US')}; read ${ago(companiesAt ? Number(companiesAt) : null)}`,
    ],
    [
      'Help Center articles',
      `${s.articles.toLocaleString('en-US')}; read ${ago(articlesAt ? Number(articlesAt) : null)}`,
    ],
    ['database', `${(s.databaseBytes / 1e6).toFixed(1)} MB, schema ${s.schemaVersion}, ${store.engine}`],
  ]);
  const coverage = facts(
    'coverage',
    'Conversations covered (newest first)',
    [...s.coverage]
      .sort((a, b) => b.to - a.to)
      .slice(0, 10)
      .map((w, i): [string, string] => [`window ${i + 1}`, `${clock(w.from)} → ${clock(w.to)}`]),
  );
  const webhooks = facts('webhooks', 'Webhooks', [
    ['receiving', o.receivingWebhooks ? 'yes' : 'no (no webhook secret set)'],
    ['received in 7 days', hooks.received.toLocaleString('en-US')],
    ['last received', ago(hooks.lastReceivedAt)],
    ['lag of the last', hooks.lastLagSeconds === null ? '–' : duration(hooks.lastLagSeconds)],
    ['waiting', String(hooks.pending)],
    ['given up on', String(hooks.parked)],
  ]);
  const errors = facts('errors', 'Last error', [
    ['last run', last?.error ?? 'none'],
    ['webhooks given up on', hooks.parked ? `${hooks.parked} (the next sync reads them)` : 'none'],
  ]);
  const points = days.map((start, i) => ({ start: clock(start), count: stats.volume[i]! }));
  const end = clock(week.to);
  const volumeRows = bucketLabels(
    points.map((p) => p.start),
    'day',
    end,
  )
    .map((label, i) => `<tr><td>${label}</td><td>${points[i]!.count}</td></tr>`)
    .join('');
  // JSON in a script element: "<" escaped so no value can close it.
  const data = JSON.stringify({ points, bucket: 'day', end }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>fast-intercom-mcp status</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #111; max-width: 960px; }
h1 { font-size: 20px; } h2 { font-size: 15px; margin: 16px 0 4px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #ddd; padding: 2px 8px; text-align: left; vertical-align: top; }
.chart { position: relative; height: 260px; }
</style></head>
<body>
<h1>fast-intercom-mcp ${escape(PACKAGE_VERSION)} on ${escape(hostname())}</h1>
<p>As of ${escape(clock(now))} (${escape(zone)}).</p>
${sync}
${kinds}
${coverage}
${webhooks}
${errors}
<div id="volume-chart"></div>
<table id="volume-table"><caption>Conversations per day, last ${VOLUME_DAYS} days</caption><tr><th>day</th><th>conversations</th></tr>${volumeRows}</table>
<script type="application/json" id="volume-data">${data}</script>
<script>${builtView('status.js')}</script>
</body>
</html>
`;
}
