/**
 * Step 2 of the procedures: connectivity, the token's permissions and the rate-limit headers,
 * probed with raw requests whose bodies are also kept for the schema check.
 */
import type { IntercomApi, ProbeResult } from '../intercom/client.js';
import { IntercomApiError } from '../intercom/errors.js';
import { explainFailure } from '../sync/failures.js';
import type { ReportItem } from './report.js';

export interface ApiCheckResult {
  items: ReportItem[];
  workspaceName: string | null;
  /** The first failure that makes the rest of the run pointless. */
  failure?: IntercomApiError;
  /** Raw answers, schema-checked later: loading the OpenAPI description must not count in the sync's memory. */
  responses: RawResponse[];
  averageResponseMs: number | null;
}

export interface RawResponse {
  method: string;
  route: string;
  status: number;
  body: unknown;
}

interface Probe {
  method: 'GET' | 'POST';
  route: string;
  path: string;
  body?: unknown;
  /** The scope a 403 here says is missing. */
  scope: string;
  /** What the copy lacks without the scope, when the product can do without it. */
  without?: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
/** A search of what changed in the last day, five at most: what a sync asks first. */
const recentSearch = (route: string): Pick<Probe, 'method' | 'route' | 'path' | 'body'> => ({
  method: 'POST',
  route,
  path: route,
  body: {
    query: { field: 'updated_at', operator: '>', value: nowSeconds() - 86400 },
    pagination: { per_page: 5 },
  },
});
const get = (route: string, path = route) => ({ method: 'GET' as const, route, path });
const PROBES = (): Probe[] => [
  { ...recentSearch('/conversations/search'), scope: 'Read conversations' },
  {
    method: 'POST',
    route: '/contacts/search',
    path: '/contacts/search',
    body: { query: { field: 'created_at', operator: '>', value: 0 }, pagination: { per_page: 5 } },
    scope: 'Read and list users and companies',
  },
  { ...get('/admins'), scope: 'Read admins', without: 'names of teammates and teams' },
  { ...get('/teams'), scope: 'Read admins', without: 'names of teammates and teams' },
  { ...get('/tags'), scope: 'Read tags', without: 'names of tags' },
  { ...recentSearch('/tickets/search'), scope: 'Read tickets', without: 'tickets' },
  { ...get('/articles', '/articles?per_page=5'), scope: 'Read articles', without: 'the Help Center' },
];

const ME_PROBES = 3;

export async function checkApiConnection(api: IntercomApi): Promise<ApiCheckResult> {
  const items: ReportItem[] = [];
  const responses: RawResponse[] = [];
  const keep = (method: string, route: string, r: ProbeResult) =>
    responses.push({ method, route, status: r.status, body: r.body });
  const times: number[] = [];
  let me: ProbeResult | undefined;
  for (let i = 0; i < ME_PROBES; i++) {
    me = await api.probe('GET', '/me');
    times.push(me.elapsedMs);
    if (me.status !== 200) break;
  }
  const averageResponseMs = times.reduce((a, b) => a + b, 0) / times.length;
  if (!me || me.status !== 200) {
    const failure = api.statusError('GET /me', me?.status ?? 599, me?.body);
    items.push(failureItem('Status', failure));
    return {
      items,
      workspaceName: null,
      failure,
      responses,
      averageResponseMs,
    };
  }
  keep('GET', '/me', me);
  const app = (me.body as { app?: { name?: string; id_code?: string } | null }).app;
  items.push({
    label: 'Status',
    mark: 'pass',
    value: `Connected to workspace '${app?.name ?? 'unknown'}' (workspace_id: ${app?.id_code ?? '?'})`,
  });

  const granted: string[] = [];
  const missingOptional: Probe[] = [];
  let last: ProbeResult = me;
  for (const p of PROBES()) {
    const r = await api.probe(p.method, p.path, p.body);
    last = r;
    times.push(r.elapsedMs);
    if (r.status === 200) {
      granted.push(p.scope);
      keep(p.method, p.route, r);
    } else if (r.status === 403 && p.without) {
      missingOptional.push(p);
    } else {
      const failure = api.statusError(`${p.method} ${p.path}`, r.status, r.body);
      items.push({
        label: 'Permissions',
        mark: 'fail',
        value: `${p.scope}: ${failure.message}`,
        details: [causeOf(failure)],
      });
      return {
        items,
        workspaceName: app?.name ?? null,
        failure,
        responses,
        averageResponseMs,
      };
    }
  }
  items.push({
    label: 'Permissions',
    mark: missingOptional.length ? 'warn' : 'pass',
    // Admins and teams are one permission, probed twice: each is said once.
    value: `${[...new Set(granted)].join(', ')}${missingOptional.length ? `; without ${[...new Map(missingOptional.map((p) => [p.scope, `${p.scope} (${p.without} will be missing)`])).values()].join(', ')}` : ''}`,
  });
  const rl = last.rateLimit;
  items.push({
    label: 'Rate Limits',
    mark: rl ? 'pass' : 'warn',
    value: rl
      ? `${rl.remaining} of ${rl.limit} calls left in this window, resets in ${Math.max(0, Math.round((rl.resetAt - Date.now()) / 1000))} s`
      : 'no X-RateLimit headers: the sync paces itself by back-off alone',
  });
  const avg = times.reduce((a, b) => a + b, 0) / times.length;
  items.push({
    label: 'Response Time',
    mark: 'pass',
    value: `${avg.toFixed(0)}ms average over ${times.length} requests`,
  });
  return {
    items,
    workspaceName: app?.name ?? null,
    responses,
    averageResponseMs: avg,
  };
}

/** A report item for a step that failed with `e`. */
export function failureItem(label: string, e: unknown): ReportItem {
  return { label, mark: 'fail', value: e instanceof Error ? e.message : String(e), details: [causeOf(e)] };
}

/** One line on why a failure happened, in the words of the procedures' failure report. */
export function causeOf(e: unknown): string {
  return `Cause: ${explainFailure(e).cause}`;
}
