/**
 * Health with every answer, on both engines: a good sync, then the token revoked at the emulator
 * and a sync that fails. Every tool's answer then starts with the warning and carries `health`,
 * and a search that finds nothing is an error, not a quiet week. Intercom out of reach does the
 * same. Before the failure, answers say nothing of health but `health.ok`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { ENGINES } from '../helpers/engines.js';
import { syncedStdioServer } from '../helpers/synced-server.js';
import { control } from '../helpers/http.js';
import type { CheckedClient, ToolResult } from '../helpers/mcp.js';

/** One call of every read tool, with arguments that find something on a healthy copy. */
const readCalls = (id: string, articleId: string, ticketId: string): [string, Record<string, unknown>][] => [
  ['search_conversations', { query: 'refund' }],
  ['get_conversation', { conversation_id: id }],
  ['conversation_stats', { timeframe: 'last 30 days' }],
  ['search_contacts', { query: 'example' }],
  ['search_tickets', {}],
  ['get_ticket', { ticket_id: ticketId }],
  ['search_articles', {}],
  ['get_article', { article_id: articleId }],
  ['list_workspace', {}],
  ['get_server_status', {}],
  ['search', { query: 'refund' }],
  ['fetch', { id }],
];

const warning = (r: ToolResult, tool: string) => {
  const text = r.content[0]!.text;
  return tool === 'search' || tool === 'fetch' ? (JSON.parse(text) as { warning?: string }).warning : text;
};

for (const engine of ENGINES)
  describe(`every answer says when the copy cannot be trusted (${engine.name})`, () => {
    let em: RunningEmulator;
    let mcp: CheckedClient;
    let id = '';
    let articleId = '';
    let ticketId = '';
    before(async () => {
      em = await startEmulator({ conversations: 120, days: 10, seed: `health-${engine.name}` });
      id = em.workspace.live()[0]!.id;
      articleId = em.workspace.helpCenter.list()[0]!.id;
      ticketId = em.workspace.tickets.live()[0]!.id;
      mcp = await syncedStdioServer(em, engine, 30);
    });
    let stopped = false;
    after(async () => {
      await mcp?.close();
      if (!stopped) await em?.stop();
    });

    it('says nothing but health.ok while the copy is sound', async () => {
      for (const [tool, args] of readCalls(id, articleId, ticketId)) {
        const r = await mcp.call(tool, args);
        assert.equal(r.isError, undefined, `${tool}: ${r.content[0]!.text.slice(0, 200)}`);
        assert.deepEqual(r.structuredContent.health, { ok: true, problems: [] }, tool);
        assert.ok(!String(warning(r, tool) ?? '').startsWith('Warning:'), tool);
      }
    });

    it('with the token revoked, every answer starts with the failure and its fix', async () => {
      await control(em, 'PUT', '/token', { token: 'revoked-token-000' });
      const sync = await mcp.call('sync_conversations', { wait_seconds: 30 });
      assert.equal(sync.isError, true);
      for (const [tool, args] of readCalls(id, articleId, ticketId)) {
        const r = await mcp.call(tool, args);
        assert.equal(r.isError, undefined, `${tool} still answers from the copy`);
        assert.match(
          String(warning(r, tool)),
          /^Warning: The last sync failed: .*401.*Run `fast-intercom-mcp --test-mode doctor`/s,
          tool,
        );
        assert.equal(r.structuredContent.health.ok, false, tool);
        assert.match(r.structuredContent.health.problems[0], /The last sync failed/);
      }
    });

    it('an empty answer from that copy is an error, not zero results', async () => {
      for (const [tool, args] of [
        ['search_conversations', { query: 'zzqqxxnothing' }],
        ['search', { query: 'zzqqxxnothing' }],
        ['search_contacts', { query: 'zzqqxxnothing' }],
        ['search_articles', { query: 'zzqqxxnothing' }],
        ['search_tickets', { query: 'zzqqxxnothing' }],
        ['conversation_stats', { timeframe: '2000' }],
      ] as [string, Record<string, unknown>][]) {
        const r = await mcp.call(tool, args);
        assert.equal(r.isError, true, tool);
        assert.match(r.content[0]!.text, /^Warning: The last sync failed/);
        assert.match(r.content[0]!.text, /cannot be trusted to be complete/);
      }
      const missing = await mcp.call('get_conversation', { conversation_id: '1' });
      assert.equal(missing.isError, true);
      assert.match(
        missing.content[0]!.text,
        /^Warning: The last sync failed[\s\S]*No conversation 1 in the local copy/,
      );
    });

    it('with Intercom out of reach, the same', async () => {
      await control(em, 'PUT', '/token', { token: em.token });
      const ok = await mcp.call('sync_conversations', { wait_seconds: 30 });
      assert.equal(ok.isError, undefined, ok.content[0]!.text);
      assert.equal(
        (await mcp.call('search_conversations', { query: 'refund' })).structuredContent.health.ok,
        true,
      );
      await em.stop();
      stopped = true;
      const sync = await mcp.call('sync_conversations', { wait_seconds: 60 });
      assert.equal(sync.isError, true);
      const r = await mcp.call('search_conversations', { query: 'zzqqxxnothing' });
      assert.equal(r.isError, true);
      assert.match(r.content[0]!.text, /^Warning: The last sync failed: .*(reach|connect|ECONNREFUSED)/is);
    });
  });
