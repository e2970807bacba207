/**
 * service_levels against the emulator's ground truth, on both engines, through a real stdio
 * client, in the workspace's zone: the percentiles, reopens and counts of the conversations and
 * tickets created in the window, overall, per team and tag and per week, computed here from the
 * emulator's planned parts (not from the statistics the API renders from them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { percentile } from '../../src/insights/service-levels.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { stateById } from '../../src/emulator/tickets.js';
import { ENGINES } from '../helpers/engines.js';
import type { CheckedClient } from '../helpers/mcp.js';
import { syncedStdioServer } from '../helpers/synced-server.js';

interface Row {
  group: string;
  name: string;
  count: number;
  answered: number;
  first_response_p50?: number;
  first_response_p90?: number;
  closed: number;
  close_p50?: number;
  close_p90?: number;
  ever_closed: number;
  reopened: number;
  unknown: number;
}
interface Answer {
  timeframe: { from: string; to: string; zone: string };
  rows: Row[];
  notes: string[];
}

/** What the product must find for one conversation or ticket. */
interface Truth {
  createdAt: number;
  firstResponse: number | null;
  closedFor: number | null;
  everClosed: boolean;
  reopened: boolean;
  unknown: boolean;
  team: string;
  tags: string[];
}

const PARTS_GIVEN = 500;

/** The figures of these rows, as the answer gives them without its group and name. */
function expected(rows: Truth[]) {
  const known = rows.filter((r) => !r.unknown);
  const responses = known.flatMap((r) => (r.firstResponse === null ? [] : [r.firstResponse]));
  const closes = rows.flatMap((r) => (r.closedFor === null ? [] : [r.closedFor]));
  const p = (values: number[], name: string) =>
    values.length ? { [`${name}_p50`]: percentile(values, 50), [`${name}_p90`]: percentile(values, 90) } : {};
  return {
    count: rows.length,
    answered: responses.length,
    ...p(responses, 'first_response'),
    closed: closes.length,
    ...p(closes, 'close'),
    ever_closed: known.filter((r) => r.everClosed).length,
    reopened: known.filter((r) => r.reopened).length,
    unknown: rows.length - known.length,
  };
}
const figures = ({ group: _group, name: _name, ...rest }: Row) => rest;
const rowsOf = (a: Answer, group: string) => a.rows.filter((r) => r.group === group);

for (const engine of ENGINES)
  describe(`service_levels (${engine.name})`, () => {
    let em: RunningEmulator;
    let mcp: CheckedClient;
    before(async () => {
      em = await startEmulator({
        conversations: 700,
        days: 45,
        tickets: 160,
        longThreadRate: 0.03,
        seed: `levels-${engine.name}`,
        timezone: 'America/Chicago',
      });
      mcp = await syncedStdioServer(em, engine, 45);
    });
    after(async () => {
      await mcp?.close();
      await em?.stop();
    });

    const levels = async (args: Record<string, unknown>) => {
      const r = await mcp.call('service_levels', args);
      assert.equal(r.isError, undefined, r.content[0]!.text);
      return { answer: r.structuredContent as Answer, text: r.content[0]!.text };
    };
    const seconds = (iso: string) => Date.parse(iso) / 1000;
    const teamName = (id: string | null) => (id === null ? 'no team' : em.workspace.directory.team(id)!.name);

    /** Every live conversation as the emulator planned it. */
    const conversations = (): Truth[] =>
      em.workspace.live().map((s) => {
        const parts = em.workspace.plan(s.index).parts;
        const reply = parts.find((p) => p.partType === 'comment' && p.author.kind === 'admin');
        const closes = parts.filter((p) => p.partType === 'close');
        let closed = false;
        let reopened = false;
        for (const p of parts) {
          if (p.partType === 'close') closed = true;
          else if (p.partType === 'comment' && p.author.kind === 'contact' && closed) reopened = true;
        }
        return {
          createdAt: s.createdAt,
          firstResponse: reply ? reply.at - s.createdAt : null,
          closedFor: s.state === 'closed' && closes.length ? closes.at(-1)!.at - s.createdAt : null,
          everClosed: closes.length > 0,
          reopened,
          unknown: false,
          team: teamName(s.teamAssigneeId),
          tags: s.tagIds.map((id) => em.workspace.directory.tags.find((t) => t.id === id)!.name),
        };
      });

    /** Every live ticket from its planned parts; one with more than the API gives has an unknown start. */
    const tickets = (): Truth[] =>
      em.workspace.tickets.live().map((s) => {
        const parts = em.workspace.tickets.plan(s.index).parts;
        const reply = parts.find((p) => p.partType === 'comment' && p.author.kind === 'admin');
        let category = 'submitted';
        let resolvedSince: number | null = null;
        let reopened = false;
        let everClosed = false;
        for (const p of parts) {
          if (!p.stateId) continue;
          const next = stateById(p.stateId).category;
          if (next === category) continue;
          if (next === 'resolved') {
            resolvedSince = p.at;
            everClosed = true;
          } else if (category === 'resolved') reopened = true;
          category = next;
        }
        return {
          createdAt: s.createdAt,
          firstResponse: reply ? reply.at - s.createdAt : null,
          closedFor:
            stateById(s.stateId).category === 'resolved' && resolvedSince !== null
              ? resolvedSince - s.createdAt
              : null,
          everClosed: everClosed || stateById(s.stateId).category === 'resolved',
          reopened,
          unknown: parts.length > PARTS_GIVEN,
          team: teamName(s.teamAssigneeId),
          tags: [],
        };
      });

    const inWindow = (rows: Truth[], w: { from: string; to: string }) =>
      rows.filter((r) => r.createdAt >= seconds(w.from) && r.createdAt < seconds(w.to));

    it('conversations: overall, per team, per tag and per week equal the workspace', async () => {
      const { answer, text } = await levels({ timeframe: 'last 30 days' });
      const rows = inWindow(conversations(), answer.timeframe);
      assert.ok(rows.length > 300, `${rows.length} conversations in the window`);
      assert.equal(answer.timeframe.zone, 'America/Chicago');
      const [all] = rowsOf(answer, 'all');
      assert.deepEqual(figures(all!), expected(rows));
      assert.ok(all!.reopened > 0, 'some conversations were reopened');
      for (const team of rowsOf(answer, 'team'))
        assert.deepEqual(figures(team), expected(rows.filter((r) => r.team === team.name)), team.name);
      assert.ok(rowsOf(answer, 'tag').length > 2);
      for (const tag of rowsOf(answer, 'tag'))
        assert.deepEqual(
          figures(tag),
          expected(
            rows.filter((r) => (tag.name === 'untagged' ? r.tags.length === 0 : r.tags.includes(tag.name))),
          ),
          tag.name,
        );
      const weeks = rowsOf(answer, 'week');
      assert.ok(weeks.length >= 5);
      weeks.forEach((week, i) => {
        const end = weeks[i + 1]?.name ?? answer.timeframe.to;
        assert.deepEqual(figures(week), expected(inWindow(rows, { from: week.name, to: end })), week.name);
      });
      assert.match(text, /Overall: first response p50 .*, p90 .* \(\d+\); close p50/);
    });

    it('a team filter narrows them to its conversations', async () => {
      const { answer } = await levels({ timeframe: 'last 30 days' });
      const team = rowsOf(answer, 'team').find((t) => t.name !== 'no team')!;
      const filtered = await levels({ timeframe: 'last 30 days', team: team.name });
      assert.deepEqual(figures(rowsOf(filtered.answer, 'all')[0]!), figures(team));
      assert.deepEqual(
        rowsOf(filtered.answer, 'team').map((t) => t.name),
        [team.name],
      );
    });

    it('tickets: from their parts, the ones with more parts than the API gives counted as unknown', async () => {
      const { answer } = await levels({ of: 'tickets', timeframe: 'last 30 days' });
      const rows = inWindow(tickets(), answer.timeframe);
      assert.ok(
        rows.some((r) => r.unknown),
        'some ticket has more parts than the API gives',
      );
      assert.ok(rows.some((r) => r.closedFor !== null));
      assert.deepEqual(figures(rowsOf(answer, 'all')[0]!), expected(rows));
      for (const team of rowsOf(answer, 'team'))
        assert.deepEqual(figures(team), expected(rows.filter((r) => r.team === team.name)), team.name);
      assert.deepEqual(rowsOf(answer, 'tag'), []);
      assert.ok(answer.notes.some((n) => /more parts than the API gives/.test(n)));
    });

    it('refuses what it cannot answer, and says so when the window is empty', async () => {
      const tag = await mcp.call('service_levels', { of: 'tickets', tag: 'anything' });
      assert.equal(tag.isError, true);
      assert.match(tag.content[0]!.text, /tickets have no tags/);
      const long = await mcp.call('service_levels', { timeframe: 'last 10 years' });
      assert.equal(long.isError, true);
      assert.match(long.content[0]!.text, /too long a trend/);
      const { answer } = await levels({ timeframe: 'January 2020' });
      assert.deepEqual(rowsOf(answer, 'all'), [
        {
          group: 'all',
          name: 'all',
          count: 0,
          answered: 0,
          closed: 0,
          ever_closed: 0,
          reopened: 0,
          unknown: 0,
        },
      ]);
    });
  });
