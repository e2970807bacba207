import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { openStore, type StoreTarget } from '../../src/store/open.js';
import { runSync } from '../../src/sync/engine.js';
import { ENGINES, freshStore, targetEnv } from '../helpers/engines.js';
import { control, rawRequest } from '../helpers/http.js';

type ToolResult = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: any };
const TOKEN = 'http-test-token-123456';

for (const engine of ENGINES)
  describe(`MCP server over Streamable HTTP (${engine.name})`, () => {
    let em: RunningEmulator;
    let serve: ServeProcess;
    let child: ChildProcess;
    let exited: Promise<{ code: number | null; stderr: string }>;
    let url: string;
    let target: StoreTarget;
    const phraseIds: string[] = [];

    before(async () => {
      em = await startEmulator({ conversations: 600, days: 10, seed: 'http' });
      for (let i = 0; i < 3; i++) {
        phraseIds.push(
          (await control(em, 'POST', '/conversations', { body: `Invoice PDF renders upside down (${i})` }))
            .json.id,
        );
      }
      const fresh = await freshStore(engine);
      target = fresh.target;
      const store = fresh.store;
      await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: 30 });
      await store.close();
      serve = await startServeProcess(
        target.workspaceDir,
        { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(target) },
        TOKEN,
      );
      child = serve.child;
      exited = serve.exited;
      url = serve.url;
    });
    after(async () => {
      if (child?.exitCode === null) child.kill('SIGTERM');
      await em.stop();
    });

    const connect = () => serve.connect();

    async function waitForIdle(client: Client): Promise<void> {
      for (let i = 0; i < 300; i++) {
        const s = (await client.callTool({ name: 'get_server_status', arguments: {} })) as ToolResult;
        if (s.structuredContent.sync_running === undefined) return;
        await new Promise((res) => setTimeout(res, 100));
      }
    }

    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    const post = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: initialize,
      });

    it('refuses requests without the token, with a wrong token, or from a foreign origin', async () => {
      assert.equal((await post({})).status, 401);
      assert.equal((await post({ Authorization: 'Bearer nope' })).status, 401);
      assert.equal(
        (await post({ Authorization: `Bearer ${TOKEN}`, Origin: 'https://evil.example' })).status,
        403,
      );
      assert.equal((await post({ Authorization: `Bearer ${TOKEN}` })).status, 200);
    });

    /** A request as a proxy or a browser on another name would send it: with its own Host header. */
    const withHost = (path: string, host: string, headers: Record<string, string> = {}, base = url) =>
      rawRequest(new URL(path, base).toString(), {
        method: path === '/mcp' ? 'POST' : 'GET',
        headers: {
          Host: host,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          ...headers,
        },
        ...(path === '/mcp' ? { body: initialize } : {}),
      });

    it('answers only its own Host names, and says how to add one', async () => {
      const auth = { Authorization: `Bearer ${TOKEN}` };
      const own = new URL(url).host;
      assert.equal((await withHost('/mcp', own, auth)).status, 200);
      const foreign = await withHost('/mcp', 'intercom-mcp.internal', auth);
      assert.equal(foreign.status, 403);
      assert.match(foreign.body, /--allow-host/);
    });

    it('answers /healthz and /readyz without a token, whatever the Host, and reveals no data', async () => {
      const health = await withHost('/healthz', '10.0.0.5:8765');
      assert.equal(health.status, 200);
      assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
      const ready = await withHost('/readyz', 'intercom-mcp.internal');
      assert.equal(ready.status, 200);
      const body = JSON.parse(ready.body) as { status: string; last_sync_age_seconds: number };
      assert.deepEqual(Object.keys(body).sort(), ['last_sync_age_seconds', 'status']);
      assert.equal(body.status, 'ready');
      assert.ok(
        Number.isInteger(body.last_sync_age_seconds) &&
          body.last_sync_age_seconds >= 0 &&
          body.last_sync_age_seconds < 600,
        `the age of the sync before this test: ${body.last_sync_age_seconds}`,
      );
    });

    it('with --allow-host, answers those names at any port (or the one given) and refuses the rest', async () => {
      const allowing = await startServeProcess(
        target.workspaceDir,
        { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(target) },
        TOKEN,
        ['--allow-host', 'intercom-mcp.internal', 'localhost:9000'],
      );
      try {
        for (const [host, status] of [
          ['intercom-mcp.internal', 200],
          ['intercom-mcp.internal:443', 200],
          ['localhost:9000', 200],
          ['localhost:9001', 403],
          ['evil.example', 403],
        ] as const)
          assert.equal(
            (await withHost('/mcp', host, { Authorization: `Bearer ${TOKEN}` }, allowing.url)).status,
            status,
            host,
          );
      } finally {
        await allowing.stop();
      }
    });

    it('five clients at once get correct answers while a sync runs', async () => {
      const clients = await Promise.all(Array.from({ length: 5 }, () => connect()));
      try {
        await control(em, 'PUT', '/latency', { fixedMs: 60, jitterMs: 20 });
        const first = (await clients[0]!.callTool({
          name: 'sync_conversations',
          arguments: { force: true, days: 30, wait_seconds: 0 },
        })) as ToolResult;
        assert.match(first.content[0]!.text, /Sync started/);
        const second = (await clients[1]!.callTool({
          name: 'sync_conversations',
          arguments: { wait_seconds: 0 },
        })) as ToolResult;
        assert.match(second.content[0]!.text, /already running/);
        const status = (await clients[2]!.callTool({
          name: 'get_server_status',
          arguments: {},
        })) as ToolResult;
        assert.notEqual(
          status.structuredContent.sync_running,
          null,
          'the sync is running during the queries',
        );
        const answers = await Promise.all(
          clients.flatMap((c) =>
            Array.from({ length: 8 }, async () => {
              const r = (await c.callTool({
                name: 'search_conversations',
                arguments: { query: '"upside down"' },
              })) as ToolResult;
              assert.ok(!r.isError, r.content[0]?.text);
              return r.structuredContent.conversations.map((x: { id: string }) => x.id).sort();
            }),
          ),
        );
        for (const ids of answers) assert.deepEqual(ids, [...phraseIds].sort());
        await control(em, 'PUT', '/latency', { fixedMs: 0 });
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    });

    it('SIGTERM during a sync stops it at a checkpoint and closes cleanly', async () => {
      const client = await connect();
      await waitForIdle(client);
      const store = await openStore(target);
      try {
        const before = (await store.status()).lastRun?.id ?? 0;
        await control(em, 'PUT', '/latency', { fixedMs: 300, jitterMs: 0 });
        const r = (await client.callTool({
          name: 'sync_conversations',
          arguments: { force: true, days: 30, wait_seconds: 0 },
        })) as ToolResult;
        assert.match(r.content[0]!.text, /Sync started/);
        // The signal lands inside the forced run: sent once that run has saved its first checkpoint.
        while (((await store.getCheckpoint())?.runId ?? 0) <= before)
          await new Promise((res) => setTimeout(res, 50));
        child.kill('SIGTERM');
        const { code, stderr } = await exited;
        assert.equal(code, 0, stderr);
        await control(em, 'PUT', '/latency', { fixedMs: 0 });
        // Interrupted, not finished: the server did not wait for the whole sync (600 threads at
        // 300 ms each), and left the checkpoint the next sync resumes from.
        const last = (await store.status()).lastRun;
        assert.equal(last?.id, before + 1);
        assert.equal(last?.status, 'interrupted', JSON.stringify(last) + stderr);
        assert.ok(await store.getCheckpoint(), 'the checkpoint is kept for the next sync to resume from');
        assert.deepEqual(await store.integrityProblems(), []);
      } finally {
        await store.close();
      }
    });
  });
