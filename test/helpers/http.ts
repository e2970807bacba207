/** Minimal HTTP clients for tests: to the emulator as any Intercom client, and raw requests to our server. */
import { request, type IncomingHttpHeaders } from 'node:http';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { API_VERSION } from '../../src/intercom/client.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

export async function call(
  em: Pick<RunningEmulator, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
  opts: { token?: string | null; signal?: AbortSignal; version?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Intercom-Version': opts.version ?? API_VERSION,
  };
  const token = opts.token === undefined ? em.token : opts.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(em.url + path, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export const control = (
  em: Pick<RunningEmulator, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
) => call(em, method, `/_emulator${path}`, body, { token: null });

/** Resolves once `check` holds, asked every 25 ms for up to two minutes; `what` names it when it never does. */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 4800; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} never happened`);
}

/** Resolves once the emulator has injected `count` faults in all: a run reached a scripted hang. */
export const untilInjected = (em: Pick<RunningEmulator, 'url' | 'token'>, count: number): Promise<void> =>
  until(
    async () => (await control(em, 'GET', '/requests')).json.faultsInjected >= count,
    'the run reaching the hanging request',
  );

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A request with every header as given (Host and Origin too, which fetch would not send as set),
 * as a proxy, a browser or a misbehaving client sends it. With `headersOnly` it resolves on the
 * response's headers and leaves the stream open (an SSE stream): `close()` ends it from this side,
 * `ended` says when it ended from either.
 */
export function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; headersOnly?: boolean } = {},
): Promise<RawResponse & { close: () => void; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(url),
      { method: opts.method ?? 'GET', headers: opts.headers ?? {} },
      (res) => {
        const close = () => res.destroy();
        const ended = new Promise<void>((done) => res.once('close', () => done()));
        if (opts.headersOnly) {
          res.resume();
          return resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', close, ended });
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, close, ended }),
        );
      },
    );
    req.once('error', reject);
    req.end(opts.body);
  });
}
