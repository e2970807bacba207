/**
 * conversation_themes against the emulator's ground truth, on both engines, through a real stdio
 * client: a theme planted in the last days (absent before) ranks first, with its counts, tags,
 * teams and tickets equal to the workspace's; its words alone do not rank beside the phrase;
 * filters narrow the counts and tickets; a window before the theme does not show it; an empty
 * window says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import type { TicketSummary } from '../../src/emulator/tickets.js';
import type { ConversationSummary } from '../../src/emulator/workspace.js';
import { ENGINES } from '../helpers/engines.js';
import type { CheckedClient } from '../helpers/mcp.js';
import { syncedStdioServer } from '../helpers/synced-server.js';

const PHRASE = 'zephyr connector';
/**
 * Enough that a team's share of the themed conversations spans the theme's three sentences: with
 * a handful, all of one team's could share a sentence, whose words then tie with the phrase.
 */
const PLANTED = 48;
/** Customers' tickets carrying it too: more than the three an answer names. */
const PLANTED_TICKETS = 6;

interface Answer {
  timeframe: { from: string; to: string };
  baseline: { from: string; to: string };
  conversations: number;
  baseline_conversations: number;
  themes: {
    term: string;
    conversations: number;
    baseline_conversations: number;
    growth?: number;
    tags: { name: string; count: number }[];
    teams: { name: string; count: number }[];
    examples: string[];
    tickets: string[];
  }[];
  notes: string[];
}

const seconds = (iso: string) => Date.parse(iso) / 1000;
const within = (s: Pick<ConversationSummary, 'createdAt'>, w: { from: string; to: string }) =>
  s.createdAt >= seconds(w.from) && s.createdAt < seconds(w.to);

/** The newest three tickets' ids, as an answer names them. */
const newestTickets = (tickets: TicketSummary[]) =>
  [...tickets]
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
    .slice(0, 3)
    .map((t) => t.id);

/** Each group's count, largest first then by name, as the answer lists them (three at most). */
function top(keys: (string | null)[], name: (key: string | null) => string) {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(name(k), (counts.get(name(k)) ?? 0) + 1);
  return [...counts]
    .map(([n, count]) => ({ name: n, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, 3);
}

for (const engine of ENGINES)
  describe(`conversation_themes (${engine.name})`, () => {
    let em: RunningEmulator;
    let mcp: CheckedClient;
    before(async () => {
      em = await startEmulator({
        conversations: 900,
        days: 36,
        seed: `themes-${engine.name}`,
        timezone: 'America/Chicago',
        theme: { phrase: PHRASE, conversations: PLANTED, tickets: PLANTED_TICKETS, days: 5 },
      });
      mcp = await syncedStdioServer(em, engine, 36);
    });
    after(async () => {
      await mcp?.close();
      await em?.stop();
    });

    const themes = async (args: Record<string, unknown>) => {
      const r = await mcp.call('conversation_themes', args);
      assert.equal(r.isError, undefined, r.content[0]!.text);
      return { answer: r.structuredContent as Answer, text: r.content[0]!.text };
    };

    it('ranks the planted theme first, with the counts, tags and teams of the workspace', async () => {
      const { answer, text } = await themes({ timeframe: 'last 7 days' });
      const live = em.workspace.live();
      assert.equal(answer.conversations, live.filter((s) => within(s, answer.timeframe)).length);
      assert.equal(answer.baseline_conversations, live.filter((s) => within(s, answer.baseline)).length);
      const themed = em.workspace.themedConversations().filter((s) => within(s, answer.timeframe));
      assert.equal(themed.length, PLANTED, 'every planted conversation falls in the last 7 days');

      const first = answer.themes[0]!;
      assert.equal(first.term, PHRASE);
      assert.equal(first.conversations, themed.length);
      assert.equal(first.baseline_conversations, 0);
      assert.equal(first.growth, undefined, 'absent before: new, not a ratio');
      const dir = em.workspace.directory;
      assert.deepEqual(
        first.teams,
        top(
          themed.map((s) => s.teamAssigneeId),
          (id) => (id === null ? 'no team' : dir.team(id)!.name),
        ),
      );
      assert.deepEqual(
        first.tags,
        top(
          themed.flatMap((s) => s.tagIds),
          (id) => dir.tags.find((t) => t.id === id)!.name,
        ),
      );
      const newest = [...themed].sort((a, b) => b.createdAt - a.createdAt).slice(0, 3);
      assert.deepEqual(
        first.examples,
        newest.map((s) => s.id),
      );
      const themedTickets = em.workspace.tickets.themedTickets();
      assert.equal(themedTickets.filter((t) => within(t, answer.timeframe)).length, PLANTED_TICKETS);
      assert.deepEqual(first.tickets, newestTickets(themedTickets));
      assert.ok(
        !answer.themes.some((t) => t.term === 'zephyr' || t.term === 'connector'),
        'the phrase stands in for its words',
      );
      assert.match(
        text,
        new RegExp(
          `1\\. "zephyr connector" \\(with [^)]+\\): ${PLANTED} conversations .*none before \\(new\\)`,
        ),
      );
    });

    it('counts only the conversations passing the filters', async () => {
      const { answer } = await themes({ timeframe: 'last 7 days' });
      // The largest team among the theme's (unassigned ones have no team to filter by).
      const team = answer.themes[0]!.teams.find((t) => t.name !== 'no team')!;
      const teamId = em.workspace.directory.teams.find((t) => t.name === team.name)!.id;
      const filtered = await themes({ timeframe: 'last 7 days', team: team.name });
      const live = em.workspace.live().filter((s) => s.teamAssigneeId === teamId);
      assert.equal(
        filtered.answer.conversations,
        live.filter((s) => within(s, filtered.answer.timeframe)).length,
      );
      const theme = filtered.answer.themes.find((t) => t.term === PHRASE);
      assert.equal(theme?.conversations, team.count);
      assert.deepEqual(
        theme.tickets,
        newestTickets(em.workspace.tickets.themedTickets().filter((t) => t.teamAssigneeId === teamId)),
      );
      // Tickets have no tags: a tag narrows the conversations, and no ticket is named.
      const tag = answer.themes[0]!.tags[0]!.name;
      const tagged = await themes({ timeframe: 'last 7 days', tag });
      assert.ok(tagged.answer.themes.some((t) => t.term === PHRASE));
      assert.ok(tagged.answer.themes.every((t) => t.tickets.length === 0));
      assert.ok(tagged.answer.notes.some((n) => n.startsWith('Tickets: none named')));
    });

    it('does not show the theme in a window before it', async () => {
      const { answer } = await themes({ timeframe: 'last 30 days', baseline_periods: 1 });
      const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86400_000).toISOString().slice(0, 10);
      const earlier = await themes({ timeframe: `${day(20)} to ${day(14)}`, min_conversations: 2 });
      assert.ok(answer.themes.some((t) => t.term === PHRASE));
      assert.ok(earlier.answer.conversations > 0);
      assert.ok(!earlier.answer.themes.some((t) => t.term.includes('zephyr')));
    });

    it('answers an empty window with no themes and says its baseline was empty', async () => {
      const { answer } = await themes({ timeframe: 'January 2020' });
      assert.equal(answer.conversations, 0);
      assert.equal(answer.baseline_conversations, 0);
      assert.deepEqual(answer.themes, []);
      assert.ok(answer.notes.some((n) => n.includes('baseline has no conversations')));
    });

    it('refuses arguments out of range, naming them', async () => {
      const r = await mcp.call('conversation_themes', { baseline_periods: 0 });
      assert.equal(r.isError, true);
      assert.match(r.content[0]!.text, /baseline_periods/);
    });
  });
