/**
 * The SQLite file's pages (connection.ts): a new copy takes pages large enough that a message of a
 * few KB does not leave most of an overflow page empty; an existing copy keeps the pages it has.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { openStore } from '../../src/store/open.js';
import { runSync } from '../../src/sync/engine.js';
import { tempWorkspace } from '../helpers/cli.js';
import { SELECTED_ENGINES } from '../helpers/engine-selection.js';

const pageSize = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
};

describe('the SQLite file’s pages', { skip: !SELECTED_ENGINES.includes('sqlite') }, () => {
  let em: RunningEmulator;
  before(async () => {
    em = await startEmulator({ conversations: 300, days: 10, seed: 'pages', longThreadRate: 0.05 });
  });
  after(async () => em?.stop());

  it('a new copy stores the messages with little of their pages left empty', async () => {
    const dir = tempWorkspace();
    const store = await openStore({ workspaceDir: dir });
    await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: 10 });
    await store.close();
    const file = join(dir, 'data.db');
    assert.equal(pageSize(file), 8192);
    const db = new Database(file, { readonly: true });
    try {
      const parts = db
        .prepare("SELECT sum(pgsize) AS size, sum(unused) AS unused FROM dbstat WHERE name = 'parts'")
        .get() as { size: number; unused: number };
      // With 4 KB pages, a third of these pages was empty space; with 8 KB, less than a fifth.
      assert.ok(parts.unused / parts.size < 0.25, `${parts.unused} of ${parts.size} bytes unused`);
    } finally {
      db.close();
    }
  });

  it('an existing copy keeps its pages and opens as before', async () => {
    const dir = tempWorkspace();
    const file = join(dir, 'data.db');
    const old = new Database(file);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE left_by_an_older_version (x)');
    old.close();
    const store = await openStore({ workspaceDir: dir });
    await store.setMeta('kept', 'yes');
    assert.equal(await store.getMeta('kept'), 'yes');
    await store.close();
    assert.equal(pageSize(file), 4096);
  });
});
