/** SQLite's own hazard: the file a connection opened is not the one at the path any more. */
import assert from 'node:assert/strict';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startServerProcess } from '../../src/integration/server-process.js';
import { StoreError } from '../../src/store/errors.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { childEnv, tempWorkspace } from '../helpers/cli.js';
import { conversationRecord } from '../helpers/records.js';

const isReplaced = (e: unknown) =>
  e instanceof StoreError && e.kind === 'replaced' && /deleted or replaced/.test(e.message);

describe('a database file deleted or replaced under a running process', () => {
  it('is refused for writes and reads instead of being written around', async () => {
    for (const swap of ['delete', 'replace'] as const) {
      const dir = tempWorkspace();
      const file = join(dir, 'data.db');
      const store = new SqliteStore(file);
      await store.saveConversations([
        conversationRecord('1', { createdAt: 1, updatedAt: 2 }, { subject: 'a', body: 'b' }),
      ]);
      if (swap === 'delete') for (const f of ['', '-wal', '-shm']) rmSync(file + f, { force: true });
      else {
        await new SqliteStore(join(dir, 'other.db')).close();
        renameSync(join(dir, 'other.db'), file);
      }
      await assert.rejects(
        store.saveConversations([
          conversationRecord('2', { createdAt: 1, updatedAt: 3 }, { subject: 'c', body: 'd' }),
        ]),
        isReplaced,
        swap,
      );
      await assert.rejects(store.status(), isReplaced, swap);
      await store.close();
    }
  });

  it('a running server answers with the error and the advice', async () => {
    const dir = tempWorkspace();
    const store = new SqliteStore(join(dir, 'data.db'));
    await store.saveConversations([
      conversationRecord('7', { createdAt: 1, updatedAt: 2 }, { subject: 'x', body: 'y' }),
    ]);
    await store.close();
    const server = await startServerProcess(dir, childEnv());
    try {
      const before = await server.client.callTool({ name: 'get_server_status', arguments: {} });
      assert.ok(!before.isError);
      copyFileSync(join(dir, 'data.db'), join(dir, 'copy.db'));
      rmSync(join(dir, 'data.db'));
      renameSync(join(dir, 'copy.db'), join(dir, 'data.db'));
      const after = (await server.client.callTool({ name: 'get_server_status', arguments: {} })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      assert.equal(after.isError, true);
      assert.match(after.content[0]!.text, /deleted or replaced while this process had it open.*restart/);
    } finally {
      await server.stop();
    }
  });
});
