/**
 * One reader thread of the ReadPool: its own connection to the database, answering the pool's
 * requests one at a time. Errors travel back by name and message, so the caller rethrows the same
 * kind (a StoreError keeps its kind).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StoreError } from '../errors.js';
import { LONG_READS, type ReadReply, type ReaderData, type ReadRequest } from './read-pool.js';
import { SqliteStore } from './store.js';

const { path, readOnly, cacheMb } = workerData as ReaderData;
const store = new SqliteStore(path, { readOnly, cacheMb });

async function answer(req: ReadRequest): Promise<ReadReply> {
  try {
    if (!LONG_READS.includes(req.method)) throw new Error(`not a read: ${req.method}`);
    const method = store[req.method] as (...args: unknown[]) => Promise<unknown>;
    return { id: req.id, result: await method.apply(store, req.args) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return {
      id: req.id,
      error: {
        name: err.constructor.name,
        message: err.message,
        stack: err.stack ?? '',
        ...(e instanceof StoreError ? { kind: e.kind } : {}),
      },
    };
  }
}

parentPort!.on('message', (req: ReadRequest | 'close') => {
  if (req === 'close') {
    void store.close().then(() => parentPort!.close());
    return;
  }
  void answer(req).then((reply) => parentPort!.postMessage(reply));
});
