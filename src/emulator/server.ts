/**
 * The emulator's HTTP front: for every Intercom route, the real API's order of concerns — token,
 * rate limit (headers on every authenticated response), injected faults, latency, then the route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, errorBody } from './api-errors.js';
import { sendFault } from './fault-responses.js';
import { parseJsonBody, readBody, sendJson, sleep } from './http-io.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import { WebhookSender } from './webhooks.js';
import { matchRoute } from './api-route.js';
import { COMPANY_ROUTES } from './company-routes.js';
import { CONVERSATION_WRITE_ROUTES } from './conversation-write-routes.js';
import { HELP_CENTER_ROUTES } from './help-center-routes.js';
import { API_ROUTES } from './routes.js';
import { TICKET_ROUTES } from './ticket-routes.js';
import { TICKET_WRITE_ROUTES } from './ticket-write-routes.js';
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

const ROUTES = [
  ...API_ROUTES,
  ...CONVERSATION_WRITE_ROUTES,
  ...HELP_CENTER_ROUTES,
  ...TICKET_ROUTES,
  ...TICKET_WRITE_ROUTES,
  ...COMPANY_ROUTES,
];

export const DEFAULT_EMULATOR_TOKEN = 'emulator-token';

/** What the emulator's handlers share. */
export interface EmulatorState {
  workspace: Workspace;
  settings: EmulatorSettings;
  webhooks: WebhookSender;
  /** Connections held open by the `hang` fault, closed on stop. */
  hanging: Map<Socket, NodeJS.Timeout>;
}

function stateFrom(options: EmulatorOptions): EmulatorState {
  const workspace = new Workspace({
    seed: options.seed ?? 'fast-intercom',
    conversations: options.conversations ?? 2000,
    days: options.days ?? 30,
    ...(options.anchor !== undefined ? { anchor: options.anchor } : {}),
    ...(options.contacts !== undefined ? { contacts: options.contacts } : {}),
    ...(options.longThreadRate !== undefined ? { longThreadRate: options.longThreadRate } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.timezone !== undefined ? { timezone: options.timezone } : {}),
    ...(options.articles !== undefined ? { articles: options.articles } : {}),
    ...(options.tickets !== undefined ? { tickets: options.tickets } : {}),
    ...(options.companies !== undefined ? { companies: options.companies } : {}),
    ...(options.theme !== undefined ? { theme: options.theme } : {}),
    ...(options.scrollExpirySeconds !== undefined
      ? { scrollExpirySeconds: options.scrollExpirySeconds }
      : {}),
  });
  const settings = new EmulatorSettings({
    seed: workspace.options.seed,
    token: options.token ?? DEFAULT_EMULATOR_TOKEN,
    perMinute: options.perMinute ?? 10_000,
    latency: { fixedMs: options.latencyMs ?? 0, jitterMs: options.jitterMs ?? 0 },
  });
  settings.clockOffsetMs = (options.clockOffsetSeconds ?? 0) * 1000;
  settings.limiter.neighbourShare = options.neighbourShare ?? 0;
  return {
    workspace,
    settings,
    webhooks: new WebhookSender(workspace, workspace.idCode),
    hanging: new Map(),
  };
}

/** A write's body as recorded: its JSON, or its text when it is not JSON (answered 400). */
function recordedBody(text: string): unknown {
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}

/** An API call, in the real API's order of concerns. */
async function handleApi(
  { workspace, settings, hanging }: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  // Intercom's clock, not ours, on every answer (a 401 too): clients that pace by the reset header
  // or estimate the offset must read it from here. Set again once the latency has passed.
  res.setHeader('Date', new Date(settings.serverNow()).toUTCString());
  const auth = req.headers.authorization ?? '';
  if (auth !== `Bearer ${settings.token}`) {
    settings.unauthorized++;
    return sendJson(res, 401, errorBody('unauthorized', 'Access Token Invalid'));
  }
  const match = matchRoute(ROUTES, method, url.pathname);
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
  const route = match && match !== 'method' ? match.route : undefined;
  const record = (applied: boolean, answer: number | string) =>
    route?.writes &&
    settings.writes.record({
      at: settings.serverNow(),
      route: routeKey,
      path: url.pathname,
      body: recordedBody(text),
      applied,
      answer,
    });
  if (fault && !fault.applied) {
    record(false, fault.kind);
    return sendFault(fault.kind, req, res, { settings, hanging });
  }
  if (match === undefined) throw new ApiError(404, 'not_found', 'Resource Not Found');
  if (match === 'method') throw new ApiError(405, 'method_not_allowed', `${method} is not allowed here`);
  const version = req.headers['intercom-version'];
  let result: unknown;
  try {
    result = match.route.handle(workspace, {
      params: match.params,
      query: url.searchParams,
      body: method === 'GET' ? undefined : parseJsonBody(text),
      version: typeof version === 'string' ? version : undefined,
      origin: `http://${req.headers.host ?? 'localhost'}`,
    });
  } catch (e) {
    record(false, e instanceof ApiError ? e.status : 500);
    throw e;
  }
  record(true, fault ? fault.kind : 200);
  if (fault) return sendFault(fault.kind, req, res, { settings, hanging });
  sendJson(res, 200, result);
}

/** Control calls (tests' and the demo's), else the API; an unexpected failure answers 500. */
async function handle(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { workspace, settings, webhooks } = state;
  const url = new URL(req.url ?? '/', 'http://emulator');
  try {
    if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      const text = await readBody(req);
      return sendJson(
        res,
        200,
        handleControl(workspace, settings, webhooks, req.method ?? 'GET', url.pathname, parseJsonBody(text)),
      );
    }
    await handleApi(state, req, res, url);
  } catch (e) {
    if (res.headersSent) return;
    if (e instanceof ApiError) return sendJson(res, e.status, errorBody(e.code, e.message, e.field));
    process.stderr.write(`emulator: ${(e as Error).stack ?? String(e)}\n`);
    sendJson(res, 500, errorBody('server_error', 'Internal emulator error'));
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = stateFrom(options);
  const { settings, webhooks, hanging } = state;
  const server: Server = createServer((req, res) => void handle(state, req, res));
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
    workspace: state.workspace,
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
