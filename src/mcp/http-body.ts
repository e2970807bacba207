/** What the HTTP routes share: a bounded request body, and a JSON answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';

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

export function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
