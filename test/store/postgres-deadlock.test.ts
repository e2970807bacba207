/**
 * Two writers locking the same rows in opposite orders on a real PostgreSQL server: the server
 * aborts one as a deadlock's victim, and retryingDeadlocks runs it again, so both commit. The
 * deadlock is made, not hoped for: each side holds its first row before either asks for the
 * other's, and the second waits until the server shows the first blocked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { retryingDeadlocks } from '../../src/store/postgres/connection.js';
import { WITHOUT_POSTGRES } from '../helpers/engine-selection.js';
import { freshDatabase } from '../helpers/postgres-server.js';

describe('a deadlock between two PostgreSQL writers', { skip: WITHOUT_POSTGRES }, () => {
  let url: string;
  const clients: pg.Client[] = [];
  const client = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    clients.push(c);
    return c;
  };
  before(async () => {
    url = await freshDatabase();
    const c = await client();
    await c.query('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)');
    await c.query('INSERT INTO counters VALUES (1, 0), (2, 0)');
  });
  after(async () => {
    for (const c of clients) await c.end();
  });

  it('the victim is run again and both writes land', async () => {
    const [one, two, watcher] = [await client(), await client(), await client()];
    const pidOne = (await one.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    let bothHoldFirst: () => void;
    const holding = new Promise<void>((resolve) => (bothHoldFirst = resolve));
    let held = 0;
    const attempts = { one: 0, two: 0 };

    const writer = (c: pg.Client, name: 'one' | 'two', first: number, second: number) =>
      retryingDeadlocks(async () => {
        attempts[name]++;
        try {
          await c.query('BEGIN');
          await c.query('UPDATE counters SET n = n + 1 WHERE id = $1', [first]);
          if (attempts[name] === 1) {
            if (++held === 2) bothHoldFirst();
            await holding;
            if (name === 'two') await blocked(watcher, pidOne);
          }
          await c.query('UPDATE counters SET n = n + 1 WHERE id = $1', [second]);
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK');
          throw e;
        }
      });

    await Promise.all([writer(one, 'one', 1, 2), writer(two, 'two', 2, 1)]);
    assert.equal(attempts.one + attempts.two, 3, 'exactly one victim, run once more');
    const rows = (await watcher.query('SELECT id, n FROM counters ORDER BY id')).rows;
    assert.deepEqual(rows, [
      { id: 1, n: 2 },
      { id: 2, n: 2 },
    ]);
  });

  it('other failures are not retried, and a deadlock that keeps coming is given up', async () => {
    /** How many times an attempt that always fails with this error is made. */
    const attemptsFailingWith = async (code: string) => {
      let tries = 0;
      const error = Object.assign(new Error(`failed with ${code}`), { code });
      await assert.rejects(
        retryingDeadlocks(async () => {
          tries++;
          throw error;
        }),
        error,
      );
      return tries;
    };
    assert.equal(await attemptsFailingWith('23505'), 1, 'a duplicate key is not retried');
    const deadlocked = await attemptsFailingWith('40P01');
    assert.ok(deadlocked > 1 && deadlocked < 10, `tried ${deadlocked} times`);
  });
});

/** Resolves once the server shows this backend waiting for a lock: a ready signal, not a delay. */
async function blocked(watcher: pg.Client, pid: number): Promise<void> {
  for (;;) {
    const r = await watcher.query(
      `SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`,
      [pid],
    );
    if (r.rowCount) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
