import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { runSync } from '../../src/sync/engine.js';
import { childEnv, CLI, tempWorkspace } from '../helpers/cli.js';
import { control } from '../helpers/http.js';

type ToolResult = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: any };

describe('MCP server over stdio, driven by the SDK client', () => {
  let em: RunningEmulator;
  let client: Client;
  const dir = tempWorkspace();
  const phraseIds: string[] = [];

  before(async () => {
    em = await startEmulator({ conversations: 800, days: 10, seed: 'mcp' });
    for (let i = 0; i < 4; i++) {
      const c = await control(em, 'POST', '/conversations', {
        body: `The quantum flux capacitor is leaking again (${i})`,
      });
      phraseIds.push(c.json.id);
    }
    const store = new SqliteStore(join(dir, 'data.db'));
    await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: 30 });
    store.close();
    const env = childEnv({ INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token });
    client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, '--workspace', dir, '--test-mode', 'start'],
        env,
        stderr: 'pipe',
      }),
    );
  });
  after(async () => {
    await client?.close();
    await em.stop();
  });

  const call = (name: string, args: Record<string, unknown> = {}) =>
    client.callTool({ name, arguments: args }) as Promise<ToolResult>;

  it('lists the original tools with schemas and annotations', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, [
      'conversation_stats',
      'get_contact',
      'get_conversation',
      'get_server_status',
      'search_contacts',
      'search_conversations',
      'sync_conversations',
    ]);
    const search = tools.find((t) => t.name === 'search_conversations')!;
    assert.equal(search.annotations?.readOnlyHint, true);
    assert.ok(search.inputSchema.properties?.timeframe && search.inputSchema.properties?.customer_email);
    assert.ok(search.outputSchema);
  });

  it('ranks the conversations containing a phrase first', async () => {
    const r = await call('search_conversations', { query: '"quantum flux capacitor"', limit: 10 });
    assert.ok(!r.isError, r.content[0]?.text);
    const ids = r.structuredContent.conversations.map((c: { id: string }) => c.id);
    assert.deepEqual([...ids].sort(), [...phraseIds].sort());
    assert.match(r.content[0]!.text, /\*\*quantum\*\*/i);
  });

  it('filters by state, timeframe, assignee, tag and customer, with paging', async () => {
    const open = await call('search_conversations', { state: 'open', limit: 5 });
    const live = em.workspace.live();
    assert.equal(open.structuredContent.total, live.filter((s) => s.state === 'open').length);
    assert.ok(open.structuredContent.conversations.every((c: { state: string }) => c.state === 'open'));
    const next = await call('search_conversations', {
      state: 'open',
      limit: 5,
      cursor: open.structuredContent.next_cursor,
    });
    assert.notEqual(next.structuredContent.conversations[0].id, open.structuredContent.conversations[0].id);

    const admin = em.workspace.directory.humans[2]!;
    const byAdmin = await call('search_conversations', { assignee: admin.name, limit: 200 });
    assert.equal(byAdmin.structuredContent.total, live.filter((s) => s.adminAssigneeId === admin.id).length);

    const tag = em.workspace.directory.tagByName('billing');
    const tagged = await call('search_conversations', { tag: 'billing', limit: 1 });
    assert.equal(tagged.structuredContent.total, live.filter((s) => s.tagIds.includes(tag.id)).length);

    const recent = await call('search_conversations', { timeframe: 'last 2 days', limit: 1 });
    const since = Date.now() / 1000 - 2 * 86400;
    const expected = live.filter((s) => s.updatedAt >= since).length;
    assert.ok(
      Math.abs(recent.structuredContent.total - expected) <= 2,
      `${recent.structuredContent.total} vs ${expected}`,
    );

    // Customer: a substring of a linked contact's email or name, case-insensitively.
    const withEmail = live.map((s) => em.workspace.directory.contactById(s.contactId)!).find((c) => c.email)!;
    const customerTotal = (text: string) =>
      live.filter((s) => {
        const c = em.workspace.directory.contactById(s.contactId)!;
        return [c.email, c.name].some((v) => v?.toLowerCase().includes(text.toLowerCase()));
      }).length;
    const mine = await call('search_conversations', { customer_email: withEmail.email!, limit: 50 });
    assert.equal(mine.structuredContent.total, customerTotal(withEmail.email!));
    assert.ok(mine.structuredContent.total >= 1);
    const domain = withEmail.email!.split('@')[1]!.toUpperCase();
    const byDomain = await call('search_conversations', { customer: domain, limit: 5 });
    assert.equal(byDomain.structuredContent.total, customerTotal(domain));
    assert.ok(byDomain.structuredContent.total > mine.structuredContent.total);
  });

  it('returns a whole thread in order, and caps it on request', async () => {
    const s = em.workspace.live().find((x) => x.partCount >= 6)!;
    const r = await call('get_conversation', { conversation_id: s.id });
    assert.ok(!r.isError);
    assert.equal(r.structuredContent.parts_stored, s.partCount);
    assert.match(r.content[0]!.text, new RegExp(`Conversation #${s.id}`));
    const capped = await call('get_conversation', { conversation_id: s.id, max_parts: 2 });
    assert.equal(capped.structuredContent.capped, true);
    assert.equal(capped.structuredContent.parts_shown, 2);
    const long = em.workspace.live().find((x) => x.partCount > 500);
    if (long) {
      const t = await call('get_conversation', { conversation_id: long.id, max_chars: 2000 });
      assert.equal(t.structuredContent.truncated_by_api, true);
      assert.match(t.content[0]!.text, /at most 500 parts/);
      assert.ok(t.content[0]!.text.length < 4000);
    }
  });

  it('reports status and freshness', async () => {
    const r = await call('get_server_status', { timeframe: 'last 3 days' });
    assert.equal(r.structuredContent.conversations, em.workspace.live().length);
    assert.equal(r.structuredContent.freshness.window_covered, true);
    assert.equal(r.structuredContent.sync_running, null);
  });

  it('answers bad arguments with specific tool errors and keeps serving', async () => {
    const unknown = await call('get_conversation', { conversation_id: '999999' });
    assert.equal(unknown.isError, true);
    assert.match(unknown.content[0]!.text, /No conversation 999999/);
    const badDate = await call('search_conversations', { timeframe: 'around a blue moon' });
    assert.equal(badDate.isError, true);
    assert.match(badDate.content[0]!.text, /Cannot read "around a blue moon"/);
    const negative = await call('search_conversations', { limit: -1 });
    assert.equal(negative.isError, true);
    const state = await call('search_conversations', { state: 'pending' });
    assert.equal(state.isError, true);
    const nobody = await call('search_conversations', { assignee: 'Nobody Atall' });
    assert.match(nobody.content[0]!.text, /No admin matches "Nobody Atall"/);
    const cursor = await call('search_conversations', { cursor: '!!' });
    assert.match(cursor.content[0]!.text, /cursor/);
    const ok = await call('get_server_status');
    assert.ok(!ok.isError);
  });

  it('answers statistics and contact look-ups from the local copy', async () => {
    const stats = await call('conversation_stats', { timeframe: 'last 30 days' });
    assert.ok(!stats.isError, stats.content[0]?.text);
    const since = Date.now() / 1000 - 30 * 86400;
    const created = em.workspace.live().filter((s) => s.createdAt >= since);
    assert.equal(stats.structuredContent.total, created.length);
    assert.equal(stats.structuredContent.byState.closed, created.filter((s) => s.state === 'closed').length);
    assert.ok(stats.structuredContent.medianFirstResponseSeconds > 0);
    const withEmail = em.workspace
      .live()
      .map((s) => em.workspace.directory.contactById(s.contactId)!)
      .find((c) => c.email)!;
    const found = await call('search_contacts', { query: withEmail.email! });
    assert.equal(found.structuredContent.contacts[0].id, withEmail.id);
    const one = await call('get_contact', { contact: withEmail.email! });
    assert.equal(
      one.structuredContent.conversations,
      em.workspace.live().filter((s) => s.contactId === withEmail.id).length,
    );
    const missing = await call('get_contact', { contact: 'nobody@nowhere.invalid' });
    assert.equal(missing.isError, true);
    const uncovered = await call('get_server_status', { timeframe: 'since 2020-01-01' });
    assert.equal(
      uncovered.structuredContent.freshness.window_covered,
      false,
      'a window older than any sync is flagged',
    );
  });

  it('serves the conversation resource template and the prompts', async () => {
    const id = phraseIds[0]!;
    const res = await client.readResource({ uri: `intercom://conversations/${id}` });
    assert.match((res.contents[0] as { text: string }).text, /quantum flux capacitor/);
    const { prompts } = await client.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name).sort(), ['customer_history', 'weekly_support_digest']);
    const digest = await client.getPrompt({
      name: 'weekly_support_digest',
      arguments: { timeframe: 'this week' },
    });
    assert.match((digest.messages[0]!.content as { text: string }).text, /timeframe "this week"/);
  });

  it('syncs on request, with progress notifications, and then finds the new data', async () => {
    const created = await control(em, 'POST', '/conversations', {
      body: 'Brand new: the zebra importer crashes',
    });
    const progress: number[] = [];
    const r = (await client.callTool({ name: 'sync_conversations', arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    })) as ToolResult;
    assert.ok(!r.isError, r.content[0]?.text);
    assert.equal(r.structuredContent.fetched, 1);
    assert.ok(progress.length >= 1, 'progress notifications were sent');
    const found = await call('search_conversations', { query: 'zebra importer' });
    assert.equal(found.structuredContent.conversations[0].id, created.json.id);
  });
});
