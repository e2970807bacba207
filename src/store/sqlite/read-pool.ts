/**
 * Reads that can take long (searches, statistics, the directory, contact look-ups) run on worker
 * threads, each with its own connection, so one client's heavy question never holds the event loop
 * that answers the others: SQLite through better-sqlite3 is synchronous, and a statement cannot be
 * interrupted half-way. WAL lets these readers run beside the writer.
 */
import { Worker } from 'node:worker_threads';
import { StoreError, type StoreErrorKind } from '../errors.js';
import { SearchTextError } from '../search-text.js';
import type { SqliteStore } from './store.js';

/** The reads that can take long, which a store with reader threads runs there. */
export const LONG_READS = [
  'searchConversations',
  'conversationStats',
  'conversationThemes',
  'serviceLevels',
  'workspaceDirectory',
  'searchContacts',
  'getContact',
  'searchArticles',
] as const;
export type LongRead = (typeof LONG_READS)[number];

export interface ReadRequest {
  id: number;
  method: LongRead;
  args: unknown[];
}
export type ReadReply =
  | { id: number; result: unknown }
  | { id: number; error: { name: string; message: string; stack: string; kind?: StoreErrorKind } };

/** How each reader opens its connection: what the store was opened with. */
export interface ReaderOptions {
  readOnly: boolean;
  cacheMb: number | undefined;
}
export type ReaderData = ReaderOptions & { path: string };

interface Reader {
  worker: Worker;
  busy: number;
}

function revive(e: { name: string; message: string; stack: string; kind?: StoreErrorKind }): Error {
  const err =
    e.name === 'StoreError' && e.kind
      ? new StoreError(e.kind, e.message)
      : e.name === 'SearchTextError'
        ? new SearchTextError(e.message)
        : new Error(e.message);
  err.stack = e.stack;
  return err;
}

export class ReadPool {
  private readonly readers: Reader[];
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; reader: Reader }
  >();
  private next = 1;

  constructor(dbPath: string, size: number, options: ReaderOptions) {
    this.readers = Array.from({ length: Math.max(1, size) }, () => {
      const reader: Reader = {
        worker: new Worker(new URL('./read-worker.js', import.meta.url), {
          workerData: { path: dbPath, ...options } satisfies ReaderData,
          // A reader's garbage is one request's rows; V8's default young generation would
          // otherwise grow to 32 MB per reader thread, mostly empty between requests.
          resourceLimits: { maxYoungGenerationSizeMb: 2 },
        }),
        busy: 0,
      };
      reader.worker.on('message', (reply: ReadReply) => this.settle(reply));
      reader.worker.on('error', (e) => this.failAll(reader, e));
      reader.worker.unref();
      return reader;
    });
  }

  /** Runs a read of the store on the least busy reader. */
  call<K extends LongRead>(method: K, args: Parameters<SqliteStore[K]>): ReturnType<SqliteStore[K]> {
    const reader = this.readers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.next++;
    // An idle reader must not keep the process alive; one with a read in flight must, or a
    // process with nothing else to wait on would exit before the answer came.
    if (reader.busy++ === 0) reader.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, reader });
      reader.worker.postMessage({ id, method, args } satisfies ReadRequest);
    }) as ReturnType<SqliteStore[K]>;
  }

  private settle(reply: ReadReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (--p.reader.busy === 0) p.reader.worker.unref();
    if ('error' in reply) p.reject(revive(reply.error));
    else p.resolve(reply.result);
  }

  private failAll(reader: Reader, e: Error): void {
    for (const [id, p] of this.pending)
      if (p.reader === reader) {
        this.pending.delete(id);
        p.reject(e);
      }
    reader.busy = 0;
    reader.worker.unref();
  }

  async close(): Promise<void> {
    await Promise.all(
      this.readers.map(
        (r) =>
          new Promise<void>((resolve) => {
            r.worker.once('exit', () => resolve());
            r.worker.ref();
            r.worker.postMessage('close');
          }),
      ),
    );
  }
}
