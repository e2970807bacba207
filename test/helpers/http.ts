/** A minimal HTTP client for tests that talk to the emulator as any Intercom client would. */
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
