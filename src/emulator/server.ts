/**
 * The emulator's HTTP front: for every Intercom route, the real API's order of concerns — token,
 * rate limit (headers on every authenticated response), injected faults, latency, then the route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, errorBody } from './api-errors.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import { WebhookSender } from './webhooks.js';
import type { FaultKind } from './faults.js';
import { API_ROUTES, matchRoute } from './routes.js';
import { EmulatorSettings } from './settings.js';
import { Workspace, type WorkspaceOptions } from './workspace.js';

export interface EmulatorOptions extends Partial<WorkspaceOptions> {
  port?: number;
  host?: string;
  token?: string;
  /** Calls a minute; enforced per 10-second window as Intercom does. */
  perMinute?: number;
  latencyMs?: number;
  jitterMs?: number;
  /** Seconds Intercom's clock is ahead of ours (negative: behind). */
  clockOffsetSeconds?: number;
  /** Share of every rate-limit window another app of the workspace spends. */
  neighbourShare?: number;
}

export interface RunningEmulator {
  url: string;
  token: string;
  workspace: Workspace;
  settings: EmulatorSettings;
  webhooks: WebhookSender;
  stop: () => Promise<void>;
}

export const DEFAULT_EMULATOR_TOKEN = 'emulator-token';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'parameter_invalid', 'Request body is not valid JSON');
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const workspace = new Workspace({
    seed: options.seed ?? 'fast-intercom',
    conversations: options.conversations ?? 2000,
    days: options.days ?? 30,
    ...(options.anchor !== undefined ? { anchor: options.anchor } : {}),
    ...(options.contacts !== undefined ? { contacts: options.contacts } : {}),
    ...(options.longThreadRate !== undefined ? { longThreadRate: options.longThreadRate } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.timezone !== undefined ? { timezone: options.timezone } : {}),
  });
  const settings = new EmulatorSettings({
    seed: workspace.options.seed,
    token: options.token ?? DEFAULT_EMULATOR_TOKEN,
    perMinute: options.perMinute ?? 10_000,
    latency: { fixedMs: options.latencyMs ?? 0, jitterMs: options.jitterMs ?? 0 },
  });
  settings.clockOffsetMs = (options.clockOffsetSeconds ?? 0) * 1000;
  settings.limiter.neighbourShare = options.neighbourShare ?? 0;
  const webhooks = new WebhookSender(workspace, workspace.idCode);
  const hanging = new Map<Socket, NodeJS.Timeout>();

  async function injectFault(kind: FaultKind, req: IncomingMessage, res: ServerResponse): Promise<void> {
    switch (kind) {
      case '403':
        return sendJson(res, 403, errorBody('forbidden', 'Not authorized to access this resource'));
      case '404':
        return sendJson(res, 404, errorBody('not_found', 'Resource Not Found'));
      case 'echo':
        return sendJson(
          res,
          400,
          errorBody(
            'parameter_invalid',
            `Rejected request with header Authorization: ${req.headers.authorization ?? ''}`,
          ),
        );
      case 'echo-403':
        return sendJson(
          res,
          403,
          errorBody(
            `forbidden_for_${req.headers.authorization ?? ''}`,
            'Not authorized to access this resource',
          ),
        );
      case '500':
        return sendJson(res, 500, errorBody('server_error', 'Server Error'));
      case '503':
        return sendJson(
          res,
          503,
          errorBody('service_unavailable', 'Sorry, the API service is temporarily unavailable'),
        );
      case '429':
        settings.rateLimited++;
        return sendJson(res, 429, errorBody('rate_limit_exceeded', 'Exceeded rate limit'));
      case '502':
        // Gateways answer in HTML, not in Intercom's error JSON: clients must not assume a JSON body.
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return;
      case 'malformed': {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end('{"type":"conversation.list","conversations":[{"type":"conversation","id":');
        return;
      }
      case 'reset': {
        const text = '{"type":"conversation","id":"0","conversation_parts":{"type":"conversation_part.list"';
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': text.length * 4,
        });
        res.write(text);
        await sleep(5);
        req.socket.destroy();
        return;
      }
      case 'trickle': {
        const text = JSON.stringify(errorBody('server_error', 'a body that never finishes'));
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': text.length,
        });
        let sent = 0;
        const timer = setInterval(() => {
          if (res.destroyed || sent >= text.length) return clearInterval(timer);
          res.write(text[sent++]!);
        }, 1000);
        timer.unref();
        res.once('close', () => clearInterval(timer));
        return;
      }
      case 'hang': {
        const socket = req.socket;
        const timer = setTimeout(() => {
          hanging.delete(socket);
          socket.destroy();
        }, settings.faults.config.hangMs);
        timer.unref();
        hanging.set(socket, timer);
        return;
      }
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    // Intercom's clock, not ours, on every answer (a 401 too): clients that pace by the reset header
    // or estimate the offset must read it from here. Set again once the latency has passed.
    res.setHeader('Date', new Date(settings.serverNow()).toUTCString());
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${settings.token}`) {
      settings.unauthorized++;
      return sendJson(res, 401, errorBody('unauthorized', 'Access Token Invalid'));
    }
    const match = matchRoute(API_ROUTES, method, url.pathname);
    const routeKey = match && match !== 'method' ? `${method} ${match.route.path}` : `${method} (unknown)`;
    settings.count(routeKey);
    const limit = settings.limiter.take(settings.serverNow());
    res.setHeader('X-RateLimit-Limit', String(limit.limit));
    res.setHeader('X-RateLimit-Remaining', String(limit.remaining));
    res.setHeader('X-RateLimit-Reset', String(limit.reset));
    const text = await readBody(req);
    const delay = settings.delayMs();
    if (delay > 0) await sleep(delay);
    res.setHeader('Date', new Date(settings.serverNow()).toUTCString());
    if (!limit.allowed) {
      settings.rateLimited++;
      return sendJson(
        res,
        429,
        errorBody('rate_limit_exceeded', `Exceeded rate limit of ${limit.limit} in 10_seconds`),
      );
    }
    const fault = settings.faults.next(routeKey);
    if (fault) return injectFault(fault, req, res);
    if (match === undefined) throw new ApiError(404, 'not_found', 'Resource Not Found');
    if (match === 'method') throw new ApiError(405, 'method_not_allowed', `${method} is not allowed here`);
    const body = method === 'POST' ? parseJsonBody(text) : undefined;
    const version = req.headers['intercom-version'];
    const result = match.route.handle(workspace, {
      params: match.params,
      query: url.searchParams,
      body,
      version: typeof version === 'string' ? version : undefined,
      origin: `http://${req.headers.host ?? 'localhost'}`,
    });
    sendJson(res, 200, result);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    try {
      if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        const text = await readBody(req);
        return sendJson(
          res,
          200,
          handleControl(
            workspace,
            settings,
            webhooks,
            req.method ?? 'GET',
            url.pathname,
            parseJsonBody(text),
          ),
        );
      }
      await handleApi(req, res, url);
    } catch (e) {
      if (res.headersSent) return;
      if (e instanceof ApiError) return sendJson(res, e.status, errorBody(e.code, e.message, e.field));
      process.stderr.write(`emulator: ${(e as Error).stack ?? String(e)}\n`);
      sendJson(res, 500, errorBody('server_error', 'Internal emulator error'));
    }
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    token: settings.token,
    workspace,
    settings,
    webhooks,
    stop: async () => {
      webhooks.unsubscribe();
      for (const [socket, timer] of hanging) {
        clearTimeout(timer);
        socket.destroy();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
