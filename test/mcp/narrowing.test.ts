/**
 * A server an admin narrows: `--read-only`, `--tools`, `--exclude-tools` and their variables, over
 * stdio and HTTP, as clients see them: what is listed, and what a call to a tool left out answers.
 * Which tools each setting keeps is the unit table's (test/unit/tool-selection.test.ts); here, that
 * the settings reach the server from each place they are given.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { writeFileConfig, fileConfigSchema } from '../../src/config/settings.js';
import { resolveWorkspace } from '../../src/config/workspace-paths.js';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { TOOL_NAMES } from '../../src/mcp/tools/index.js';
import { CLI, childEnv, runCli, tempWorkspace } from '../helpers/cli.js';

/** A token for an API nobody answers: nothing here syncs, and a call that tried would fail. */
const OFFLINE = { INTERCOM_ACCESS_TOKEN: 'narrowing-test', INTERCOM_API_BASE_URL: 'http://127.0.0.1:9' };
const HTTP_TOKEN = 'narrowing-test-token-123456';

interface Listed {
  names: string[];
  call: (name: string) => Promise<{ isError?: boolean; text: string }>;
  close: () => Promise<void>;
}

async function listed(transport: StdioClientTransport | StreamableHTTPClientTransport): Promise<Listed> {
  const client = new Client(
    { name: 'narrowing', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(transport);
  return {
    names: (await client.listTools()).tools.map((t) => t.name),
    call: async (name) => {
      const r = await client.callTool({ name, arguments: {} });
      return { isError: r.isError, text: (r.content as { text: string }[]).map((c) => c.text).join('\n') };
    },
    close: () => client.close(),
  };
}

const stdio = (args: string[], env: Record<string, string>, workspace = tempWorkspace()) =>
  listed(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, '--workspace', workspace, ...args],
      env: childEnv(env),
      stderr: 'pipe',
    }),
  );

const without = (...names: string[]) => TOOL_NAMES.filter((n) => !names.includes(n));

describe('a narrowed server', () => {
  it('--read-only lists no tool that changes anything, and answers a call to one with why', async () => {
    const s = await stdio(['--test-mode', 'start', '--read-only'], OFFLINE);
    try {
      assert.deepEqual(s.names, without('sync_conversations'));
      const r = await s.call('sync_conversations');
      assert.equal(r.isError, true);
      assert.match(r.text, /^sync_conversations is not served here: this server is read-only \(--read-only/);
      // The tools it keeps still answer.
      assert.notEqual((await s.call('get_server_status')).isError, true);
    } finally {
      await s.close();
    }
  });

  it('takes the allow-list from its variable, and the exclusion flag over the variable', async () => {
    const s = await stdio(['--test-mode', 'start', '--exclude-tools', 'get_conversation'], {
      ...OFFLINE,
      FASTINTERCOM_TOOLS: 'get_conversation, search_conversations,get_server_status',
      FASTINTERCOM_EXCLUDE_TOOLS: 'search_conversations',
    });
    try {
      assert.deepEqual(s.names, ['search_conversations', 'get_server_status']);
      assert.match(
        (await s.call('get_conversation')).text,
        /not served here: this server was started without it/,
      );
      assert.match(
        (await s.call('list_workspace')).text,
        /not served here: this server serves only the tools/,
      );
    } finally {
      await s.close();
    }
  });

  it('takes read-only and the lists from the workspace’s settings, and a flag over them', async () => {
    const workspace = tempWorkspace();
    writeFileConfig(
      resolveWorkspace({ workspace, testMode: false }),
      fileConfigSchema.parse({ read_only: true, exclude_tools: ['search', 'fetch'] }),
    );
    const s = await stdio(['start'], OFFLINE, workspace);
    try {
      assert.deepEqual(s.names, without('sync_conversations', 'search', 'fetch'));
    } finally {
      await s.close();
    }
    const flagged = await stdio(['start', '--exclude-tools', 'fetch'], OFFLINE, workspace);
    try {
      assert.deepEqual(flagged.names, without('sync_conversations', 'fetch'));
    } finally {
      await flagged.close();
    }
  });

  it('does not list a sync where the copy cannot be synced, and says why when it is called', async () => {
    const s = await stdio(['--test-mode', 'start'], { INTERCOM_API_BASE_URL: OFFLINE.INTERCOM_API_BASE_URL });
    try {
      assert.deepEqual(s.names, without('sync_conversations'));
      assert.match((await s.call('sync_conversations')).text, /not served here: No Intercom access token/);
    } finally {
      await s.close();
    }
  });

  for (const [what, args, env, message] of [
    [
      'a tool name that does not exist',
      ['--tools', 'get_conversation,search_conversation'],
      {},
      /--tools names a tool that does not exist: 'search_conversation'\. The tools are search_conversations, get_conversation,/,
    ],
    [
      'settings that leave no tool',
      ['--tools', 'sync_conversations', '--read-only'],
      {},
      /leave no tool to serve/,
    ],
    [
      'a read-only variable that is no yes or no',
      [],
      { FASTINTERCOM_READ_ONLY: 'maybe' },
      /FASTINTERCOM_READ_ONLY must be 1 or 0 \(true or false\), got 'maybe'/,
    ],
  ] as const)
    it(`refuses to start with ${what}, saying so on stderr and nothing on stdout`, async () => {
      const r = await runCli(['--workspace', tempWorkspace(), 'start', ...args], { ...OFFLINE, ...env });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });

  describe('over HTTP', () => {
    let serve: ServeProcess;
    before(async () => {
      serve = await startServeProcess(tempWorkspace(), OFFLINE, HTTP_TOKEN, ['--read-only']);
    });
    after(() => serve?.stop());

    for (const era of ['legacy', 'modern'] as const)
      it(`--read-only on serve: a ${era} client sees the same narrowed list`, async () => {
        const client = new Client(
          { name: 'narrowing', version: '1.0.0' },
          era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
        );
        await client.connect(
          new StreamableHTTPClientTransport(new URL(serve.url), {
            requestInit: { headers: { Authorization: `Bearer ${HTTP_TOKEN}` } },
          }),
        );
        try {
          assert.equal(client.getProtocolEra() ?? 'legacy', era);
          assert.deepEqual(
            (await client.listTools()).tools.map((t) => t.name),
            without('sync_conversations'),
          );
          const r = await client.callTool({ name: 'sync_conversations', arguments: { wait_seconds: 0 } });
          assert.equal(r.isError, true);
        } finally {
          await client.close();
        }
      });
  });
});
