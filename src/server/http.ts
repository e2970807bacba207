/**
 * Streamable HTTP for shared deployments: 127.0.0.1 by default, a bearer token on every request,
 * Host and Origin checked against DNS rebinding, one MCP session per client, several at once.
 * `/healthz` and `/readyz` answer load balancers and orchestrators without a token: they reveal
 * whether the process and its database are up, and how old the last sync is, nothing else. `/` is
 * the status page for the people who run the server, behind the same token (status-page.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  type AuthInfo,
} from '@modelcontextprotocol/server';
import type { Logger } from '../config/logger.js';
import { Authenticator, bearerFromBasic, KEYS_RETRY_AFTER_SECONDS, type AuthOptions } from './auth.js';
import { MAX_REQUEST_BYTES, readBounded, sendJson } from './body.js';
import { answerPreflight, corsHeaders } from './cors.js';
import { receiveWebhook, WEBHOOK_PATH } from './webhooks.js';
import { SessionTable, type SessionLimits } from './sessions.js';
import { hostAllowed } from './host-allow.js';
import type { Runtime } from './runtime.js';

export interface HttpOptions {
  host: string;
  port: number;
  auth: AuthOptions;
  allowedOrigins: string[];
  /** Host names (parseAllowedHosts) the server answers to besides its own. */
  allowedHosts: string[];
  /** No sessions: every POST is served by a server of its own, so any replica can take any request. */
  stateless: boolean;
  sessions: SessionLimits;
  /** Take X-Forwarded-Host and X-Forwarded-For from a proxy in front: only when one is, or they lie. */
  trustProxy: boolean;
}

export interface RunningHttpServer {
  url: string;
  close: () => Promise<void>;
}

function reject(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
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

const STATUS_PATH = '/';

/**
 * The status page (status-page.ts), never cached and never framed; its policy lets it load
 * nothing at all from anywhere: its style and script are inline, its data in the page.
 */
async function sendStatusPage(req: IncomingMessage, res: ServerResponse, runtime: Runtime): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return reject(res, 405, 'The status page is read with GET');
  }
  const html = await runtime.statusPage();
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy':
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}

/** An initialize carries client names and capabilities: a few hundred bytes in practice. */
const MAX_INITIALIZE_BYTES = 16 * 1024;
/** A client has this long to send its headers, and its whole request (SSE answers are not bound). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const TIMEOUT_CHECK_MS = 1000;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<{ body: unknown; bytes: number }> {
  const raw = await readBounded(req, MAX_REQUEST_BYTES);
  if (raw === undefined) throw new BodyTooLarge();
  const text = raw.toString('utf8');
  return { body: text ? JSON.parse(text) : undefined, bytes: raw.length };
}

const firstValue = (h: string | string[] | undefined) =>
  (Array.isArray(h) ? h[0] : h)?.split(',')[0]?.trim() || undefined;

export async function startHttpServer(
  runtime: Runtime,
  opts: HttpOptions,
  logger: Logger,
): Promise<RunningHttpServer> {
  const sessions = new SessionTable(opts.sessions, logger);
  const auth = new Authenticator(opts.auth);
  let ownHosts: Set<string> = new Set();
  let allowedOrigins: Set<string> = new Set(opts.allowedOrigins);

  /**
   * Every request of the 2026-07-28 revision, and in stateless mode every 2025 request too, is
   * served by a server of its own, gone when the answer is. In session mode 2025 clients keep
   * their sessions (below), so this entry refuses them and is never asked to serve one.
   */
  const perRequest = toNodeHandler(
    createMcpHandler(() => runtime.newServer(), {
      legacy: opts.stateless ? 'stateless' : 'reject',
      onerror: (e) => logger.warn(`http: ${e.message}`),
    }),
    { onerror: (e) => logger.error(`http: ${e.message}`) },
  );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Probes come by address, through no proxy, and read nothing a page could use: no Host check.
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      const ready = await readiness(runtime, logger);
      return sendJson(res, ready.status, ready.body);
    }
    // Intercom signs its notifications: they need no MCP token, and come from no browser.
    if (url.pathname === WEBHOOK_PATH) {
      if (!runtime.webhooks) return reject(res, 404, 'Webhooks are off: set FASTINTERCOM_WEBHOOK_SECRET');
      return receiveWebhook(req, res, runtime.webhooks, logger);
    }
    const metadata = auth.metadataFor(url.pathname);
    const statusPage = url.pathname === STATUS_PATH;
    if (url.pathname !== '/mcp' && !statusPage && metadata === undefined)
      return reject(res, 404, 'Not found: the MCP endpoint is /mcp');
    const host =
      (opts.trustProxy ? firstValue(req.headers['x-forwarded-host']) : undefined) ?? req.headers.host;
    if (!hostAllowed(host, ownHosts, opts.allowedHosts))
      return reject(res, 403, 'Host not allowed: add it with --allow-host or FASTINTERCOM_ALLOWED_HOSTS');
    if (!corsHeaders(req, res, allowedOrigins)) return reject(res, 403, 'Origin not allowed');
    if (req.method === 'OPTIONS') return answerPreflight(res);
    if (metadata !== undefined) return sendJson(res, 200, metadata);

    const verdict = await auth.check(
      statusPage ? bearerFromBasic(req.headers.authorization) : req.headers.authorization,
    );
    if (!verdict.ok && statusPage && verdict.status === 401) {
      res.writeHead(401, {
        'WWW-Authenticate': 'Basic realm="fast-intercom-mcp status", charset="UTF-8"',
        'Content-Type': 'text/plain; charset=utf-8',
      });
      return res.end("The status page takes the MCP endpoint's token: as the password, any user name.\n");
    }
    if (!verdict.ok) {
      const client =
        (opts.trustProxy ? firstValue(req.headers['x-forwarded-for']) : undefined) ??
        req.socket.remoteAddress;
      logger.warn(`http: request from ${client ?? 'an unknown address'} refused: ${verdict.reason}`);
      if (verdict.status === 503) {
        res.setHeader('Retry-After', String(KEYS_RETRY_AFTER_SECONDS));
        return reject(
          res,
          503,
          "Cannot check access tokens now (the issuer's keys are out of reach): try again later",
        );
      }
      res.setHeader('WWW-Authenticate', auth.challenge(verdict));
      if (verdict.status === 403)
        return reject(res, 403, 'Forbidden: the access token lacks a scope this server requires');
      return reject(res, 401, 'Unauthorized: send Authorization: Bearer <token>');
    }

    if (statusPage) return sendStatusPage(req, res, runtime);
    // Who is calling and what the token grants reach the tools as the SDK's authInfo; the token
    // itself is not passed on.
    (req as IncomingMessage & { auth?: AuthInfo }).auth = {
      token: '',
      clientId: verdict.principal,
      scopes: verdict.scopes,
    };
    if (opts.stateless && req.method !== 'POST') {
      res.setHeader('Allow', 'POST, OPTIONS');
      return reject(res, 405, 'This server is stateless: POST each request, no session or stream');
    }
    const sessionId = req.headers['mcp-session-id'];
    const existing =
      typeof sessionId === 'string' && !opts.stateless
        ? sessions.touch(sessionId, verdict.principal)
        : undefined;
    if (existing && req.method === 'GET') {
      if (!sessions.openStream(existing, res)) {
        res.setHeader('Retry-After', '30');
        return reject(res, 503, 'Too many open streams: try again later');
      }
      return existing.handleRequest(req, res);
    }
    if (existing && req.method !== 'POST') return existing.handleRequest(req, res);
    if (req.method !== 'POST')
      return reject(
        res,
        sessionId === undefined ? 400 : 404,
        sessionId === undefined ? 'No valid session: initialize first' : 'Unknown session',
      );
    // Bodies are read here, in one buffer: the SDK's own reading goes through web streams, which
    // hold a large request on the event loop every other client shares far longer than one read.
    let body: unknown;
    let bytes: number;
    try {
      ({ body, bytes } = await readBody(req));
    } catch (e) {
      return e instanceof BodyTooLarge
        ? reject(res, 413, `Body larger than ${MAX_REQUEST_BYTES} bytes`)
        : reject(res, 400, 'Body is not valid JSON');
    }
    if (isInitializeRequest(body) && bytes > MAX_INITIALIZE_BYTES)
      return reject(res, 413, `An initialize request larger than ${MAX_INITIALIZE_BYTES} bytes`);
    if (opts.stateless || !(await isLegacyRequest(await toWebRequest(req, body), body)))
      return perRequest(req, res, body);
    if (existing) return existing.handleRequest(req, res, body);
    if (sessionId !== undefined) return reject(res, 404, 'Unknown session');
    if (!isInitializeRequest(body)) return reject(res, 400, 'No valid session: initialize first');
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.add(id, transport, verdict.principal);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.remove(transport.sessionId);
    };
    await runtime.newServer().connect(transport);
    await transport.handleRequest(req, res, body);
  };

  // Node looks for requests past their timeouts every 30 s by default, which let a trickled request
  // live up to 30 s past its bound: once a second keeps the documented bounds.
  const server: Server = createServer({ connectionsCheckingInterval: TIMEOUT_CHECK_MS }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error(`http: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) reject(res, 500, 'Internal server error');
    });
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
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
      await sessions.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
