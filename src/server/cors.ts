/**
 * CORS for browser clients on the allowed origins: a preflight is answered before any token is
 * asked for (browsers send none with it), and real responses expose the headers an MCP client
 * reads. Any other origin gets no CORS header at all, so the browser keeps the answer from its page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const METHODS = 'GET, POST, DELETE, OPTIONS';
/** Mcp-Method and Mcp-Name: 2026-07-28 clients send them with every request. */
const REQUEST_HEADERS =
  'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID';
const EXPOSED = 'Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate';
const PREFLIGHT_CACHE_SECONDS = 600;

/** Sets the CORS headers of an answer to an allowed origin; false when the origin is not allowed. */
export function corsHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: ReadonlySet<string>,
): boolean {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (!allowed.has(origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  return true;
}

/** Answers a preflight from an allowed origin (call after corsHeaders said it is). */
export function answerPreflight(res: ServerResponse): void {
  res.writeHead(204, {
    'Access-Control-Allow-Methods': METHODS,
    'Access-Control-Allow-Headers': REQUEST_HEADERS,
    'Access-Control-Max-Age': String(PREFLIGHT_CACHE_SECONDS),
  });
  res.end();
}
