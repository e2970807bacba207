/** `fast-intercom-mcp sync`: one sync run from the command line, with progress and a summary. */
import { maskedApi, maskingOf } from '../sync/masked-at-sync.js';
import type { Command } from 'commander';
import { ConfigError } from '../config/settings.js';
import { count } from '../wording.js';
import type { SyncResult } from '../sync/engine.js';
import { runSync } from '../sync/engine.js';
import { forbiddenReferenceLists, missingNames } from '../sync/reference-data.js';
import { storedZone } from '../time/zone.js';
import type { Store } from '../store/types.js';
import { underSyncLock } from '../sync/sync-lock.js';
import { contextFrom, createApi, guarded, openStore, requireWorkspace, type CliContext } from './context.js';
import { intOption, positiveIntOption } from './options.js';
import { createProgressView } from './sync-progress.js';
import { printOutput } from './output.js';
import { describeWait, LONG_WAIT_MS } from '../intercom/request-log.js';

/** An instant with its offset, as scripts pass it (the integration test among them). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * `--since` read as the MCP tools read timeframes, in the workspace's zone. The parser is loaded
 * only for words and zone-less dates: the date parser is a large share of the syncing process's
 * memory budget, and an instant with its offset means the same in every zone.
 */
export async function parseSince(text: string, zone: string, nowMs = Date.now()): Promise<number> {
  const given = text.trim();
  const instantMs = INSTANT.test(given) ? Date.parse(given) : Number.NaN;
  if (Number.isFinite(instantMs)) {
    if (instantMs > nowMs)
      throw new ConfigError(`--since: ${given} lies in the future; the copy holds only what has happened`);
    if (instantMs < 0)
      throw new ConfigError(`--since: ${given} reaches back before 1970; nothing synced is that old`);
    return Math.floor(instantMs / 1000);
  }
  const { parseTimeframe, TimeframeError } = await import('../time/timeframe.js');
  try {
    return parseTimeframe(`since ${given.replace(/^since\s+/i, '')}`, zone, nowMs).from;
  } catch (e) {
    throw e instanceof TimeframeError ? new ConfigError(`--since: ${e.message}`) : e;
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');
/**
 * The one-shot sync's page cache, in MB: its writes touch each page about once, so the driver's
 * 16 MB would only grow with the database without speeding the sync up.
 */
const SYNC_CACHE_MB = 4;

export function formatSummary(r: SyncResult): string {
  const seconds = r.elapsedMs / 1000;
  const records = r.fetched + r.tickets + r.articles + r.companies;
  const perRecord = records > 0 ? (r.apiCalls / records).toFixed(2) : '-';
  const window = new Date(r.windowStart * 1000).toISOString().slice(0, 16).replace('T', ' ');
  return [
    `Sync ${r.complete ? 'complete' : 'stopped at --max-conversations (run sync again to continue)'} (${r.kind}, conversations updated since ${window} UTC)`,
    `  Conversations: ${fmt(r.done)} seen, ${fmt(r.fetched)} fetched, ${fmt(r.unchanged)} unchanged, ${fmt(r.deleted)} deleted`,
    `  Messages:      ${fmt(r.parts)}`,
    `  Contacts:      ${fmt(r.contactsFetched)} looked up`,
    `  Tickets:       ${fmt(r.tickets)} new or changed, ${fmt(r.ticketsDeleted)} deleted`,
    `  Help Center:   ${fmt(r.articles)} articles new or changed`,
    `  Companies:     ${fmt(r.companies)} new or changed, ${fmt(r.companiesDeleted)} deleted`,
    `  API calls:     ${fmt(r.apiCalls)} (${perRecord} per record read: conversations, tickets, articles and companies), ${r.rateLimited} × 429, ${count(r.retries, 'retry', 'retries')}`,
    `  Duration:      ${seconds.toFixed(1)} s, ${(seconds > 0 ? r.fetched / seconds : 0).toFixed(1)} conversations/s`,
  ].join('\n');
}

/** The summary (or JSON) on stdout, and what the token may not read, on stderr too. */
async function reportResult(ctx: CliContext, store: Store, result: SyncResult, json: boolean): Promise<void> {
  ctx.logger.info(
    `sync: ${result.kind} done: ${result.fetched} fetched, ${result.unchanged} unchanged, ${result.deleted} deleted, ${result.apiCalls} calls`,
  );
  printOutput(json ? JSON.stringify(result) : formatSummary(result));
  const forbidden = await forbiddenReferenceLists(store);
  if (forbidden.length > 0) {
    const missing = missingNames(forbidden);
    ctx.logger.warn(`sync: ${missing}`);
    if (!json) process.stderr.write(`note: ${missing}\n`);
  }
}

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('bring the local copy up to date: resume, continue incrementally, or backfill a window')
    .option(
      '--days <n>',
      'backfill conversations updated in the last N days (default on an empty database: initial_sync_days, 30)',
      positiveIntOption,
    )
    .option(
      '--since <date>',
      'backfill conversations updated since a date ("2024-06-01", "last monday", in the workspace\'s zone) or an instant ("2024-06-01T09:30:00Z")',
    )
    .option('--force', 're-fetch every conversation of the window, changed or not')
    .option(
      '--max-conversations <n>',
      'stop after fetching this many conversations (resume later)',
      intOption,
    )
    .option('--concurrency <n>', 'threads fetched at once (default 40)', positiveIntOption)
    .option('--json', 'print the result as JSON instead of the summary')
    .action(
      guarded(
        async (
          opts: {
            days?: number;
            since?: string;
            force?: boolean;
            maxConversations?: number;
            concurrency?: number;
            json?: boolean;
          },
          cmd: Command,
        ) => {
          if (opts.days !== undefined && opts.since !== undefined)
            throw new ConfigError('give --days or --since, not both');
          const ctx = contextFrom(cmd);
          // Without a token nothing can be created: a workspace that is not there is the likelier mistake.
          if (!ctx.settings.token) requireWorkspace(ctx);
          const view = createProgressView();
          const api = createApi(ctx, undefined, {
            onWait: (w) => {
              if (w.ms >= LONG_WAIT_MS || w.capped) view.note(describeWait(w), Date.now() + w.ms);
            },
          });
          const store = await openStore(ctx, { cacheMb: SYNC_CACHE_MB });
          try {
            const since =
              opts.since !== undefined
                ? await parseSince(opts.since, await storedZone(store, ctx.settings.timezone))
                : undefined;
            await underSyncLock(store, async () => {
              const controller = new AbortController();
              const onSignal = () => controller.abort();
              process.once('SIGINT', onSignal);
              process.once('SIGTERM', onSignal);
              try {
                ctx.logger.info(
                  `sync: starting (${since ? `since ${new Date(since * 1000).toISOString()}` : 'auto'})`,
                );
                await store.assertIntact();
                const masking = await maskingOf(store, ctx.settings.redactAtSync);
                const result = await runSync(masking ? maskedApi(api, masking) : api, store, {
                  defaultDays: ctx.settings.initialSyncDays,
                  ...(since !== undefined ? { since } : {}),
                  ...(opts.days !== undefined ? { days: opts.days } : {}),
                  ...(ctx.settings.timezone ? { timezone: ctx.settings.timezone } : {}),
                  ...(opts.force ? { force: true } : {}),
                  ...(opts.maxConversations !== undefined ? { maxConversations: opts.maxConversations } : {}),
                  ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
                  signal: controller.signal,
                  onProgress: (p) => view.update(p),
                  totalFirst: view.bar,
                });
                view.finish(result);
                await reportResult(ctx, store, result, opts.json === true);
              } finally {
                view.stop();
                process.off('SIGINT', onSignal);
                process.off('SIGTERM', onSignal);
              }
            });
          } finally {
            await store.close();
          }
        },
      ),
    );
}
