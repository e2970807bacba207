/**
 * The sessions of Streamable HTTP in session mode, bounded so that clients that leave without
 * DELETE cannot grow the server: at most `maxSessions` (a new one evicts the least recently used,
 * whose client gets 404 and, as the spec has it, starts a new session), each closed once idle for
 * `idleSeconds`; at most `maxStreams` standalone SSE streams open at once, each ended after half
 * that time (clients reconnect), so no stream is held forever.
 */
import type { ServerResponse } from 'node:http';
import type { NodeStreamableHTTPServerTransport as StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Logger } from '../config/logger.js';

export interface SessionLimits {
  maxSessions: number;
  idleSeconds: number;
  maxStreams: number;
}

interface Entry {
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
  /** Who opened it: only they may use it. */
  principal: string;
}

export class SessionTable {
  /** In order of last use, least recent first (a Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();
  private streams = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly limits: SessionLimits,
    private readonly logger: Logger,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, (limits.idleSeconds * 1000) / 4));
    this.sweeper.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  get openStreams(): number {
    return this.streams;
  }

  /**
   * The session's transport, marked as used now; undefined when unknown, expired, evicted, or
   * opened by another principal (answered as unknown, so a session's existence is not told).
   */
  touch(id: string, principal: string): StreamableHTTPServerTransport | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.principal !== principal) {
      this.logger.warn('http: a session was used with another principal’s token: refused as unknown');
      return undefined;
    }
    this.entries.delete(id);
    entry.lastSeen = Date.now();
    this.entries.set(id, entry);
    return entry.transport;
  }

  add(id: string, transport: StreamableHTTPServerTransport, principal: string): void {
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size < this.limits.maxSessions) break;
      this.logger.warn(
        `http: ${this.limits.maxSessions} sessions open: the least recently used one is closed`,
      );
      this.close(oldest, entry);
    }
    this.entries.set(id, { transport, lastSeen: Date.now(), principal });
  }

  remove(id: string): void {
    this.entries.delete(id);
  }

  /** Counts a standalone SSE stream while it is open; false when the cap is reached. */
  openStream(transport: StreamableHTTPServerTransport, res: ServerResponse): boolean {
    if (this.streams >= this.limits.maxStreams) return false;
    this.streams++;
    const end = setTimeout(() => transport.closeStandaloneSSEStream(), (this.limits.idleSeconds * 1000) / 2);
    end.unref();
    res.once('close', () => {
      this.streams--;
      clearTimeout(end);
    });
    return true;
  }

  private sweep(): void {
    const before = Date.now() - this.limits.idleSeconds * 1000;
    for (const [id, entry] of this.entries) {
      if (entry.lastSeen >= before) break;
      this.close(id, entry);
    }
  }

  private close(id: string, entry: Entry): void {
    this.entries.delete(id);
    void entry.transport.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) await e.transport.close().catch(() => undefined);
  }
}
