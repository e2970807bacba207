import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator } from '../../src/emulator/server.js';
import { childEnv, CLI, tempWorkspace } from '../helpers/cli.js';

type ToolResult = { structuredContent?: any };

describe('MCP server background sync', () => {
  it('outside test mode, a server on an empty workspace fills it in the background', async () => {
    const em = await startEmulator({ conversations: 300, days: 10, seed: 'background' });
    const env = childEnv({
      INTERCOM_API_BASE_URL: em.url,
      INTERCOM_ACCESS_TOKEN: em.token,
      FASTINTERCOM_BACKGROUND_SYNC_INTERVAL: '10',
    });
    const client = new Client({ name: 'background-test', version: '1.0.0' });
    try {
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [CLI, '--workspace', tempWorkspace(), 'start'],
          env,
          stderr: 'pipe',
        }),
      );
      let status: ToolResult | undefined;
      for (let i = 0; i < 200; i++) {
        status = (await client.callTool({ name: 'get_server_status', arguments: {} })) as ToolResult;
        if (status.structuredContent.last_sync?.status === 'succeeded') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status!.structuredContent.last_sync.status, 'succeeded');
      assert.equal(
        status!.structuredContent.conversations,
        em.workspace.live().length,
        'initial_sync_days (30) covers all 10 days',
      );
    } finally {
      await client.close();
      await em.stop();
    }
  });
});
