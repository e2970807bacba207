/**
 * One reader thread of the ReadPool: its own connection to the database, answering the pool's
 * requests one at a time. Errors travel back by name and message, so the caller rethrows the same
 * kind (a StoreError keeps its kind).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StoreError } from './database.js';
import { SqliteStore } from './sqlite-store.js';
import { READ_METHODS, type ReadMethod, type ReadReply, type ReadRequest } from './read-pool.js';

const store = new SqliteStore((workerData as { path: string }).path);

parentPort!.on('message', (req: ReadRequest | 'close') => {
  if (req === 'close') {
    store.close();
    parentPort!.close();
    return;
  }
  let reply: ReadReply;
  try {
    if (!READ_METHODS.includes(req.method)) throw new Error(`not a read: ${req.method}`);
    const method = store[req.method as ReadMethod] as (...args: unknown[]) => unknown;
    reply = { id: req.id, result: method.apply(store, req.args) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = {
      id: req.id,
      error: {
        name: err.constructor.name,
        message: err.message,
        stack: err.stack ?? '',
        ...(e instanceof StoreError ? { kind: e.kind } : {}),
      },
    };
  }
  parentPort!.postMessage(reply);
});
