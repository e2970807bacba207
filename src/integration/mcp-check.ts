/**
 * Steps 5 and 6 of the procedures: start the MCP server in test mode, call every tool, and check
 * each answer against what the local copy holds, timing every call as the client sees it.
 */
import type { SearchParams, Store } from '../store/types.js';
import { storedZone } from '../time/zone.js';
import { parseTimeframe } from '../time/timeframe.js';
import { TOOL_NAMES } from '../mcp/tools/index.js';
import { HELP_CENTER_CHECKED_KEY, HELP_CENTER_FORBIDDEN_KEY } from '../sync/help-center.js';
import { TICKETS_FORBIDDEN_KEY } from '../sync/tickets.js';
import { COMPANIES_CHECKED_KEY, COMPANIES_FORBIDDEN_KEY } from '../sync/companies.js';
import type { ReportItem } from './report.js';
import type { Client } from '@modelcontextprotocol/client';
import { startServerProcess } from './server-process.js';
import { percentile } from '../insights/service-levels.js';

export const EXPECTED_TOOLS = TOOL_NAMES;

interface CallOutcome {
  text: string;
  structured: Record<string, unknown> | undefined;
  isError: boolean;
}

export interface ToolTally {
  calls: number;
  failures: string[];
  latenciesMs: number[];
}

export interface McpCheckResult {
  items: ReportItem[];
  tallies: Map<string, ToolTally>;
  startupMs: number;
  serverPeakRssMb: number | null;
  /** Server CPU time over the wall time of the query phase, in percent. */
  queryCpuPercent: number | null;
  shutdown: { ms: number; exited: boolean };
  serverPid: number | null;
}

const SAMPLE_QUESTIONS: { question: string; tool: string; args: Record<string, unknown> }[] = [
  {
    question: 'What did customers complain about this week?',
    tool: 'conversation_themes',
    args: { timeframe: 'this week', limit: 5 },
  },
  {
    question: 'Who wrote about refunds or errors this week?',
    tool: 'search_conversations',
    args: { query: 'refund OR charged OR slow OR error OR broken', timeframe: 'this week', limit: 3 },
  },
  {
    question: 'Which conversations are waiting on us?',
    tool: 'search_conversations',
    args: { state: 'open', limit: 3 },
  },
  { question: 'How did the last 7 days go?', tool: 'conversation_stats', args: { timeframe: 'last 7 days' } },
  { question: 'Are we answering fast enough?', tool: 'service_levels', args: { timeframe: 'last 7 days' } },
];

const SEARCH_LIMIT = 50;
const STATUS_CALLS = 10;

/** What the checks ask of a client, whichever SDK and era it speaks: one tool call. */
export type ToolCaller = (
  name: string,
  args: Record<string, unknown>,
  timeoutMs?: number,
) => Promise<{ content: { type: string; text?: string }[]; structuredContent?: unknown; isError?: boolean }>;

/** The store the answers are checked against, and what the sync that filled it did. */
export interface ToolSuiteOptions {
  store: Store;
  days: number;
  /** False when --max-conversations stopped the sync: the window is then not covered, rightly. */
  syncComplete: boolean;
  /** --max-conversations: the server's sync must stop there too. */
  maxConversations?: number;
  /** Print a few sample questions and their answers (the demo). */
  say?: (line: string) => void;
}

export interface McpCheckOptions extends ToolSuiteOptions {
  workspace: string;
  env: Record<string, string>;
  /** The test's deadline: the server is stopped when it passes. */
  signal?: AbortSignal;
  /** The server's log lines on stderr as it runs. */
  verbose?: boolean;
}

/** What a call must answer: a check of a successful answer (the problem, if any), or a refusal. */
type Expectation = ((r: CallOutcome) => string | undefined) | { refusedMentioning: string };

class Checker {
  readonly tallies = new Map<string, ToolTally>();
  constructor(private readonly callTool: ToolCaller) {}

  /** `timeoutMs`: the SDK's 60 s default is shorter than a sync asked to wait longer. */
  async call(tool: string, args: Record<string, unknown>, expect: Expectation, timeoutMs?: number) {
    const tally = this.tallies.get(tool) ?? { calls: 0, failures: [], latenciesMs: [] };
    this.tallies.set(tool, tally);
    const t = performance.now();
    let outcome: CallOutcome;
    try {
      const r = await this.callTool(tool, args, timeoutMs);
      outcome = {
        text: r.content.map((c) => c.text ?? '').join('\n'),
        structured: r.structuredContent as Record<string, unknown> | undefined,
        isError: r.isError === true,
      };
    } catch (e) {
      outcome = { text: e instanceof Error ? e.message : String(e), structured: undefined, isError: true };
    }
    tally.latenciesMs.push(performance.now() - t);
    tally.calls++;
    const problem =
      typeof expect !== 'function'
        ? outcome.isError && outcome.text.includes(expect.refusedMentioning)
          ? undefined
          : `expected a tool error mentioning '${expect.refusedMentioning}', got: ${outcome.text.slice(0, 120)}`
        : outcome.isError
          ? outcome.text
          : expect(outcome);
    if (problem) tally.failures.push(`${tool}(${JSON.stringify(args)}): ${problem}`);
    return outcome;
  }
}

const num = (r: CallOutcome, key: string) => r.structured?.[key] as number | undefined;
const same = (what: string, got: unknown, want: unknown) =>
  got === want ? undefined : `${what}: got ${String(got)}, the local copy says ${String(want)}`;

/** The longest word of a subject: specific enough that a search for it must find the conversation. */
function distinctiveWord(subject: string): string | undefined {
  return subject
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 5)
    .sort((a, b) => b.length - a.length)[0];
}

async function runChecks(c: Checker, o: ToolSuiteOptions): Promise<void> {
  const { store } = o;
  const all = await store.searchConversations({ sort: 'newest', limit: 10, offset: 0 });
  const sample = all.hits;
  const status = await store.status();
  const searchTotal = async (params: Omit<SearchParams, 'limit' | 'offset'>) =>
    (await store.searchConversations({ ...params, limit: 1, offset: 0 })).total;

  if (o.say) {
    for (const q of SAMPLE_QUESTIONS) {
      const t = performance.now();
      const r = await c.call(q.tool, q.args, () => undefined);
      o.say(`\n❓ ${q.question}  → ${q.tool} (${(performance.now() - t).toFixed(1)} ms)`);
      o.say(
        r.text
          .split('\n')
          .slice(0, 14)
          .map((l) => `  ${l}`)
          .join('\n'),
      );
    }
  }

  // search_conversations: every total must equal the store's own count for the same question.
  await c.call('search_conversations', { limit: 10 }, (r) => same('total', num(r, 'total'), all.total));
  for (const hit of sample.slice(0, 5)) {
    const word = distinctiveWord(hit.subject);
    if (!word) continue;
    await c.call('search_conversations', { query: word, limit: SEARCH_LIMIT }, (r) => {
      const ids = ((r.structured?.conversations as { id: string }[] | undefined) ?? []).map((x) => x.id);
      return ids.includes(hit.id) || (num(r, 'total') ?? 0) > SEARCH_LIMIT
        ? undefined
        : `'${word}' did not find conversation ${hit.id}`;
    });
  }
  for (const state of ['open', 'closed', 'snoozed'] as const) {
    const want = await searchTotal({ state, sort: 'newest' });
    await c.call('search_conversations', { state, limit: 5 }, (r) =>
      same(`${state} total`, num(r, 'total'), want),
    );
  }
  const zone = await storedZone(store, undefined);
  for (const timeframe of ['today', 'yesterday', 'this week', `last ${o.days} days`]) {
    const w = parseTimeframe(timeframe, zone);
    const want = await searchTotal({ from: w.from, to: w.to, sort: 'newest' });
    await c.call('search_conversations', { timeframe, limit: 5 }, (r) =>
      same(`'${timeframe}' total`, num(r, 'total'), want),
    );
  }
  const tagged = sample.find((h) => h.tags.length > 0);
  if (tagged) {
    const tag = (await store.findReference('tag', tagged.tags[0]!))[0]!;
    const want = await searchTotal({ tagId: tag.id, sort: 'newest' });
    await c.call('search_conversations', { tag: tag.name ?? tag.id, limit: 5 }, (r) =>
      same(`tag '${tag.name}' total`, num(r, 'total'), want),
    );
  }
  const email = sample.find((h) => h.customer?.email)?.customer?.email ?? undefined;
  if (email) {
    const want = await searchTotal({ customer: email, sort: 'newest' });
    await c.call('search_conversations', { customer_email: email, limit: 5 }, (r) =>
      same(`customer ${email} total`, num(r, 'total'), want),
    );
  }
  const first = await c.call('search_conversations', { limit: 5, sort: 'newest' }, () => undefined);
  const cursor = first.structured?.next_cursor as string | undefined;
  if (cursor) {
    const want = (await store.searchConversations({ sort: 'newest', limit: 5, offset: 5 })).hits.map(
      (h) => h.id,
    );
    await c.call('search_conversations', { limit: 5, sort: 'newest', cursor }, (r) => {
      const ids = ((r.structured?.conversations as { id: string }[] | undefined) ?? []).map((x) => x.id);
      return same('second page', ids.join(','), want.join(','));
    });
  }

  // get_conversation: the whole thread, as stored.
  for (const hit of sample) {
    const stored = (await store.getConversation(hit.id))!;
    await c.call(
      'get_conversation',
      { conversation_id: hit.id },
      (r) =>
        same(`${hit.id} parts`, num(r, 'parts_stored'), stored.parts.length) ??
        same(`${hit.id} total_count`, num(r, 'parts_total'), stored.partsTotal),
    );
  }
  await c.call(
    'get_conversation',
    { conversation_id: '999999999999' },
    { refusedMentioning: 'No conversation 999999999999' },
  );

  // Status is asked repeatedly, as clients poll it: its latency target (10 ms) is an average.
  for (let i = 0; i < STATUS_CALLS; i++)
    await c.call(
      'get_server_status',
      {},
      (r) =>
        same('conversations', num(r, 'conversations'), status.conversations) ??
        same('messages', num(r, 'messages'), status.parts),
    );
  if (o.syncComplete)
    await c.call('get_server_status', { timeframe: `last ${o.days} days` }, (r) => {
      const fresh = r.structured?.freshness as { window_covered?: boolean } | undefined;
      return fresh?.window_covered === true
        ? undefined
        : `the synced ${o.days} days are not reported as covered`;
    });

  const window = parseTimeframe(`last ${o.days} days`, zone);
  const stats = await store.conversationStats({
    from: window.from,
    to: window.to,
    buckets: [window.from],
    filters: {},
  });
  await c.call('conversation_stats', { timeframe: `last ${o.days} days`, bucket: 'day' }, (r) =>
    same('conversation_stats total', num(r, 'total'), stats.total),
  );
  // Themes count the same conversations the stats do, whatever their words.
  await c.call('conversation_themes', { timeframe: `last ${o.days} days`, baseline_periods: 1 }, (r) =>
    same('conversation_themes conversations', num(r, 'conversations'), stats.total),
  );
  // Service levels follow the same conversations, and never answer more than were received.
  await c.call('service_levels', { timeframe: `last ${o.days} days` }, (r) => {
    const all = (r.structured?.rows as { group: string; count: number; answered: number }[] | undefined)?.[0];
    return (
      same('service_levels count', all?.count, stats.total) ??
      (all && all.answered > all.count ? `${all.answered} answered of ${all.count}` : undefined)
    );
  });
  if (email) {
    await c.call('search_contacts', { query: email }, (r) =>
      r.text.toLowerCase().includes(email.toLowerCase())
        ? undefined
        : `search_contacts did not list ${email}`,
    );
    await c.call('get_contact', { contact: email }, (r) =>
      r.text.toLowerCase().includes(email.toLowerCase())
        ? undefined
        : `get_contact did not describe ${email}`,
    );
  }
  const directory = await store.workspaceDirectory();
  await c.call(
    'list_workspace',
    {},
    (r) =>
      same(
        'teams listed',
        (r.structured?.teams as { total?: number } | undefined)?.total,
        directory.teams.length,
      ) ??
      same(
        'tags listed',
        (r.structured?.tags as { total?: number } | undefined)?.total,
        directory.tags.length,
      ),
  );
  await checkTickets(c, store);
  await checkArticles(c, store);
  await checkCompanies(c, store);
  for (const hit of sample.slice(0, 3)) {
    const word = distinctiveWord(hit.subject);
    if (word)
      await c.call('search', { query: word }, (r) =>
        Array.isArray(r.structured?.results) ? undefined : `search for '${word}' gave no results list`,
      );
    await c.call('fetch', { id: hit.id }, (r) => same(`fetch ${hit.id}`, r.structured?.id, hit.id));
  }
  const waitSeconds = 120;
  await c.call(
    'sync_conversations',
    { wait_seconds: waitSeconds },
    (r) => {
      const fetched = r.structured?.fetched as number | undefined;
      if (o.maxConversations !== undefined && (fetched ?? 0) > o.maxConversations)
        return `fetched ${fetched} conversations past --max-conversations ${o.maxConversations}`;
      return r.structured?.kind === (o.syncComplete ? 'incremental' : 'resume') ||
        (!o.syncComplete && r.structured?.kind)
        ? undefined
        : `expected a finished ${o.syncComplete ? 'incremental' : 'resumed'} sync, got: ${r.text}`;
    },
    (waitSeconds + 30) * 1000,
  );
}

export const latencyOf = (t: ToolTally) => ({
  averageMs: t.latenciesMs.reduce((a, b) => a + b, 0) / Math.max(1, t.latenciesMs.length),
  p95Ms: percentile(t.latenciesMs, 95),
});

/**
 * The ticket tools: the total equals the store's, the newest ticket reads back with every stored
 * part; a token that may not read tickets is refused, saying so.
 */
async function checkTickets(c: Checker, store: Store): Promise<void> {
  if (await store.getMeta(TICKETS_FORBIDDEN_KEY)) {
    await c.call('search_tickets', {}, { refusedMentioning: 'may not read tickets' });
    await c.call('ticket_stats', {}, { refusedMentioning: 'may not read tickets' });
    await c.call('get_ticket', { ticket_id: '999999999999' }, { refusedMentioning: 'may not read tickets' });
    return;
  }
  const newest = await store.searchTickets({ sort: 'newest', limit: 1, offset: 0 });
  await c.call('search_tickets', { limit: 5 }, (r) => same('tickets total', num(r, 'total'), newest.total));
  await c.call('ticket_stats', {}, (r) => same('ticket_stats total', num(r, 'total'), newest.total));
  const hit = newest.hits[0];
  if (hit) {
    const stored = (await store.getTicket(hit.id))!;
    await c.call('get_ticket', { ticket_id: hit.id }, (r) =>
      same(`ticket ${hit.id} parts`, num(r, 'parts_total'), stored.partsTotal),
    );
  }
  await c.call('get_ticket', { ticket_id: '999999999999' }, { refusedMentioning: 'No ticket' });
}

/**
 * The Help Center tools, likewise: published articles counted as the store counts them; a Help
 * Center the token may not read, or never read, is refused, saying which.
 */
async function checkArticles(c: Checker, store: Store): Promise<void> {
  const published = await store.searchArticles({ state: 'published', limit: 1, offset: 0 });
  const [forbidden, checked] = await Promise.all([
    store.getMeta(HELP_CENTER_FORBIDDEN_KEY),
    store.getMeta(HELP_CENTER_CHECKED_KEY),
  ]);
  if (published.total === 0 && (forbidden || !checked)) {
    const refusedMentioning = forbidden ? 'may not read the Help Center' : 'has not been synced yet';
    await c.call('search_articles', {}, { refusedMentioning });
    await c.call('get_article', { article_id: '999999999999' }, { refusedMentioning });
    return;
  }
  await c.call('search_articles', { limit: 5 }, (r) =>
    same('articles total', num(r, 'total'), published.total),
  );
  const hit = published.hits[0];
  if (hit)
    await c.call('get_article', { article_id: hit.id }, (r) =>
      same(`article ${hit.id}`, r.structured?.id, hit.id),
    );
  await c.call('get_article', { article_id: '999999999999' }, { refusedMentioning: 'No article' });
}

/**
 * The company tools, likewise: every company counted as the store counts it, the largest account
 * read back with its contacts; companies the token may not read, or never read, are refused.
 */
async function checkCompanies(c: Checker, store: Store): Promise<void> {
  const all = await store.searchCompanies({ limit: 1, offset: 0 });
  const [forbidden, checked] = await Promise.all([
    store.getMeta(COMPANIES_FORBIDDEN_KEY),
    store.getMeta(COMPANIES_CHECKED_KEY),
  ]);
  if (all.total === 0 && (forbidden || !checked)) {
    const refusedMentioning = forbidden ? 'may not read companies' : 'have not been synced yet';
    await c.call('search_companies', {}, { refusedMentioning });
    await c.call('get_company', { company: 'no such company' }, { refusedMentioning });
    return;
  }
  await c.call('search_companies', { limit: 5 }, (r) => same('companies total', num(r, 'total'), all.total));
  const hit = all.hits[0];
  if (hit)
    await c.call('get_company', { company: hit.id }, (r) =>
      same(
        `company ${hit.id} contacts`,
        (r.structured?.company as { contacts?: number } | undefined)?.contacts,
        hit.contacts,
      ),
    );
  await c.call('get_company', { company: 'no such company' }, { refusedMentioning: 'No company' });
}

/** A client of this package's SDK as the checks call it. */
export const callerOf =
  (client: Client): ToolCaller =>
  (name, args, timeoutMs) =>
    client.callTool({ name, arguments: args }, timeoutMs ? { timeout: timeoutMs } : undefined);

/**
 * Every tool called through one client, each answer checked against the store: the tallies by
 * tool (the integration test's report, and the protocol tests' verdict for each client and era).
 */
export async function runToolSuite(call: ToolCaller, o: ToolSuiteOptions): Promise<Map<string, ToolTally>> {
  const checker = new Checker(call);
  await runChecks(checker, o);
  return checker.tallies;
}

export async function checkMcpServer(o: McpCheckOptions): Promise<McpCheckResult> {
  const server = await startServerProcess(o.workspace, o.env, { verbose: o.verbose ?? false });
  o.signal?.addEventListener('abort', () => void server.stop(), { once: true });
  const items: ReportItem[] = [
    {
      label: 'Startup',
      mark: 'pass',
      value: `Started in ${(server.startupMs / 1000).toFixed(1)} seconds (stdio)`,
    },
  ];
  const checker = new Checker(callerOf(server.client));
  let cpuPercent: number | null = null;
  try {
    const { tools } = await server.client.listTools();
    const names = tools.map((t) => t.name);
    const missing = EXPECTED_TOOLS.filter((t) => !names.includes(t));
    items.push({
      label: 'Tool Registration',
      mark: missing.length ? 'fail' : 'pass',
      value: `${tools.length} tools registered${missing.length ? `; missing ${missing.join(', ')}` : ''}`,
    });
    // Untimed calls first: the first few calls of a tool pay for compiling its code paths.
    for (let round = 0; round < 3; round++)
      for (const [name, args] of [
        ['get_server_status', {}],
        ['search_conversations', { limit: 1 }],
        ['get_conversation', { conversation_id: '0' }],
      ] as const)
        await server.client.callTool({ name, arguments: args });
    const cpuBefore = server.cpuSeconds();
    const wallBefore = performance.now();
    await runChecks(checker, o);
    const cpuAfter = server.cpuSeconds();
    if (cpuBefore !== null && cpuAfter !== null)
      cpuPercent = ((cpuAfter - cpuBefore) / ((performance.now() - wallBefore) / 1000)) * 100;
    const { resourceTemplates } = await server.client.listResourceTemplates();
    const { prompts } = await server.client.listPrompts();
    const id = (await o.store.searchConversations({ sort: 'newest', limit: 1, offset: 0 })).hits[0]?.id;
    const resource = id
      ? await server.client.readResource({ uri: `intercom://conversations/${id}` })
      : undefined;
    const resourceOk = !id || JSON.stringify(resource?.contents ?? []).includes(id);
    items.push({
      label: 'Resources & Prompts',
      mark: resourceTemplates.length > 0 && prompts.length > 0 && resourceOk ? 'pass' : 'fail',
      value: `${resourceTemplates.length} resource template, ${prompts.length} prompts${resourceOk ? '' : '; resource read failed'}`,
    });
  } finally {
    const peak = server.peakRssMb();
    const shutdown = await server.stop();
    const result: McpCheckResult = {
      items,
      tallies: checker.tallies,
      startupMs: server.startupMs,
      serverPeakRssMb: peak,
      queryCpuPercent: cpuPercent,
      shutdown,
      serverPid: server.pid,
    };
    for (const tool of EXPECTED_TOOLS) {
      const t = checker.tallies.get(tool);
      if (!t) {
        items.push({ label: tool, mark: 'fail', value: 'not exercised' });
        continue;
      }
      const ok = t.calls - t.failures.length;
      items.push({
        label: tool,
        mark: t.failures.length ? 'fail' : 'pass',
        value: `${ok} of ${t.calls} test ${t.calls === 1 ? 'call' : 'calls'} correct, ${latencyOf(t).averageMs.toFixed(1)} ms average`,
        ...(t.failures.length ? { details: t.failures.slice(0, 5) } : {}),
      });
    }
    return result;
  }
}
