/** A route of the emulated API: a method and path template, and how it answers a request. */
import { invalid } from './api-errors.js';
import type { Workspace } from './workspace.js';

export interface ApiRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** The `Intercom-Version` header, when sent. */
  version: string | undefined;
  /** Scheme and host the request came to, for the links in `pages.next`. */
  origin: string;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The route changes the workspace: each request is recorded (`GET /_emulator/writes`). */
  writes?: true;
  /** Path template, also the route key used for request counts and scripted faults. */
  path: string;
  handle: (ws: Workspace, req: ApiRequest) => unknown;
}

export interface RouteMatch {
  route: ApiRoute;
  params: Record<string, string>;
}

export function matchRoute(
  routes: ApiRoute[],
  method: string,
  path: string,
): RouteMatch | 'method' | undefined {
  let methodMismatch = false;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method) return { route, params };
    methodMismatch = true;
  }
  return methodMismatch ? 'method' : undefined;
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i]!;
    if (seg.startsWith('{')) params[seg.slice(1, -1)] = decodeURIComponent(p[i]!);
    else if (seg !== p[i]) return undefined;
  }
  return params;
}

/** A whole-number query parameter in [min, max], or `fallback` when absent; 400 otherwise. */
export function intParam(req: ApiRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalid(`${name} must be an integer between ${min} and ${max}`, name);
  return n;
}

/** One numbered page of `all` (`page`, `per_page`), with the `pages` object the lists carry. */
export function numbered<T>(all: readonly T[], req: ApiRequest, defaultPerPage: number, maxPerPage: number) {
  const page = intParam(req, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const perPage = intParam(req, 'per_page', defaultPerPage, 1, maxPerPage);
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    pages: { type: 'pages', page, per_page: perPage, total_pages: Math.ceil(all.length / perPage) },
  };
}
