/**
 * The `fetch` handed to the official SDK: paces by the rate-limit headers, counts calls per route,
 * retries 429s (after the window resets), 5xx, dropped connections, hung requests and bodies that
 * are not the JSON they claim to be, with capped exponential backoff and full jitter.
 */
import { RatePacer, readRateLimitHeaders } from './rate-pacer.js';

export interface CallStats {
  total: number;
  byRoute: Map<string, number>;
  rateLimited: number;
  retries: number;
  failures: number;
}

export interface ResilientFetchOptions {
  timeoutMs: number;
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  onRetry?: (info: { route: string; attempt: number; reason: string; waitMs: number }) => void;
}

export const DEFAULT_FETCH_OPTIONS: ResilientFetchOptions = {
  timeoutMs: 30_000,
  maxAttempts: 6,
  baseBackoffMs: 500,
  maxBackoffMs: 30_000,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `GET /conversations/{id}`: ids collapse so that counts group by endpoint. */
export function routeKey(method: string, url: string): string {
  const path = new URL(url).pathname.replace(/\/(\d+|[0-9a-f]{24})(?=\/|$)/g, '/{id}');
  return `${method.toUpperCase()} ${path}`;
}

function describeFailure(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'timed out';
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

export function createResilientFetch(
  pacer: RatePacer,
  opts: ResilientFetchOptions,
): { fetch: typeof fetch; stats: CallStats } {
  const stats: CallStats = { total: 0, byRoute: new Map(), rateLimited: 0, retries: 0, failures: 0 };
  const backoff = (attempt: number) =>
    Math.random() * Math.min(opts.maxBackoffMs, opts.baseBackoffMs * 2 ** (attempt - 1));

  const resilientFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init.method ?? (input instanceof Request ? input.method : 'GET');
    const route = routeKey(method, url);
    const callerSignal = init.signal ?? undefined;
    let lastProblem = '';
    for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
      await pacer.acquire(callerSignal);
      stats.total++;
      stats.byRoute.set(route, (stats.byRoute.get(route) ?? 0) + 1);
      let waitMs = backoff(attempt);
      try {
        const signal = AbortSignal.any([
          AbortSignal.timeout(opts.timeoutMs),
          ...(callerSignal ? [callerSignal] : []),
        ]);
        const res = await fetch(input, { ...init, signal });
        const text = await res.text();
        const limits = readRateLimitHeaders(res.headers);
        pacer.release(limits);
        const rebuilt = () =>
          new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
        if (res.status === 429) {
          stats.rateLimited++;
          pacer.exhausted(limits, waitMs);
          lastProblem = 'HTTP 429 rate limited';
          waitMs = 0;
        } else if (res.status >= 500) {
          lastProblem = `HTTP ${res.status}`;
        } else if (res.ok && (res.headers.get('content-type') ?? '').includes('json') && !isJson(text)) {
          lastProblem = 'a response body that is not valid JSON';
        } else {
          return rebuilt();
        }
        if (attempt === opts.maxAttempts) {
          stats.failures++;
          return rebuilt();
        }
      } catch (e) {
        pacer.release(undefined);
        if (callerSignal?.aborted) throw e;
        lastProblem = describeFailure(e);
        if (attempt === opts.maxAttempts) {
          stats.failures++;
          return networkFailure(`${route} failed after ${attempt} attempts: ${lastProblem}`);
        }
      }
      stats.retries++;
      opts.onRetry?.({ route, attempt, reason: lastProblem, waitMs });
      if (waitMs > 0) await sleep(waitMs);
    }
    return networkFailure(`${route} failed: ${lastProblem}`);
  };
  return { fetch: resilientFetch as typeof fetch, stats };
}

/**
 * A transport failure is answered as a synthetic response rather than thrown: the SDK clears its
 * own time-out timer only on a response, and a thrown error would leave it holding the process.
 */
export const NETWORK_FAILURE_STATUS = 599;

function networkFailure(message: string): Response {
  return new Response(JSON.stringify({ type: 'error.list', errors: [{ code: 'network_error', message }] }), {
    status: NETWORK_FAILURE_STATUS,
    headers: { 'content-type': 'application/json' },
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
