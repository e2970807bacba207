/**
 * Streamable HTTP for shared deployments: 127.0.0.1 by default, a bearer token on every request,
 * Host and Origin checked against DNS rebinding, one MCP session per client, several at once.
 * `/healthz` and `/readyz` answer load balancers and orchestrators without a token: they reveal
 * whether the process and its database are up, and how old the last sync is, nothing else.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../config/logger.js';
import { hostAllowed } from './host-allow.js';
import type { Runtime } from './runtime.js';

export interface HttpOptions {
  host: string;
  port: number;
  authToken: string;
  allowedOrigins: string[];
  /** Host names (parseAllowedHosts) the server answers to besides its own. */
  allowedHosts: string[];
}

export interface RunningHttpServer {
  url: string;
  close: () => Promise<void>;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reject(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** How long readiness waits for the database before saying it is not ready. */
const READY_TIMEOUT_MS = 2000;

/** Ready: the database answers its status; the age of the last completed sync goes with it. */
async function readiness(runtime: Runtime, logger: Logger): Promise<{ status: number; body: object }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const status = await Promise.race([
      runtime.store.status(),
      new Promise<never>((_, fail) => {
        timer = setTimeout(
          () => fail(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)),
          READY_TIMEOUT_MS,
        );
      }),
    ]);
    const finished = status.lastSuccessfulRun?.finishedAt ?? null;
    return {
      status: 200,
      body: {
        status: 'ready',
        last_sync_age_seconds:
          finished === null ? null : Math.max(0, Math.floor(Date.now() / 1000) - finished),
      },
    };
  } catch (e) {
    logger.warn(`readyz: the database did not answer: ${e instanceof Error ? e.message : String(e)}`);
    return { status: 503, body: { status: 'unavailable', reason: 'the database did not answer' } };
  } finally {
    clearTimeout(timer);
  }
}

/** Far above any tool call the tools accept (their text arguments are bounded to a few KB). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

class BodyTooLarge extends Error {}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startHttpServer(
  runtime: Runtime,
  opts: HttpOptions,
  logger: Logger,
): Promise<RunningHttpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let ownHosts: Set<string> = new Set();
  let allowedOrigins: Set<string> = new Set(opts.allowedOrigins);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Probes come by address, through no proxy, and read nothing a page could use: no Host check.
    if (url.pathname === '/healthz') return json(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      const ready = await readiness(runtime, logger);
      return json(res, ready.status, ready.body);
    }
    if (url.pathname !== '/mcp') return reject(res, 404, 'Not found: the MCP endpoint is /mcp');
    if (!hostAllowed(req.headers.host, ownHosts, opts.allowedHosts))
      return reject(res, 403, 'Host not allowed: add it with --allow-host or FASTINTERCOM_ALLOWED_HOSTS');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) return reject(res, 403, 'Origin not allowed');
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !sameToken(auth.slice(7), opts.authToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return reject(res, 401, 'Unauthorized: send Authorization: Bearer <token>');
    }
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing && req.method !== 'POST') return existing.handleRequest(req, res);
    if (req.method !== 'POST') return reject(res, 400, 'No valid session: initialize first');
    // Bodies are read here, in one buffer: the SDK's own reading goes through web streams, which
    // cost a 200 KB request several milliseconds of the event loop every other client shares.
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (e) {
      return e instanceof BodyTooLarge
        ? reject(res, 413, `Body larger than ${MAX_BODY_BYTES} bytes`)
        : reject(res, 400, 'Body is not valid JSON');
    }
    if (existing) return existing.handleRequest(req, res, body);
    if (sessionId !== undefined) return reject(res, 404, 'Unknown session');
    if (!isInitializeRequest(body)) return reject(res, 400, 'No valid session: initialize first');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await runtime.newServer().connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error(`http: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) reject(res, 500, 'Internal server error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostNames = new Set([opts.host, '127.0.0.1', 'localhost', '[::1]']);
  ownHosts = new Set([...hostNames].map((h) => `${h}:${port}`.toLowerCase()));
  allowedOrigins = new Set([...opts.allowedOrigins, ...[...hostNames].map((h) => `http://${h}:${port}`)]);
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/mcp`,
    close: async () => {
      for (const t of sessions.values()) await t.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
