/**
 * Every request to Intercom goes through here: paced by the rate-limit headers, counted per route,
 * and retried on 429s (after the window resets), 5xx, dropped connections, hung requests and
 * bodies that are not the JSON they claim to be, with capped exponential backoff and full jitter.
 *
 * Why node:http and not fetch: Node's fetch is undici, whose HTTP parser runs as WebAssembly and
 * whose WHATWG streams allocate per chunk: a sync's resident memory was dominated by that transport
 * rather than by the data (docs/performance.md). node:http parses natively.
 */
import { count } from '../wording.js';
import http from 'node:http';
import https from 'node:https';
import { pause, readRateLimitHeaders, type PacerWait, type RatePacer } from './rate-pacer.js';

export interface CallStats {
  total: number;
  byRoute: Map<string, number>;
  rateLimited: number;
  retries: number;
  failures: number;
}

export interface ResilientRequestOptions {
  /** A socket silent this long fails the attempt. */
  timeoutMs: number;
  /** An attempt not finished this long after it started fails, however its bytes trickle in. */
  deadlineMs: number;
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** 429s one request takes before it fails; they do not count as attempts. */
  max429s: number;
  /** An attempt unanswered this long is reported through `onSlow`, once. */
  slowNoticeMs: number;
  /**
   * Time-outs add up to at most this much per request: an upstream that accepts and never
   * answers is given up on within a minute instead of after every attempt's time-out.
   */
  silenceBudgetMs: number;
  onSlow?: (info: { route: string; waitedMs: number; givesUpMs: number }) => void;
  onRetry?: (info: { route: string; attempt: number; reason: string; waitMs: number }) => void;
  /** A wait on the rate limit begins. */
  onWait?: (wait: PacerWait) => void;
  /** Every answer Intercom gave, retried ones included (the debug log, the diagnostic scripts). */
  onAnswer?: (info: { route: string; status: number; ms: number; bytes: number }) => void;
}

export const DEFAULT_REQUEST_OPTIONS: ResilientRequestOptions = {
  timeoutMs: 20_000,
  deadlineMs: 45_000,
  maxAttempts: 6,
  baseBackoffMs: 500,
  maxBackoffMs: 30_000,
  max429s: 30,
  slowNoticeMs: 10_000,
  silenceBudgetMs: 55_000,
};

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /**
   * A write: one attempt, for a write whose answer was lost may have landed (the caller checks
   * before sending it again). A 429 is still waited out: Intercom applies nothing it refuses.
   */
  once?: boolean;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  /** Lower-case header names. */
  header(name: string): string | undefined;
  text: string;
}

/** A transport failure after every retry, answered rather than thrown so that callers see one shape. */
export const NETWORK_FAILURE_STATUS = 599;

/** `GET /conversations/{id}`: ids collapse so that counts group by endpoint. */
export function routeKey(method: string, url: string): string {
  const path = new URL(url).pathname.replace(/\/(\d+|[0-9a-f]{24})(?=\/|$)/g, '/{id}');
  return `${method.toUpperCase()} ${path}`;
}

class TimedOut extends Error {
  constructor() {
    super('timed out');
  }
}

function describeFailure(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return err.code ?? err.message ?? String(e);
}

// Keep-alive, like fetch: a sync makes thousands of calls to one host.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** One attempt: the whole body or an error (refused, reset mid-body, timed out, aborted). */
function send(req: HttpRequest, timeoutMs: number, deadlineMs: number): Promise<HttpAnswer> {
  const url = new URL(req.url);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(url, {
      method: req.method,
      headers:
        req.body === undefined
          ? req.headers
          : { ...req.headers, 'content-length': Buffer.byteLength(req.body) },
      agent: agents[url.protocol as keyof typeof agents],
      ...(req.signal ? { signal: req.signal } : {}),
    });
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new TimedOut()));
    const deadline = setTimeout(() => outgoing.destroy(new TimedOut()), deadlineMs);
    outgoing.once('close', () => clearTimeout(deadline));
    outgoing.on('error', reject);
    outgoing.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      // A connection dropped mid-body closes without 'end'; settling twice is harmless.
      res.on('close', () => reject(new Error('connection closed mid-response')));
      res.on('end', () => {
        const headers = res.headers;
        resolve({
          status: res.statusCode ?? 0,
          header: (name) => {
            const v = headers[name];
            return Array.isArray(v) ? v.join(', ') : v;
          },
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    outgoing.end(req.body);
  });
}

export function createResilientRequest(
  pacer: RatePacer,
  opts: ResilientRequestOptions,
): { request: (req: HttpRequest) => Promise<HttpAnswer>; stats: CallStats } {
  const stats: CallStats = { total: 0, byRoute: new Map(), rateLimited: 0, retries: 0, failures: 0 };
  const backoff = (attempt: number) =>
    Math.random() * Math.min(opts.maxBackoffMs, opts.baseBackoffMs * 2 ** (attempt - 1));

  const request = async (req: HttpRequest): Promise<HttpAnswer> => {
    const route = routeKey(req.method, req.url);
    let lastProblem = '';
    let silentMs = 0;
    let rateLimited = 0;
    const maxAttempts = req.once ? 1 : opts.maxAttempts;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const ticket = await pacer.acquire(req.signal);
      stats.total++;
      stats.byRoute.set(route, (stats.byRoute.get(route) ?? 0) + 1);
      let waitMs = backoff(attempt);
      const started = Date.now();
      const slow = setTimeout(
        () => opts.onSlow?.({ route, waitedMs: opts.slowNoticeMs, givesUpMs: untilGivingUp(opts, silentMs) }),
        opts.slowNoticeMs,
      );
      try {
        const answer = await send(req, opts.timeoutMs, opts.deadlineMs).finally(() => clearTimeout(slow));
        opts.onAnswer?.({
          route,
          status: answer.status,
          ms: Date.now() - started,
          bytes: Buffer.byteLength(answer.text),
        });
        pacer.release(ticket, {
          status: answer.status,
          limits: readRateLimitHeaders(answer.header),
          date: answer.header('date'),
        });
        if (answer.status === 429) {
          stats.rateLimited++;
          lastProblem = 'HTTP 429 rate limited';
          // The pacer holds the next call until the limit allows it. A 429 is not this call's
          // failure: after a wait one call goes first, often the same one, and a run of them
          // must not use up its attempts.
          waitMs = 0;
          if (++rateLimited < opts.max429s) attempt--;
        } else if (answer.status >= 500) {
          lastProblem = `HTTP ${answer.status}`;
        } else if (
          answer.status >= 200 &&
          answer.status <= 299 &&
          (answer.header('content-type') ?? '').includes('json') &&
          !isJson(answer.text)
        ) {
          lastProblem = 'a response body that is not valid JSON';
        } else {
          return answer;
        }
        if (attempt === maxAttempts) {
          stats.failures++;
          return answer;
        }
      } catch (e) {
        pacer.release(ticket);
        if (req.signal?.aborted) throw e;
        lastProblem = describeFailure(e);
        if (e instanceof TimedOut) {
          silentMs += Date.now() - started;
          if (silentMs + opts.timeoutMs > opts.silenceBudgetMs) {
            stats.failures++;
            return networkFailure(
              `${route} got no answer in ${Math.round(silentMs / 1000)} s over ${count(attempt, 'attempt')}; giving up`,
            );
          }
        }
        if (attempt === maxAttempts) {
          stats.failures++;
          return networkFailure(`${route} failed after ${attempt} attempts: ${lastProblem}`);
        }
      }
      stats.retries++;
      opts.onRetry?.({ route, attempt, reason: lastProblem, waitMs });
      if (waitMs > 0) await pause(waitMs, req.signal);
    }
    return networkFailure(`${route} failed: ${lastProblem}`);
  };
  return { request, stats };
}

/** From a slow notice to giving up, if this attempt and every retry time out. */
function untilGivingUp(opts: ResilientRequestOptions, silentBefore: number): number {
  let silent = silentBefore + opts.timeoutMs;
  let left = opts.timeoutMs - opts.slowNoticeMs;
  while (silent + opts.timeoutMs <= opts.silenceBudgetMs) {
    silent += opts.timeoutMs;
    left += opts.timeoutMs;
  }
  return left;
}

function networkFailure(message: string): HttpAnswer {
  return {
    status: NETWORK_FAILURE_STATUS,
    header: (name) => (name === 'content-type' ? 'application/json' : undefined),
    text: JSON.stringify({ type: 'error.list', errors: [{ code: 'network_error', message }] }),
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
