/** A stdio server as a desktop client launches it, on a copy of an emulator's workspace synced beforehand. */
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { childEnv } from '../../src/integration/child-env.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { runSync } from '../../src/sync/engine.js';
import { CLI } from './cli.js';
import { freshStore, targetEnv, type TestEngine } from './engines.js';
import { connectChecked, type CheckedClient } from './mcp.js';

export async function syncedStdioServer(
  em: RunningEmulator,
  engine: TestEngine,
  days: number,
): Promise<CheckedClient> {
  const { store, target } = await freshStore(engine);
  await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: days });
  await store.close();
  return connectChecked(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, '--test-mode', 'start'],
      env: childEnv({ INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(target) }),
      stderr: 'pipe',
    }),
  );
}
