/** assessHealth and the freshness notes: what every answer says of the copy, as a table of cases. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clockFor } from '../../src/time/clock.js';
import { freshness } from '../../src/mcp/freshness.js';
import { assessHealth, healthLine, overdueAfterMinutes, type HealthInput } from '../../src/mcp/health.js';
import type { StoreStatus, SyncRunSummary } from '../../src/store/types.js';

const NOW = 1_800_000_000;
const run = (
  status: SyncRunSummary['status'],
  minutesAgo: number,
  error: string | null = null,
): SyncRunSummary => ({
  id: 1,
  kind: 'incremental',
  startedAt: NOW - minutesAgo * 60 - 30,
  finishedAt: NOW - minutesAgo * 60,
  status,
  windowStart: null,
  conversations: 0,
  parts: 0,
  apiCalls: 1,
  rateLimited: 0,
  error,
});
const base: HealthInput = {
  lastRun: run('succeeded', 3),
  lastSuccessfulRun: run('succeeded', 3),
  cannotSync: undefined,
  explainedFailure: undefined,
  maxSyncAgeMinutes: 5,
  backgroundSyncIntervalMinutes: 10,
  now: NOW,
};

describe('assessHealth', () => {
  const cases: [string, Partial<HealthInput>, { ok: boolean; untrusted: boolean; problems: RegExp[] }][] = [
    ['a fresh copy', {}, { ok: true, untrusted: false, problems: [] }],
    [
      '24 min old: within two missed runs',
      { lastSuccessfulRun: run('succeeded', 24) },
      { ok: true, untrusted: false, problems: [] },
    ],
    [
      '26 min old: overdue',
      { lastSuccessfulRun: run('succeeded', 26), lastRun: run('succeeded', 26) },
      {
        ok: false,
        untrusted: true,
        problems: [/^The copy is 26 min old, older than its syncs should let it be\.$/],
      },
    ],
    [
      'the last sync failed, raw',
      { lastRun: run('failed', 1, 'GET /admins failed: HTTP 401 unauthorized') },
      {
        ok: false,
        untrusted: true,
        problems: [
          /^The last sync failed: GET \/admins failed: HTTP 401 unauthorized\. The copy is 3 min old\.$/,
        ],
      },
    ],
    [
      'the last sync failed, explained by this server',
      {
        lastRun: run('failed', 1, 'raw'),
        explainedFailure: 'Intercom rejected the access token (401 Unauthorized). What to do: …',
      },
      { ok: false, untrusted: true, problems: [/^The last sync failed: Intercom rejected the access token/] },
    ],
    [
      'failed and days old: one sentence, in days',
      { lastRun: run('failed', 1, 'x'), lastSuccessfulRun: run('succeeded', 3 * 1440) },
      { ok: false, untrusted: true, problems: [/The copy is 3 days old\.$/] },
    ],
    [
      'never synced',
      { lastRun: null, lastSuccessfulRun: null },
      { ok: false, untrusted: true, problems: [/never been synced completely/] },
    ],
    [
      'no token, fresh: said, but still trusted',
      { cannotSync: 'No Intercom access token is configured, so the server cannot sync.' },
      { ok: false, untrusted: false, problems: [/No Intercom access token/] },
    ],
    [
      'scheduled syncs off: 3 × the freshness limit',
      { backgroundSyncIntervalMinutes: 0, lastSuccessfulRun: run('succeeded', 16) },
      { ok: false, untrusted: true, problems: [/16 min old/] },
    ],
  ];
  for (const [name, change, want] of cases)
    it(name, () => {
      const h = assessHealth({ ...base, ...change });
      assert.equal(h.ok, want.ok);
      assert.equal(h.untrusted, want.untrusted);
      assert.equal(h.problems.length, want.problems.length, h.problems.join(' | '));
      want.problems.forEach((p, i) => assert.match(h.problems[i]!, p));
      const line = healthLine(h);
      if (want.ok) assert.equal(line, undefined);
      else assert.match(line!, /^Warning: .* Run `fast-intercom-mcp doctor` to see why\.$/);
    });
  it('overdue thresholds', () => {
    assert.equal(overdueAfterMinutes(5, 10), 25);
    assert.equal(overdueAfterMinutes(5, 0), 15);
  });
});

describe('freshness notes for a window: what to sync, and what it costs', () => {
  const clock = clockFor('UTC');
  const DAY = 86400;
  /** 100 conversations a covered day; the last run either too small to measure or 600 calls in 10 minutes. */
  const status = (coverage: { from: number; to: number }[], measured = false) =>
    ({
      conversations: (100 * coverage.reduce((n, w) => n + w.to - w.from, 0)) / DAY,
      lastSuccessfulRun: measured
        ? { ...run('succeeded', 2), startedAt: NOW - 600 - 120, apiCalls: 600 }
        : run('succeeded', 2),
      coverage,
    }) as unknown as StoreStatus;
  const lastWeek = { from: NOW - 7 * DAY, to: NOW - DAY };
  const since = (w: { from: number }) => `sync_conversations \\{since: "${clock(w.from)}"\\} fetches it`;
  const threeDays = [{ from: NOW - 3 * DAY, to: NOW }];
  const cases: [
    name: string,
    coverage: { from: number; to: number }[],
    window: { from: number; to: number },
    measured: boolean,
    note: RegExp,
    covered: boolean,
  ][] = [
    [
      'covered completely',
      [{ from: NOW - 30 * DAY, to: NOW }],
      lastWeek,
      false,
      /covers this timeframe completely\.$/,
      true,
    ],
    [
      // 700 listed (5 pages), 400 threads missing, 4 fixed calls: 409 at 10,000 a minute.
      'covered from the middle: the since that fills it, and its cost',
      threeDays,
      lastWeek,
      false,
      new RegExp(
        `only from ${clock(NOW - 3 * DAY)}: .*${since(lastWeek)} \\(about 410 API calls, under a minute at Intercom's default rate limit\\)\\.$`,
      ),
      false,
    ],
    [
      // The same 409 calls at the last sync's 60 a minute.
      'at the pace the last sync measured',
      threeDays,
      lastWeek,
      true,
      new RegExp(`${since(lastWeek)} \\(about 410 API calls, about 7 minutes at the last sync's pace\\)`),
      false,
    ],
    [
      // 3,000 listed (20 pages), 2,700 threads missing, 4 fixed calls.
      'a window before anything synced',
      threeDays,
      { from: NOW - 30 * DAY, to: NOW - 20 * DAY },
      false,
      new RegExp(
        `never synced.*\\{since: "${clock(NOW - 30 * DAY)}"\\} fetches it \\(about 2,700 API calls, under a minute`,
      ),
      false,
    ],
    [
      'a copy never synced: no density to estimate from',
      [],
      lastWeek,
      false,
      new RegExp(`never synced.*${since(lastWeek)}\\.$`),
      false,
    ],
  ];
  for (const [name, coverage, window, measured, note, covered] of cases)
    it(name, () => {
      const f = freshness(status(coverage, measured), 5, clock, window, NOW);
      assert.equal(f.window_covered, covered);
      assert.match(f.note, note);
    });
});
