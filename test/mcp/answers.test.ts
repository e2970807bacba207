/**
 * Answers that tell a model what to do next, on both engines, through a real stdio client: ids
 * sent as numbers to every tool that takes one; the asked window's coverage in the text, with the
 * exact `since` that fills a gap; a search that finds nothing names the words no conversation has
 * and a query to try; a hit shows its opening message once; get_conversation and fetch say how
 * fresh the copy is.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { ENGINES } from '../helpers/engines.js';
import { syncedStdioServer } from '../helpers/synced-server.js';
import type { CheckedClient } from '../helpers/mcp.js';

for (const engine of ENGINES)
  describe(`answers that say what to do next (${engine.name})`, () => {
    let em: RunningEmulator;
    let mcp: CheckedClient;
    before(async () => {
      em = await startEmulator({ conversations: 150, days: 10, seed: `answers-${engine.name}` });
      mcp = await syncedStdioServer(em, engine, 20);
    });
    after(async () => {
      await mcp?.close();
      await em?.stop();
    });

    it('takes ids as numbers in every tool that takes one', async () => {
      const c = em.workspace.live().find((s) => s.adminAssigneeId !== null && s.tagIds.length > 0)!;
      const r = await mcp.call('get_conversation', { conversation_id: Number(c.id) });
      assert.equal(r.isError, undefined, r.content[0]!.text);
      assert.equal(r.structuredContent.id, c.id);
      const f = await mcp.call('fetch', { id: Number(c.id) });
      assert.equal(f.isError, undefined, f.content[0]!.text);
      assert.equal(f.structuredContent.id, c.id);
      // Contact ids are hex in Intercom: a number is read as its digits, and refused as an unknown contact.
      const contact = await mcp.call('get_contact', { contact: 12345 });
      assert.equal(contact.isError, true);
      assert.match(contact.content[0]!.text, /12345/);
      assert.doesNotMatch(contact.content[0]!.text, /expected string/);
      const tag = em.workspace.directory.tags.find((t) => t.id === c.tagIds[0])!;
      const filtered = await mcp.call('search_conversations', {
        assignee: Number(c.adminAssigneeId),
        tag: Number(tag.id),
        limit: 200,
      });
      assert.equal(filtered.isError, undefined, filtered.content[0]!.text);
      assert.ok(
        filtered.structuredContent.conversations.some((h: { id: string }) => h.id === c.id),
        'the conversation is found by its numeric assignee and tag ids',
      );
      const stats = await mcp.call('conversation_stats', { timeframe: 'last 30 days', tag: Number(tag.id) });
      assert.equal(stats.isError, undefined, stats.content[0]!.text);
    });

    it('says in the text whether the asked window is covered, and the since that fills it', async () => {
      const covered = await mcp.call('search_conversations', { timeframe: 'last 3 days' });
      assert.match(covered.content[0]!.text, /The copy covers this timeframe completely\./);
      const never = await mcp.call('search_conversations', { timeframe: '2020' });
      assert.match(
        never.content[0]!.text,
        /This timeframe was never synced, so results may be incomplete: sync_conversations \{since: "2020-01-01T00:00:00\+00:00"\} fetches it \(about [1-9][\d,]* API calls, (under a minute|about \d+ minutes?) at (the last sync's pace|Intercom's default rate limit)\)\./,
      );
      const status = await mcp.call('get_server_status', { timeframe: 'last 3 days' });
      assert.match(status.content[0]!.text, /covers this timeframe completely/);
    });

    it('names the words that matched nothing, and a query to try', async () => {
      const partly = await mcp.call('search_conversations', { query: 'refund zzqqxxnothing' });
      assert.equal(partly.structuredContent.total, 0);
      assert.match(
        partly.content[0]!.text,
        /No conversation has "zzqqxxnothing"; without it, try the query "refund"\./,
      );
      const none = await mcp.call('search_conversations', {
        query: 'zzqqxx qqzzyy',
        timeframe: 'last 3 days',
      });
      assert.match(
        none.content[0]!.text,
        /No conversation in this timeframe has "zzqqxx" or "qqzzyy": try other words, a longer timeframe or fewer filters\./,
      );
    });

    it('shows a hit’s opening message once, and says how fresh a thread is', async () => {
      const r = await mcp.call('search_conversations', { limit: 50 });
      const untitled = (
        r.structuredContent.conversations as { id: string; subject: string; snippet: string }[]
      ).find((h) => h.snippet.replace(/…/g, '').includes(h.subject));
      assert.ok(untitled, 'a hit named by its opening message');
      const block = r.content[0]!.text.split('\n#').find((b) => b.startsWith(untitled.id))!;
      assert.equal(block.split(untitled.subject).length - 1, 1, `the subject once in: ${block}`);
      const thread = await mcp.call('get_conversation', { conversation_id: untitled.id });
      assert.match(thread.content[0]!.text, /Local copy synced \d+ min ago/);
      assert.equal(typeof thread.structuredContent.freshness.age_minutes, 'number');
      const fetched = await mcp.call('fetch', { id: untitled.id });
      assert.equal(typeof JSON.parse(fetched.content[0]!.text).freshness.note, 'string');
    });
  });
