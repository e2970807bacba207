/**
 * The integration test: the procedures' eight steps in order (environment, API connection, database
 * initialisation, data sync, MCP server, query validation, performance, cleanup), each adding its
 * items to the report. A failing step skips the steps that need it and says why.
 */
import { count } from '../wording.js';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntercomApi } from '../intercom/client.js';
import { MIN_NODE_MAJOR, PACKAGE_VERSION } from '../package-root.js';
import type { LogLevel } from '../config/settings.js';
import { engineOf, openStore, type Engine, type StoreTarget } from '../store/open.js';
import type { Store, StoreStatus } from '../store/types.js';
import type { SyncResult } from '../sync/engine.js';
import { ReportedFailure } from '../sync/failures.js';
import { HELP_CENTER_FORBIDDEN_KEY } from '../sync/help-center.js';
import { TICKETS_FORBIDDEN_KEY } from '../sync/tickets.js';
import { COMPANIES_FORBIDDEN_KEY, COMPANIES_WAITING_KEY } from '../sync/companies.js';
import { childEnv } from './child-env.js';
import { checkApiConnection, failureItem, type ApiCheckResult } from './api-check.js';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.js';
import { isAlive } from './proc-stats.js';
import { runSyncProcess } from './sync-process.js';
import type { McpCheckResult } from './mcp-check.js';
import {
  ICON,
  SECTION_ORDER,
  verdictOf,
  worstMark,
  type Advice,
  type IntegrationReport,
  type ReportItem,
  type ReportSection,
  type SectionTitle,
} from './report.js';
import { INTEGRITY_ADVICE, PERFORMANCE_ADVICE, requiredActions } from './required-actions.js';
import { describeTarget, judge, TARGETS, type Target } from './targets.js';

export interface IntegrationOptions {
  days: number;
  maxConversations?: number;
  keep: boolean;
  /** The real API's connection, and where its token came from; without it the built-in emulator runs. */
  intercom?: { token: string; baseUrl: string; tokenSource: string };
  /** Step lines as the run goes ("✅ Sync: 1,247 conversations"). */
  say: (line: string) => void;
  /** Also ask the demo's sample questions and print their answers. */
  sampleQuestions?: boolean;
  /**
   * FASTINTERCOM_TEST_WORKSPACE: the workspace to run in, kept afterwards with its logs (its
   * database is replaced at the start: a test syncs from nothing). Else a temporary one.
   */
  workspace?: string;
  /** FASTINTERCOM_TEST_TIMEOUT: the whole test's limit, in seconds. */
  timeoutSeconds?: number;
  /** FASTINTERCOM_TEST_LOG_LEVEL (DEBUG with --verbose): the log level of the processes it starts. */
  logLevel?: LogLevel;
  /** --verbose: the log lines of the processes it starts, on stderr as they run. */
  verbose?: boolean;
}

/** About the seed report's 1,247 conversations a week. */
const EMULATED_PER_DAY = 180;
/** Intercom's API answers in about this time from Europe and the US (150 ± 50 ms). */
const EMULATED_LATENCY_MS = 150;
const EMULATED_JITTER_MS = 50;

const n = (v: number) => v.toLocaleString('en-US');
const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

class SkippedStep extends Error {}

/** What the sync step leaves for the steps after it. */
type SyncOutcome = Awaited<ReturnType<IntegrationRun['sync']>>;

export async function runIntegrationTest(o: IntegrationOptions): Promise<IntegrationReport> {
  return new IntegrationRun(o).run();
}

/** The run's state, shared by its steps: each step a method, in the procedures' order. */
class IntegrationRun {
  private readonly startedAt = new Date();
  private readonly t0 = performance.now();
  private readonly sections = new Map<SectionTitle, ReportItem[]>();
  private readonly metrics: Record<string, number | null> = {};
  private readonly dir: string;
  private readonly target: StoreTarget;
  private readonly engine: Engine;
  /** Every process the test starts: the cleanup checks that each has exited. */
  private readonly started: (number | null | undefined)[] = [];
  /** Every step waits at most until the deadline; its processes are stopped in the cleanup. */
  private readonly deadline: AbortSignal | undefined;
  private readonly expiry: Promise<never> | undefined;
  private readonly mode: IntegrationReport['mode'];
  private baseUrl: string;
  private emulator: EmulatorProcess | undefined;
  private store: Store | undefined;
  private mcp: McpCheckResult | undefined;
  private failure: unknown;

  constructor(private readonly o: IntegrationOptions) {
    this.dir = o.workspace ?? mkdtempSync(join(tmpdir(), 'fast-intercom-mcp-test-'));
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // The children read the same FASTINTERCOM_DATABASE_URL, if one is set, as this process.
    this.target = { workspaceDir: this.dir, databaseUrl: process.env.FASTINTERCOM_DATABASE_URL };
    this.engine = engineOf(this.target);
    this.baseUrl = o.intercom?.baseUrl ?? '(emulator)';
    this.mode = o.intercom ? 'intercom' : 'emulator';
    this.deadline = o.timeoutSeconds ? AbortSignal.timeout(o.timeoutSeconds * 1000) : undefined;
    const deadline = this.deadline;
    this.expiry = deadline
      ? new Promise<never>((_, reject) =>
          deadline.addEventListener('abort', () =>
            reject(
              new ReportedFailure(
                'other',
                `The integration test did not finish within ${o.timeoutSeconds} s (FASTINTERCOM_TEST_TIMEOUT): raise it, or sync fewer --days`,
              ),
            ),
          ),
        )
      : undefined;
    this.expiry?.catch(() => undefined);
  }

  async run(): Promise<IntegrationReport> {
    try {
      const { api, env } = await this.environment();
      const connection = await this.connect(api);
      await this.initialiseDatabase();
      const sync = await this.sync(env);
      await this.checkIntegrity(api, connection, sync);
      await this.checkServer(env, sync.result);
      await this.judgePerformance(sync);
    } catch (e) {
      if (!(e instanceof SkippedStep)) {
        this.failure = e;
        this.add('Environment', failureItem('Run', e));
      }
      const why = e instanceof SkippedStep ? e.message : 'Skipped after the failure above';
      for (const title of ['Data Sync', 'Data Integrity', 'MCP Server'] as const)
        if (!this.sections.has(title)) this.add(title, { label: title, mark: 'skip', value: why });
    } finally {
      await this.cleanup();
    }
    return this.report();
  }

  private add(title: SectionTitle, ...items: ReportItem[]): void {
    this.sections.set(title, [...(this.sections.get(title) ?? []), ...items]);
  }

  /** A measured figure, judged against its target and kept in the metrics. */
  private figure(
    title: SectionTitle,
    label: string,
    key: keyof typeof TARGETS,
    value: number | null,
    shown: string,
  ) {
    const target: Target = TARGETS[key];
    this.metrics[key] = value;
    this.add(title, { label, mark: judge(target, value), value: shown, target: describeTarget(target) });
  }

  private step(mark: 'pass' | 'warn' | 'fail', line: string): void {
    this.o.say(`${ICON[mark]} ${line}`);
  }

  /** The work, or the deadline's failure if that comes first. */
  private within<T>(work: Promise<T>): Promise<T> {
    if (!this.expiry) return work;
    // Left behind at the deadline, its failure (its processes stopped under it) is no news.
    work.catch(() => undefined);
    return Promise.race([work, this.expiry]);
  }

  /** 1. Environment verification, the emulator started when no token is given; the children's environment. */
  private async environment() {
    const { o, dir } = this;
    o.say('🔍 Testing FastIntercom MCP Integration');
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    this.add(
      'Environment',
      {
        label: 'Node Version',
        mark: nodeMajor >= MIN_NODE_MAJOR ? 'pass' : 'fail',
        value: process.versions.node,
        target: `≥${MIN_NODE_MAJOR}`,
      },
      { label: 'Package Version', mark: 'info', value: `fast-intercom-mcp ${PACKAGE_VERSION}` },
      { label: 'Platform', mark: 'info', value: `${process.platform} ${process.arch}` },
      {
        label: 'Test Workspace',
        mark: 'info',
        value: o.workspace
          ? `${dir} (FASTINTERCOM_TEST_WORKSPACE: its database replaced, kept with its logs)`
          : `${dir} (temporary${o.keep ? ', kept' : ''})`,
      },
    );
    if (!o.intercom) {
      const days = Math.max(o.days, 30);
      // With --max-conversations, a window a little smaller than the limit, so that the sync completes.
      const conversations = Math.min(
        EMULATED_PER_DAY * days,
        o.maxConversations === undefined
          ? Number.POSITIVE_INFINITY
          : Math.floor((o.maxConversations * 0.9 * days) / o.days),
      );
      this.emulator = await startEmulatorProcess({
        conversations,
        days,
        latencyMs: EMULATED_LATENCY_MS,
        jitterMs: EMULATED_JITTER_MS,
      });
      this.started.push(this.emulator.pid);
      this.baseUrl = this.emulator.url;
      this.add('Environment', {
        label: 'Intercom API',
        mark: 'info',
        value: `built-in emulator at ${this.baseUrl}: ${n(conversations)} conversations over ${days} days, ${EMULATED_LATENCY_MS}±${EMULATED_JITTER_MS} ms latency`,
      });
    } else {
      this.add('Environment', {
        label: 'Intercom API',
        mark: 'info',
        value: `${this.baseUrl} (the token from ${o.intercom.tokenSource})`,
      });
    }
    const token = o.intercom?.token ?? this.emulator!.token;
    const env = childEnv({
      INTERCOM_ACCESS_TOKEN: token,
      INTERCOM_API_BASE_URL: this.baseUrl,
      FASTINTERCOM_WORKSPACE: dir,
      ...(o.logLevel ? { FASTINTERCOM_LOG_LEVEL: o.logLevel } : {}),
      // The cap holds for every sync of the run: the MCP server's too.
      ...(o.maxConversations !== undefined
        ? { FASTINTERCOM_MAX_SYNC_CONVERSATIONS: String(o.maxConversations) }
        : {}),
    });
    return { env, api: new IntercomApi({ baseUrl: this.baseUrl, token }) };
  }

  /** 2. API connection: the calls the sync makes, each answered and in shape. */
  private async connect(api: IntercomApi): Promise<ApiCheckResult> {
    const connection: ApiCheckResult = await this.within(checkApiConnection(api));
    this.metrics.apiResponseMs = connection.averageResponseMs;
    this.add('API Connection', ...connection.items);
    if (connection.failure) {
      this.step('fail', `API Connection: ${connection.failure.message}`);
      this.failure = connection.failure;
      throw new SkippedStep('Skipped due to API failure');
    }
    this.step('pass', `API Connection: Connected to workspace '${connection.workspaceName ?? 'unknown'}'`);
    return connection;
  }

  /** 3. Database initialisation: from nothing, in a kept workspace too. */
  private async initialiseDatabase(): Promise<void> {
    const { engine, target } = this;
    if (this.o.workspace !== undefined && engine.localFiles) await engine.drop(target);
    const store = (this.store = await openStore(target));
    const initial = await store.status();
    const initProblems = await store.integrityProblems();
    this.add('Environment', {
      label: 'Database',
      mark: initProblems.length ? 'fail' : 'pass',
      value: initProblems.length
        ? initProblems.join('; ')
        : `Initialized: ${engine.label}, schema version ${initial.schemaVersion}, ${engine.integrityCheck} ok`,
    });
    this.step(initProblems.length ? 'fail' : 'pass', 'Database: Initialized successfully');
  }

  /** What the copy holds of the Help Center, or why it holds none (a token without the permission). */
  private async helpCenterItem(status: StoreStatus): Promise<ReportItem> {
    const forbidden = await this.store!.getMeta(HELP_CENTER_FORBIDDEN_KEY);
    return forbidden
      ? {
          label: 'Help Center',
          mark: 'warn',
          value: `not synced: the token may not read articles (${forbidden})`,
        }
      : {
          label: 'Help Center',
          mark: 'pass',
          value: `${count(status.articles, 'article')} (${n(status.publishedArticles)} published) in ${count(status.collections, 'collection')}`,
        };
  }

  /** What the copy holds of the tickets, or why it holds none (a token without the permission). */
  private async ticketsItem(status: StoreStatus): Promise<ReportItem> {
    const forbidden = await this.store!.getMeta(TICKETS_FORBIDDEN_KEY);
    return forbidden
      ? { label: 'Tickets', mark: 'warn', value: `not synced: the token may not read tickets (${forbidden})` }
      : {
          label: 'Tickets',
          mark: 'pass',
          value: `${count(status.tickets, 'ticket')} (${n(status.openTickets)} open)`,
        };
  }

  /** What the copy holds of the companies, or why it holds none. */
  private async companiesItem(status: StoreStatus): Promise<ReportItem> {
    const forbidden = await this.store!.getMeta(COMPANIES_FORBIDDEN_KEY);
    const waiting = await this.store!.getMeta(COMPANIES_WAITING_KEY);
    if (forbidden)
      return {
        label: 'Companies',
        mark: 'warn',
        value: `not synced: the token may not read companies (${forbidden})`,
      };
    return waiting
      ? {
          label: 'Companies',
          mark: 'warn',
          value: `${count(status.companies, 'company', 'companies')}; ${waiting}`,
        }
      : { label: 'Companies', mark: 'pass', value: count(status.companies, 'company', 'companies') };
  }

  /** 4. Data sync, in a process of its own (its memory and disk writes measured). */
  private async sync(env: ReturnType<typeof childEnv>) {
    const { o, dir, deadline, metrics } = this;
    const store = this.store!;
    let result: SyncResult;
    try {
      const synced = await this.within(
        runSyncProcess({
          workspace: dir,
          env,
          ...(deadline ? { signal: deadline } : {}),
          ...(o.verbose ? { verbose: true } : {}),
          days: o.days,
          ...(o.maxConversations !== undefined ? { maxConversations: o.maxConversations } : {}),
        }),
      );
      result = synced.result;
      metrics.syncAverageRssMb = synced.averageRssMb;
      metrics.syncPeakRssMb = synced.peakRssMb;
      metrics.syncBytesWritten = synced.bytesWritten;
      this.started.push(synced.pid);
    } catch (e) {
      this.failure = e;
      const item = failureItem('Sync', e);
      this.add('Data Sync', item);
      this.step('fail', `Sync: ${item.value}`);
      throw new SkippedStep('Skipped due to sync failure');
    }
    const syncEndedAt = Math.floor(Date.now() / 1000);
    const since = result.windowStart;
    const status = await store.status();
    const seconds = result.elapsedMs / 1000;
    metrics.conversations = status.conversations;
    metrics.messages = status.parts;
    metrics.apiCalls = result.apiCalls;
    metrics.syncSeconds = seconds;
    this.add(
      'Data Sync',
      {
        label: 'Date Range',
        mark: 'info',
        value: `${day(since)} to ${day(syncEndedAt)} (${count(o.days, 'day')})${o.maxConversations !== undefined ? `, at most ${count(o.maxConversations, 'conversation')}` : ''}`,
      },
      {
        label: 'Conversations',
        mark: result.complete || o.maxConversations !== undefined ? 'pass' : 'warn',
        value: `${count(status.conversations, 'conversation')} synced successfully`,
      },
      { label: 'Messages', mark: 'pass', value: `${count(status.parts, 'message')} processed` },
      { label: 'Customers', mark: 'pass', value: `${count(status.contacts, 'unique customer')}` },
      await this.ticketsItem(status),
      await this.companiesItem(status),
      await this.helpCenterItem(status),
    );
    // The conversations' speed and cost are the procedures' figures: the tickets' and companies'
    // part of the run (its time and its calls) is said beside them, not counted in them. The two
    // run side by side, beside the conversations' oldest stretch.
    const ticketSeconds = Math.max(result.ticketsMs, result.companiesMs) / 1000;
    const conversationSeconds = Math.max(0.001, result.conversationsMs / 1000);
    const ticketCalls = Object.entries(result.callsByRoute)
      .filter(([route]) => /\/(tickets?|ticket_types|companies)\b/.test(route))
      .reduce((n, [, calls]) => n + calls, 0);
    this.figure(
      'Data Sync',
      'Sync Speed',
      'syncConversationsPerSecond',
      status.conversations / conversationSeconds,
      `${(status.conversations / conversationSeconds).toFixed(1)} conversations/second`,
    );
    this.add('Data Sync', {
      label: 'Ticket and Company Sync',
      mark: 'info',
      value: `${count(result.tickets, 'ticket')} and ${count(result.companies, 'company', 'companies')} read in ${ticketSeconds.toFixed(1)} s, ${count(ticketCalls, 'call')} (not counted in the speeds and calls here)`,
    });
    this.figure(
      'Data Sync',
      'Message Speed',
      'syncMessagesPerSecond',
      status.parts / conversationSeconds,
      `${(status.parts / conversationSeconds).toFixed(1)} messages/second`,
    );
    const perConversation = status.conversations
      ? (result.apiCalls - ticketCalls) / status.conversations
      : null;
    this.figure(
      'Data Sync',
      'API Calls',
      'apiCallsPerConversation',
      perConversation,
      `${count(result.apiCalls - ticketCalls, 'call')} for conversations (${perConversation?.toFixed(3) ?? 'n/a'} per conversation)`,
    );
    this.figure(
      'Data Sync',
      'Rate Limiting',
      'rateLimited',
      result.rateLimited,
      `${result.rateLimited} × 429, ${count(result.retries, 'retried call')}, ${(result.rateWaitMs / 1000).toFixed(1)} s paced`,
    );
    if (result.retries > 0)
      this.add('Data Sync', {
        label: 'Retries',
        mark: 'warn',
        value: `${count(result.retries, 'API call')} failed and succeeded on retry`,
      });
    this.add('Data Sync', { label: 'Duration', mark: 'pass', value: `${seconds.toFixed(1)} seconds` });
    this.step('pass', `Sync: ${count(status.conversations, 'conversation')} (${count(o.days, 'day')})`);
    return { result, status, since, syncEndedAt, seconds };
  }

  /** The copy checked against the API and itself (Data Integrity). */
  private async checkIntegrity(
    api: IntercomApi,
    connection: ApiCheckResult,
    sync: SyncOutcome,
  ): Promise<void> {
    const { OpenApiValidator } = await import('../emulator/openapi-validator.js');
    const { checkDataIntegrity } = await import('./data-integrity.js');
    const integrity = await this.within(
      checkDataIntegrity({
        api,
        store: this.store!,
        validator: new OpenApiValidator({ closed: this.mode === 'emulator' }),
        since: sync.since,
        syncEndedAt: sync.syncEndedAt,
        maxConversations: this.o.maxConversations,
        responses: connection.responses,
      }),
    );
    this.add('Data Integrity', ...integrity);
    this.step(
      worstMark(integrity),
      `Data Integrity: ${integrity.filter((i) => i.mark === 'pass').length} of ${integrity.length} checks clean`,
    );
  }

  /** 5 and 6. MCP server and query validation, through a real server process. */
  private async checkServer(env: ReturnType<typeof childEnv>, result: SyncResult): Promise<void> {
    const { o, dir, deadline } = this;
    const { checkMcpServer } = await import('./mcp-check.js');
    const mcp = (this.mcp = await this.within(
      checkMcpServer({
        workspace: dir,
        env,
        store: this.store!,
        days: o.days,
        syncComplete: result.complete,
        ...(o.maxConversations !== undefined ? { maxConversations: o.maxConversations } : {}),
        ...(o.sampleQuestions ? { say: o.say } : {}),
        ...(deadline ? { signal: deadline } : {}),
        ...(o.verbose ? { verbose: true } : {}),
      }),
    ));
    this.add('MCP Server', ...mcp.items);
    const toolsOk = mcp.items.every((i) => i.mark !== 'fail');
    this.step(
      toolsOk ? 'pass' : 'fail',
      `Queries: ${toolsOk ? 'All MCP tools working correctly' : 'some MCP tools answered wrongly (see MCP Server)'}`,
    );
  }

  /** 7. Performance: the tools' latencies, the processes' memory, CPU and disk, the copy's size. */
  private async judgePerformance({ status, seconds }: SyncOutcome): Promise<void> {
    const allAvg = await this.judgeLatency(this.mcp!);
    await this.judgeResources(this.mcp!, status);
    this.step(
      worstMark(this.sections.get('Performance') ?? []),
      `Performance: ${(status.conversations / seconds).toFixed(1)} conv/sec, ${allAvg.toFixed(1)}ms avg response`,
    );
    this.step('pass', `Memory: ${this.metrics.syncPeakRssMb?.toFixed(0)}MB peak usage`);
  }

  /** The tools' answer times; returns the average over every query call. */
  private async judgeLatency(mcp: McpCheckResult): Promise<number> {
    const { metrics } = this;
    const { latencyOf } = await import('./mcp-check.js');
    const tally = (tool: string) => mcp.tallies.get(tool);
    const avg = (tool: string) => {
      const t = tally(tool);
      return t ? latencyOf(t).averageMs : null;
    };
    const queryTools = [...mcp.tallies.entries()].filter(([tool]) => tool !== 'sync_conversations');
    const all = queryTools.flatMap(([, t]) => t.latenciesMs);
    const allAvg = all.reduce((a, b) => a + b, 0) / Math.max(1, all.length);
    const p95 = Math.max(...queryTools.map(([, t]) => latencyOf(t).p95Ms));
    metrics.queryAverageMs = allAvg;
    metrics.queryP95Ms = p95;
    const fmtMs = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}ms average`);
    this.figure(
      'Performance',
      'Query Response',
      'searchAverageMs',
      avg('search_conversations'),
      `${fmtMs(avg('search_conversations'))} (search_conversations)`,
    );
    this.figure(
      'Performance',
      'Individual Conversation',
      'getConversationAverageMs',
      avg('get_conversation'),
      fmtMs(avg('get_conversation')),
    );
    this.figure(
      'Performance',
      'Server Status',
      'statusAverageMs',
      avg('get_server_status'),
      fmtMs(avg('get_server_status')),
    );
    this.figure(
      'Performance',
      'MCP Tool Response',
      'toolP95Ms',
      p95,
      `${p95.toFixed(1)}ms p95 over ${all.length} calls`,
    );
    return allAvg;
  }

  /** Memory, disk and CPU of the processes, and the copy's size. */
  private async judgeResources(mcp: McpCheckResult, status: StoreStatus): Promise<void> {
    const { metrics } = this;
    const syncAvg = metrics.syncAverageRssMb ?? null;
    const syncRss = metrics.syncPeakRssMb ?? null;
    this.figure(
      'Performance',
      'Memory Usage',
      'syncAverageRssMb',
      syncAvg,
      `${syncAvg?.toFixed(0)}MB average during sync`,
    );
    this.figure(
      'Performance',
      'Peak Memory',
      'syncPeakRssMb',
      syncRss,
      `${syncRss?.toFixed(0)}MB peak (sync process)`,
    );
    // The procedures say 150 MB of the sync's peak; a server that answers from the copy should
    // need no more, so its peak (VmHWM over the whole check, tools and its own sync) is judged too.
    const serverRss = mcp.serverPeakRssMb;
    this.figure(
      'Performance',
      'Server Memory',
      'serverPeakRssMb',
      serverRss,
      serverRss === null ? 'n/a (no /proc)' : `${serverRss.toFixed(0)}MB peak (MCP server)`,
    );
    const dbBytes = (await this.store!.status()).databaseBytes;
    metrics.databaseBytes = dbBytes;
    metrics.bytesPerConversation = status.conversations ? dbBytes / status.conversations : null;
    this.add('Performance', {
      label: 'Database Size',
      mark: 'pass',
      value: `${(dbBytes / 1e6).toFixed(1)}MB (${((metrics.bytesPerConversation ?? 0) / 1e3).toFixed(1)}KB per conversation)`,
    });
    // Disk I/O: what the sync wrote against the copy it left, its write amplification.
    const written = metrics.syncBytesWritten ?? null;
    this.figure(
      'Performance',
      'Disk I/O',
      'syncWriteAmplification',
      written === null || dbBytes === 0 ? null : written / dbBytes,
      written === null
        ? 'n/a (no /proc)'
        : `${(written / 1e6).toFixed(1)}MB written by the sync for a ${(dbBytes / 1e6).toFixed(1)}MB copy (${(written / dbBytes).toFixed(1)}× the copy)`,
    );
    metrics.serverCpuPercent = mcp.queryCpuPercent;
    this.add('Performance', {
      label: 'CPU Usage',
      mark: 'info',
      value:
        mcp.queryCpuPercent === null
          ? 'n/a (no /proc)'
          : `${mcp.queryCpuPercent.toFixed(0)}% of one core during queries (MCP server)`,
    });
  }

  /** 8. Cleanup: the server, the copy, the emulator and the files, and every process gone. */
  private async cleanup(): Promise<void> {
    const { o, dir, mcp, store, emulator, engine, target, started } = this;
    if (mcp)
      this.add('Cleanup', {
        label: 'MCP Server',
        mark: mcp.shutdown.exited ? 'pass' : 'warn',
        value: mcp.shutdown.exited
          ? `Stopped gracefully in ${mcp.shutdown.ms.toFixed(0)}ms`
          : 'did not exit after its stdin closed',
      });
    if (store) {
      await store.close();
      const clean = engine.closedCleanly(target);
      this.add('Cleanup', {
        label: 'Database',
        mark: clean ? 'pass' : 'warn',
        value: !clean ? 'closed, but its write-ahead log was not checkpointed' : engine.closedNote,
      });
    }
    if (emulator) {
      await emulator.stop();
      this.add('Cleanup', { label: 'Emulator', mark: 'pass', value: 'Stopped' });
    }
    if (o.workspace !== undefined || o.keep)
      this.add('Cleanup', {
        label: 'Temp Files',
        mark: 'info',
        value: `Kept at ${dir} (${o.workspace ? 'FASTINTERCOM_TEST_WORKSPACE' : '--keep'})`,
      });
    else {
      rmSync(dir, { recursive: true, force: true });
      this.add('Cleanup', {
        label: 'Temp Files',
        mark: existsSync(dir) ? 'warn' : 'pass',
        value: existsSync(dir) ? `${dir} remains` : 'All cleaned up',
      });
    }
    if (mcp) started.push(mcp.serverPid);
    const running = started.filter((pid): pid is number => typeof pid === 'number' && isAlive(pid));
    const count = started.filter((pid) => typeof pid === 'number').length;
    this.add('Cleanup', {
      label: 'Memory',
      mark: running.length ? 'warn' : 'pass',
      value: running.length
        ? `not released: ${running.map((pid) => `PID ${pid}`).join(', ')} still running`
        : `Fully released (the ${count} processes it started have exited, the database is closed)`,
    });
  }

  private report(): IntegrationReport {
    const { sections, failure, o } = this;
    const advice: Advice[] = [];
    const ordered: ReportSection[] = SECTION_ORDER.map((title) => ({
      title,
      items: sections.get(title) ?? [],
    }));
    if (failure !== undefined) advice.push(requiredActions(failure, this.baseUrl));
    const warned = (title: SectionTitle) =>
      (sections.get(title) ?? []).some((i) => i.mark === 'warn' || i.mark === 'fail');
    if (failure === undefined && (warned('Performance') || warned('Data Sync')))
      advice.push(PERFORMANCE_ADVICE);
    if (warned('Data Integrity')) advice.push(INTEGRITY_ADVICE);
    return {
      verdict: verdictOf(ordered),
      mode: this.mode,
      apiBaseUrl: this.baseUrl,
      startedAt: this.startedAt.toISOString(),
      durationMs: performance.now() - this.t0,
      sections: ordered,
      advice,
      metrics: this.metrics,
      ...(this.deadline?.aborted ? { timedOutAfterSeconds: o.timeoutSeconds } : {}),
    };
  }
}
