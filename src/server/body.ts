/** What the HTTP routes share: a bounded request body, and a JSON answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One MCP message, over HTTP or stdio: far above any tool call (their text arguments are bounded to a few KB). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * The body's bytes, or undefined past `maxBytes`. Past the bound the rest is read and dropped, not
 * left unread: closing a connection with unread data resets it, and the client would never see
 * the 413.
 */
export async function readBounded(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size <= maxBytes) chunks.push(c as Buffer);
  }
  return size > maxBytes ? undefined : Buffer.concat(chunks);
}

/**
 * Bytes that requests not yet verified may hold at once, shared by all of them: past it a request
 * is refused instead of buffered, so many connections cannot add up to more than the budget.
 */
export class ByteBudget {
  private held = 0;

  constructor(readonly maxBytes: number) {}

  /** Reads the whole body within `maxBytes` and the budget: the body, 'too large' or 'busy'. */
  async read(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too large' | 'busy'> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const c of req) {
        const chunk = c as Buffer;
        size += chunk.length;
        if (size > maxBytes) return 'too large';
        if (this.held + chunk.length > this.maxBytes) return 'busy';
        this.held += chunk.length;
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    } finally {
      for (const c of chunks) this.held -= c.length;
    }
  }
}

/** An answer after which the connection closes: what is left of the request is not read. */
export function refuseAndClose(
  res: ServerResponse,
  status: number,
  body: object,
  headers: object = {},
): void {
  res.shouldKeepAlive = false;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    Connection: 'close',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
