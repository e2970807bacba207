/** What a running server holds: the store, the API client (when there is a token), the sync controller. */
import type { Logger } from '../config/logger.js';
import type { Settings } from '../config/settings.js';
import { IntercomApi } from '../intercom/client.js';
import { loggedRequests } from '../intercom/request-log.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { createMcpServer } from '../mcp/server.js';
import { selectTools, type ToolSelection } from '../mcp/tool-selection.js';
import { maskedApi, maskingOf } from '../sync/masked-at-sync.js';
import { ALL_TOOLS } from '../mcp/tools/index.js';
import { WriteDesk } from '../actions/write-desk.js';
import { SyncController } from '../sync/controller.js';
import { SyncSchedule } from '../sync/schedule.js';
import { NotificationProcessor } from '../sync/notifications.js';
import { ByteBudget } from './body.js';
import { statusPage } from './status-page.js';
import { UNVERIFIED_BUDGET_BYTES, type WebhookReceiver } from './webhooks.js';

/**
 * The server's page cache per connection, in MB. The operating system caches the file anyway; the
 * driver's 16 MB per connection (48 MB for the server's three) made up most of the growth past the
 * 150 MB memory target on a 9,000-conversation copy, and saved little time (docs/performance.md).
 */
const SERVER_CACHE_MB = 4;

export interface Runtime {
  store: Store;
  sync: SyncController;
  /** Set when a webhook secret is configured: what `POST /webhooks/intercom` needs. */
  webhooks: WebhookReceiver | undefined;
  newServer: () => ReturnType<typeof createMcpServer>;
  /** The HTML of `GET /` (status-page.ts). */
  statusPage: () => Promise<string>;
  close: () => Promise<void>;
}

export async function createRuntime(
  settings: Settings,
  logger: Logger,
  /**
   * `readers`: threads for the long reads of a SQLite copy. The HTTP server takes two, one heavy
   * question each from two clients at once on a two-core machine; the stdio server, one person's
   * assistant asking one thing at a time, takes one, which keeps it 10 MB inside the procedures'
   * 150 MB (docs/performance.md). Each connection keeps SERVER_CACHE_MB of pages rather than the
   * driver's 16 MB.
   */
  opts: { testMode: boolean; invocation: string; readers: 1 | 2 },
): Promise<Runtime> {
  const store = await openStore(settings.store, { readers: opts.readers, cacheMb: SERVER_CACHE_MB });
  // A run left 'running' is stale only if no live process holds the lock: a CLI sync may be running.
  if (store.writable && (await store.syncLockHolder()) === undefined) await store.interruptStaleRuns();
  if (!store.writable)
    logger.warn(`the copy at ${store.location} is read-only for this user: serving queries, syncs are off`);
  const client = settings.token
    ? new IntercomApi({
        baseUrl: settings.baseUrl,
        token: settings.token,
        requestOptions: loggedRequests(logger),
      })
    : undefined;
  // Checked before anything starts, the copy closed again if not: a copy kept free of personal
  // data stays so, whoever starts the server (masked-at-sync.ts), and a tool setting naming no
  // tool stops here.
  let masking: Awaited<ReturnType<typeof maskingOf>>;
  let api: IntercomApi | undefined;
  let sync: SyncController;
  let tools: ToolSelection;
  try {
    masking = await maskingOf(store, store.writable ? settings.redactAtSync : undefined);
    api = client && masking ? maskedApi(client, masking) : client;
    sync = new SyncController({
      store,
      api,
      logger,
      initialSyncDays: settings.initialSyncDays,
      timezone: settings.timezone,
      maxConversations: settings.maxSyncConversations,
    });
    tools = selectTools(ALL_TOOLS, settings.tools, sync.cannotSync);
  } catch (e) {
    await store.close();
    throw e;
  }
  if (!api) logger.warn('no Intercom access token: serving the local copy only, syncs are off');
  // Writes go through the same paced, masked client as the syncs, wherever a write tool is served
  // (tool-selection.ts decides: the writes allowed, a token, a copy this user may write).
  const writes =
    api && tools.served.some((t) => t.writes)
      ? new WriteDesk(store, api, logger, { writeAs: settings.writeAs, masking })
      : undefined;
  if (writes)
    logger.info(`mcp: writes to Intercom allowed (${settings.tools.writes}), each previewed and confirmed`);
  if (tools.hidden.size)
    logger.info(`mcp: not serving ${[...tools.hidden.keys()].join(', ')} (the tool settings, or no sync)`);
  // Test mode never syncs behind the caller's back: tests decide when data changes.
  const processor = new NotificationProcessor(store, api, logger, settings.webhookRetrySeconds);
  const schedule =
    !opts.testMode && api && store.writable
      ? new SyncSchedule(store, sync, logger, settings.backgroundSyncIntervalMinutes, processor)
      : undefined;
  schedule?.start();
  return {
    store,
    sync,
    webhooks: settings.webhookSecret
      ? {
          secret: settings.webhookSecret,
          store,
          processor,
          budget: new ByteBudget(UNVERIFIED_BUDGET_BYTES),
          masking,
        }
      : undefined,
    newServer: () =>
      createMcpServer(
        {
          store,
          sync,
          logger,
          maxSyncAgeMinutes: settings.maxSyncAgeMinutes,
          backgroundSyncIntervalMinutes: settings.backgroundSyncIntervalMinutes,
          nudgeSync: () => schedule?.nudge(),
          receivingWebhooks: settings.webhookSecret !== undefined,
          timezoneOverride: settings.timezone,
          region: settings.region,
          invocation: opts.invocation,
          redact: settings.redact,
          writes,
        },
        tools,
      ),
    statusPage: () =>
      statusPage({
        store,
        timezoneOverride: settings.timezone,
        receivingWebhooks: settings.webhookSecret !== undefined,
      }),
    close: async () => {
      processor.stop();
      await schedule?.stop();
      await sync.stop();
      await store.close();
    },
  };
}
