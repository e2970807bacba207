/**
 * Both eras of MCP, through the clients that speak them: the SDK 1.x client (2025-11-25, with
 * `initialize` and sessions) and the SDK 2 client pinned to 2026-07-28 (stateless, `server/discover`,
 * the version in every request's `_meta`), over stdio and Streamable HTTP (session and stateless
 * servers), on both engines. Through each, the integration test's whole tool suite runs and every
 * answer is checked against the store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { callerOf, runToolSuite, type ToolCaller } from '../../src/integration/mcp-check.js';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { TOOL_NAMES } from '../../src/mcp/tools/index.js';
import type { Store } from '../../src/store/types.js';
import { runSync } from '../../src/sync/engine.js';
import { CLI, childEnv, tempWorkspace } from '../helpers/cli.js';
import { MODERN, modernPost as post } from '../helpers/modern-post.js';
import { ENGINES, freshStore, targetEnv } from '../helpers/engines.js';

const TOKEN = 'eras-test-token-123456';
const DAYS = 10;

interface Connected {
  era: 'legacy' | 'modern';
  /** The revision the connection speaks, as the client reports it. */
  version: string | undefined;
  listTools: () => Promise<string[]>;
  call: ToolCaller;
  close: () => Promise<void>;
}

async function v1(transport: StdioV1 | HttpV1): Promise<Connected> {
  const client = new ClientV1({ name: 'eras-v1', version: '1.0.0' });
  await client.connect(transport);
  return {
    era: 'legacy',
    version: (transport as { protocolVersion?: string }).protocolVersion ?? '2025-11-25',
    listTools: async () => (await client.listTools()).tools.map((t) => t.name),
    call: (name, args, timeoutMs) =>
      client.callTool(
        { name, arguments: args },
        undefined,
        timeoutMs ? { timeout: timeoutMs } : undefined,
      ) as ReturnType<ToolCaller>,
    close: () => client.close(),
  };
}

async function v2(transport: StdioClientTransport | StreamableHTTPClientTransport): Promise<Connected> {
  const client = new Client(
    { name: 'eras-v2', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: MODERN } } },
  );
  await client.connect(transport);
  return {
    era: client.getProtocolEra() ?? 'legacy',
    version: client.getNegotiatedProtocolVersion(),
    listTools: async () => (await client.listTools()).tools.map((t) => t.name),
    call: callerOf(client),
    close: () => client.close(),
  };
}

for (const engine of ENGINES)
  describe(`both MCP eras through both SDKs (${engine.name})`, () => {
    let em: RunningEmulator;
    let store: Store;
    let env: Record<string, string>;
    let sessions: ServeProcess;
    let stateless: ServeProcess;

    before(async () => {
      em = await startEmulator({ conversations: 240, days: DAYS, seed: 'eras' });
      const fresh = await freshStore(engine);
      store = fresh.store;
      await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: DAYS });
      env = { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(fresh.target) };
      [sessions, stateless] = await Promise.all([
        startServeProcess(fresh.target.workspaceDir, env, TOKEN),
        startServeProcess(fresh.target.workspaceDir, env, TOKEN, ['--stateless']),
      ]);
    });
    after(async () => {
      await Promise.all([sessions?.stop(), stateless?.stop()]);
      await store?.close();
      await em?.stop();
    });

    const stdio = { command: process.execPath, args: [CLI, '--test-mode', 'start'], stderr: 'pipe' as const };
    const bearer = { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } };
    const clients: { name: string; era: 'legacy' | 'modern'; connect: () => Promise<Connected> }[] = [
      {
        name: 'SDK 1 client, stdio',
        era: 'legacy',
        connect: () => v1(new StdioV1({ ...stdio, env: childEnv(env) })),
      },
      {
        name: 'SDK 2 client pinned to 2026-07-28, stdio',
        era: 'modern',
        connect: () => v2(new StdioClientTransport({ ...stdio, env: childEnv(env) })),
      },
      {
        name: 'SDK 1 client, HTTP with sessions',
        era: 'legacy',
        connect: () => v1(new HttpV1(new URL(sessions.url), bearer)),
      },
      {
        name: 'SDK 2 client pinned to 2026-07-28, HTTP beside sessions',
        era: 'modern',
        connect: () => v2(new StreamableHTTPClientTransport(new URL(sessions.url), bearer)),
      },
      {
        name: 'SDK 1 client, stateless HTTP',
        era: 'legacy',
        connect: () => v1(new HttpV1(new URL(stateless.url), bearer)),
      },
      {
        name: 'SDK 2 client pinned to 2026-07-28, stateless HTTP',
        era: 'modern',
        connect: () => v2(new StreamableHTTPClientTransport(new URL(stateless.url), bearer)),
      },
    ];

    for (const c of clients)
      it(`${c.name}: every tool answers, checked against the store`, async () => {
        const client = await c.connect();
        try {
          assert.equal(client.era, c.era);
          assert.equal(client.version === MODERN, c.era === 'modern', `negotiated ${client.version}`);
          assert.deepEqual(await client.listTools(), TOOL_NAMES);
          const tallies = await runToolSuite(client.call, { store, days: DAYS, syncComplete: true });
          assert.deepEqual(
            [...tallies.values()].flatMap((t) => t.failures),
            [],
          );
          // The suite exercises every listed tool, so no tool went untested in this era.
          assert.deepEqual([...tallies.keys()].sort(), [...TOOL_NAMES].sort());
        } finally {
          await client.close();
        }
      });
  });

const modernPost = (
  url: string,
  method: string,
  params: Record<string, unknown>,
  headers: Record<string, string>,
) => post(url, TOKEN, method, params, headers);

describe('the 2026-07-28 revision on the wire', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await startServeProcess(
      tempWorkspace(),
      { INTERCOM_ACCESS_TOKEN: 'eras', INTERCOM_API_BASE_URL: 'http://127.0.0.1:9' },
      TOKEN,
    );
  });
  after(() => serve?.stop());

  it('lets a client cache the lists and the discovery for an hour, anyone’s alike', async () => {
    for (const method of ['tools/list', 'prompts/list', 'resources/templates/list', 'server/discover']) {
      const r = await modernPost(serve.url, method, {}, { 'Mcp-Method': method });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.result.ttlMs, 3_600_000, method);
      assert.equal(r.body.result.cacheScope, 'public', method);
    }
    const discovered = await modernPost(
      serve.url,
      'server/discover',
      {},
      { 'Mcp-Method': 'server/discover' },
    );
    assert.deepEqual(discovered.body.result.supportedVersions, [MODERN]);
  });

  it('refuses a request whose Mcp-Method or Mcp-Name header is missing or disagrees with its body', async () => {
    const cases: [string, Record<string, unknown>, Record<string, string>][] = [
      ['tools/list', {}, {}],
      ['tools/list', {}, { 'Mcp-Method': 'prompts/list' }],
      ['tools/call', { name: 'get_server_status', arguments: {} }, { 'Mcp-Method': 'tools/call' }],
      [
        'tools/call',
        { name: 'get_server_status', arguments: {} },
        { 'Mcp-Method': 'tools/call', 'Mcp-Name': 'search' },
      ],
    ];
    for (const [method, params, headers] of cases) {
      const r = await modernPost(serve.url, method, params, headers);
      assert.equal(r.status, 400, JSON.stringify(headers));
      assert.equal(r.body.error.code, -32020, JSON.stringify(r.body));
    }
    const ok = await modernPost(
      serve.url,
      'tools/call',
      { name: 'get_server_status', arguments: {} },
      { 'Mcp-Method': 'tools/call', 'Mcp-Name': 'get_server_status' },
    );
    assert.equal(ok.status, 200);
    assert.equal(typeof ok.body.result.structuredContent.conversations, 'number');
  });

  it('answers a tool that does not exist with the revision’s invalid-params error', async () => {
    const r = await modernPost(
      serve.url,
      'tools/call',
      { name: 'no_such_tool', arguments: {} },
      { 'Mcp-Method': 'tools/call', 'Mcp-Name': 'no_such_tool' },
    );
    assert.equal(r.body.error.code, -32602);
    assert.match(r.body.error.message, /no_such_tool/);
  });
});
