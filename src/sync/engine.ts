/**
 * One sync run: decide the window (resume an interrupted run, continue from what is covered, or
 * backfill), read it page by page in ascending `updated_at`, fetch the full thread of every
 * conversation that changed since we stored it, and checkpoint after each page is stored, in order.
 * Threads are fetched with bounded concurrency while the next search page is read, so the run
 * stays at the rate limit instead of stalling at page boundaries; memory stays bounded by the
 * pages in flight.
 */
import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import type { IntercomApi } from '../intercom/client.js';
import type { ApiConversation } from '../intercom/schemas.js';
import type { StoredVersion, SyncCounters, SyncStore } from '../store/types.js';
import {
  partsUnchanged,
  sameVersion,
  toContactRecord,
  toConversationMetadata,
  toConversationRecord,
} from './mapping.js';
import { readDeletions, settleNotFound } from './deletions.js';
import { notificationConversationId } from './notifications.js';
import { daysBefore } from '../time/clock.js';
import { GroupCommit } from './group-commit.js';
import { coveredFrom } from './coverage.js';
import { syncCompanies, type CompanySchedule } from './companies.js';
import { syncHelpCenter, type HelpCenterSchedule } from './help-center.js';
import { ReferenceData } from './reference-data.js';
import { syncTickets, type TicketSchedule } from './tickets.js';
import { SeenIds } from './seen-ids.js';
import {
  countUpdatedSince,
  pageUpdatedSince,
  type PagerPosition,
  type PagerPage,
} from './updated-at-pager.js';

export const SYNC_KINDS = ['backfill', 'incremental', 'resume'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

export interface SyncRequest {
  /** Start of the window, epoch seconds; without it the sync resumes or continues from coverage. */
  since?: number;
  /** Instead of `since`: the last N calendar days in the workspace's zone, as answers count them. */
  days?: number;
  /** Calendar days to backfill when the store is empty and no window is given. */
  defaultDays: number;
  /** The zone setting, which wins over the workspace's own (FASTINTERCOM_TIMEZONE). */
  timezone?: string;
  force?: boolean;
  maxConversations?: number;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /**
   * A backfill's progress is given the whole window's count: before the first page when the caller
   * draws a bar that must never go back (one more round trip), else beside the first pages.
   */
  totalFirst?: boolean;
  /** How old a thread's last full read may be before metadata applied since sends it to be read again. */
  threadRereadSeconds?: number;
  /** How often the Help Center is looked at, and read whole (help-center.ts's defaults otherwise). */
  helpCenter?: HelpCenterSchedule;
  /** How often every ticket is listed to find deletions (tickets.ts's default otherwise). */
  tickets?: TicketSchedule;
  /** How often every company is scrolled over (companies.ts's default otherwise). */
  companies?: CompanySchedule;
}

export interface SyncProgress {
  kind: SyncKind;
  windowStart: number;
  /** Conversations in the window still to look at when last asked, plus those done. */
  total: number;
  done: number;
  fetched: number;
  /** Changed conversations whose parts did not change: their metadata applied, no thread fetched. */
  updatedInPlace: number;
  unchanged: number;
  deleted: number;
  parts: number;
  contactsFetched: number;
  /** Help Center articles stored new or changed. */
  articles: number;
  /** Tickets stored new or changed, and deleted, and the time their part of the run took. */
  tickets: number;
  ticketsDeleted: number;
  ticketsMs: number;
  /** Companies stored new or changed, and deleted, and the time their part of the run took. */
  companies: number;
  companiesDeleted: number;
  companiesMs: number;
  /**
   * The conversations' part of the run: from its start until their last stretch is stored. The
   * other kinds run beside the oldest stretch, so the parts' times overlap and do not add up.
   */
  conversationsMs: number;
  apiCalls: number;
  rateLimited: number;
  elapsedMs: number;
}

export interface SyncResult extends SyncProgress {
  runId: number;
  complete: boolean;
  callsByRoute: Record<string, number>;
  retries: number;
  rateWaitMs: number;
}

/** Re-read this much before the end of what is covered: clock skew and same-second updates. */
export const INCREMENTAL_OVERLAP_SECONDS = 300;
const PAGES_IN_FLIGHT = 2;
/**
 * A redaction blanks a part and leaves count_conversation_parts alone, so metadata-only updates
 * cannot see it: a thread that had metadata applied is read whole again once its last full read is
 * a day old. A redacted part thus leaves the copy within a day and a sync interval, at a cost of at
 * most one thread call a day per conversation that changed without a new part.
 */
export const THREAD_REREAD_SECONDS = 86_400;
const REREADS_PER_RUN = 500;
const PARKED_PER_RUN = 500;
/** Conversations given their terms in one transaction, when a copy from before themes is upgraded. */
const TERM_INDEX_BATCH = 500;
const DEFAULT_CONCURRENCY = 40;

const nowSeconds = () => Math.floor(Date.now() / 1000);

export class SyncInterrupted extends Error {
  constructor() {
    super('The sync was interrupted; it will resume from its last checkpoint.');
  }
}

/** One stretch of a run's window, read oldest to newest: [from, to), or to now when `to` is absent. */
interface Chunk {
  from: number;
  to: number | undefined;
  position: PagerPosition;
  /** Continued from a checkpoint: what was seen before the stop is not known, so no reconcile. */
  resumed: boolean;
  /** Where what is left after this chunk starts: its checkpoint's `backfillFrom`. */
  floor: number;
}

interface Plan {
  kind: SyncKind;
  /** The whole window's start (the oldest chunk's). */
  windowStart: number;
  chunks: Chunk[];
  startedAt: number;
}

/**
 * A backfill fills the most recent days first, so the first minute of a fresh install answers
 * about today and this week: the last day, then the rest of the week, the month, the quarter, the
 * year, then year by year. Each chunk is read oldest to newest within itself (as the pager must)
 * with its own checkpoints, and adds its own coverage when complete.
 */
const BACKFILL_STEPS_DAYS = [1, 7, 30, 90, 365];

/** The chunks of [from, until), newest first; the newest has no upper bound when `open`. */
function newestFirst(from: number, until: number, open: boolean): Chunk[] {
  const edges = [until];
  for (let i = 0; edges.at(-1)! > from; i++) {
    const days = BACKFILL_STEPS_DAYS[i] ?? 365 * (i - BACKFILL_STEPS_DAYS.length + 2);
    edges.push(Math.max(from, until - days * 86400));
  }
  return edges.slice(1).map((start, i) => ({
    from: start,
    to: open && i === 0 ? undefined : edges[i]!,
    position: { mark: start, idsAtMark: [] },
    resumed: false,
    floor: from,
  }));
}

/** A request the sync refuses before it touches anything (a window starting in the future, say). */
export class SyncRequestError extends Error {}

async function planRun(
  store: SyncStore,
  coverageEnd: number | undefined,
  req: SyncRequest,
  now: number,
): Promise<Plan> {
  // A window starting in the future would be stored as reversed coverage, after which every
  // incremental sync would start past real updates.
  if (req.since !== undefined && (!Number.isFinite(req.since) || req.since > now))
    throw new SyncRequestError(
      `A sync cannot start in the future (since ${Number.isFinite(req.since) ? new Date(req.since * 1000).toISOString() : req.since})`,
    );
  const cp = await store.getCheckpoint();
  if (cp && (req.since === undefined || req.since >= cp.backfillFrom) && !req.force) {
    const current: Chunk = {
      from: cp.windowStart,
      to: cp.windowEnd ?? undefined,
      position: { mark: cp.mark, idsAtMark: cp.idsAtMark },
      resumed: true,
      floor: cp.backfillFrom,
    };
    // Stopped in an older chunk, the run had read the newer ones only up to when it began: what
    // changed since is read last, so the run ends as current as one that was never stopped.
    const catchUpFrom = (coverageEnd ?? cp.startedAt) - INCREMENTAL_OVERLAP_SECONDS;
    const catchUp: Chunk[] =
      cp.windowEnd === null
        ? []
        : [
            {
              from: catchUpFrom,
              to: undefined,
              position: { mark: catchUpFrom, idsAtMark: [] },
              resumed: false,
              floor: catchUpFrom,
            },
          ];
    return {
      kind: 'resume',
      windowStart: cp.backfillFrom,
      chunks: [current, ...newestFirst(cp.backfillFrom, cp.windowStart, false), ...catchUp],
      startedAt: cp.startedAt,
    };
  }
  const backfill = (from: number): Plan => ({
    kind: 'backfill',
    windowStart: from,
    chunks: newestFirst(from, now, true),
    startedAt: now,
  });
  // runSync gives an empty copy its default window as `since`.
  if (req.since !== undefined || coverageEnd === undefined) return backfill(req.since ?? now);
  const from = coverageEnd - INCREMENTAL_OVERLAP_SECONDS;
  return {
    kind: 'incremental',
    windowStart: from,
    chunks: [{ from, to: undefined, position: { mark: from, idsAtMark: [] }, resumed: false, floor: from }],
    startedAt: now,
  };
}

export async function runSync(api: IntercomApi, store: SyncStore, req: SyncRequest): Promise<SyncResult> {
  const run = await SyncRun.begin(api, store, req);
  await run.readWindow();
  return run.result();
}

/** The client may serve many runs (the server's): every figure reported is this run's share. */
function apiBaseline(api: IntercomApi) {
  const before = {
    calls: api.stats.total,
    rateLimited: api.stats.rateLimited,
    retries: api.stats.retries,
    waitedMs: api.pacer.waitedMs,
    routes: new Map(api.stats.byRoute),
  };
  return {
    calls: () => api.stats.total - before.calls,
    rateLimited: () => api.stats.rateLimited - before.rateLimited,
    retries: () => api.stats.retries - before.retries,
    waitedMs: () => api.pacer.waitedMs - before.waitedMs,
    byRoute: () =>
      Object.fromEntries(
        [...api.stats.byRoute]
          .map(([route, n]) => [route, n - (before.routes.get(route) ?? 0)] as const)
          .filter(([, n]) => n > 0),
      ),
  };
}

/** One run, from its plan to its record: the steps of runSync, sharing the run's state. */
class SyncRun {
  private readonly started = Date.now();
  private readonly progress: SyncProgress;
  private readonly limit: LimitFunction;
  private readonly seen = new SeenIds();
  /** Pages whose threads are still being stored, oldest first: checkpointed in that order. */
  private readonly pending: { chunk: Chunk; position: PagerPosition; done: Promise<unknown> }[] = [];
  /** Retrieves that answered 404: settled against the deleted list at the end (see deletions.ts). */
  private readonly notFound: string[] = [];
  /** The threads read side by side are stored a group at a time (group-commit.ts). */
  private readonly grouped: GroupCommit<ThreadRecord>;
  private quotaLeft: number;
  private listed = 0;
  /** False once the run stops inside its window (--max-conversations). */
  private complete = true;
  private failure: unknown;
  /** The other kinds' sync, once started (startOtherKinds). */
  private otherKinds: Promise<void> | undefined;

  private constructor(
    private readonly api: IntercomApi,
    private readonly store: SyncStore,
    private readonly req: SyncRequest,
    private readonly now: number,
    private readonly baseline: ReturnType<typeof apiBaseline>,
    private readonly refs: ReferenceData,
    private readonly plan: Plan,
    private readonly runId: number,
  ) {
    this.progress = {
      kind: plan.kind,
      windowStart: plan.windowStart,
      total: 0,
      done: 0,
      fetched: 0,
      updatedInPlace: 0,
      unchanged: 0,
      deleted: 0,
      parts: 0,
      contactsFetched: 0,
      articles: 0,
      tickets: 0,
      ticketsDeleted: 0,
      ticketsMs: 0,
      companies: 0,
      companiesDeleted: 0,
      companiesMs: 0,
      conversationsMs: 0,
      apiCalls: 0,
      rateLimited: 0,
      elapsedMs: 0,
    };
    const concurrency = req.concurrency ?? DEFAULT_CONCURRENCY;
    this.limit = pLimit(concurrency);
    // Every request in flight (and the page read beside them) listens for the caller's abort, so
    // Node's default of 10 listeners would warn of a leak that is not one.
    if (req.signal) setMaxListeners(concurrency + 10, req.signal);
    this.quotaLeft = req.maxConversations ?? Infinity;
    this.grouped = new GroupCommit<ThreadRecord>((records) => store.saveConversations(records));
  }

  /** Plans the run's window and records its start. */
  static async begin(api: IntercomApi, store: SyncStore, req: SyncRequest): Promise<SyncRun> {
    const now = nowSeconds();
    await store.interruptStaleRuns();
    // An explicit window is re-read whole (search pages only, for unchanged threads), which also
    // finds conversations that left the window; deletions come from Intercom's deleted list.
    const coverage = await store.coverage();
    const latestEnd = coverage.length > 0 ? Math.max(...coverage.map((w) => w.to)) : undefined;
    const baseline = apiBaseline(api);
    const refs = new ReferenceData(api, store, req.signal);
    // Days are the zone's calendar days, so "last 90 days" in an answer is covered by this window.
    const days =
      req.days ?? (latestEnd === undefined && req.since === undefined ? req.defaultDays : undefined);
    let since = req.since;
    if (since === undefined && days !== undefined) {
      try {
        since = daysBefore(now, days, await refs.zone(req.timezone));
      } catch (e) {
        // Intercom did not say its zone: the run is recorded all the same, so answers say why.
        const runId = await store.startRun('backfill', null, now);
        const counters = { conversations: 0, parts: 0, apiCalls: baseline.calls(), rateLimited: 0 };
        throw await endFailedRun(store, runId, e, counters, req);
      }
    }
    const plan = await planRun(store, latestEnd, { ...req, ...(since !== undefined ? { since } : {}) }, now);
    const runId = await store.startRun(plan.kind, plan.windowStart, now);
    return new SyncRun(api, store, req, now, baseline, refs, plan, runId);
  }

  /** Reads the whole plan and what follows it; records the run however it ends. */
  async readWindow(): Promise<void> {
    const { api, store, req, progress, now } = this;
    try {
      await this.refs.refreshIfStale(now);
      progress.deleted += (await readDeletions(api, store, now, req.signal)).removed;
      await readParkedNotifications(api, store, progress, this.notFound, req.signal);
      const counted = this.countWindow();
      if (req.totalFirst) await counted;
      const { chunks } = this.plan;
      for (const [i, chunk] of chunks.entries()) {
        // The other kinds share the rate limit with the oldest stretch of conversations: the
        // newest days are answerable first, and no kind waits for another to wind down.
        if (i === chunks.length - 1) this.startOtherKinds();
        if (!(await this.readChunk(chunk))) break;
      }
      await counted;
      await fetchMissingContacts(api, store, progress, req.signal);
      progress.conversationsMs = Date.now() - this.started;
      await this.startOtherKinds();
      if (this.complete) await this.rereadDue();
      // A copy from before themes were kept: its older conversations get their terms, once.
      while ((await store.indexCustomerTerms(TERM_INDEX_BATCH)) > 0) req.signal?.throwIfAborted();
      progress.deleted += await settleNotFound(
        api,
        store,
        this.notFound,
        progress.fetched + this.notFound.length,
        now,
        req.signal,
      );
      if (this.complete) await store.clearCheckpoint();
      this.report();
      await store.finishRun(this.runId, 'succeeded', countersOf(progress), null, nowSeconds());
    } catch (e) {
      await Promise.allSettled([...this.pending.map((p) => p.done), this.otherKinds]);
      this.report();
      throw await endFailedRun(store, this.runId, e, countersOf(progress), req);
    }
  }

  /**
   * The Help Center, tickets and companies, side by side in the run's limit: each is read in
   * calls of its own kind (article pages, ticket windows, a company scroll) that would otherwise
   * leave the limit idle while one kind ends and the next begins. One failing does not stop the
   * others; the run fails with the first failure once all have ended.
   */
  private startOtherKinds(): Promise<void> {
    this.otherKinds ??= Promise.allSettled([
      this.syncHelpCenter(),
      this.syncTickets(),
      this.syncCompanies(),
    ]).then((settled) => {
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    });
    // Awaited when the conversations are done; a failure meanwhile must not count as unhandled.
    this.otherKinds.catch(() => undefined);
    return this.otherKinds;
  }

  private async syncHelpCenter(): Promise<void> {
    const { api, store, req, progress, now } = this;
    const help = await syncHelpCenter(api, store, now, req.helpCenter ?? {}, req.signal);
    if (typeof help === 'object') progress.articles += help.articles;
  }

  /**
   * Tickets over the run's window, or the whole copy's when that reaches further back: a copy
   * made before tickets were synced gets them for every day it covers.
   */
  private async syncTickets(): Promise<void> {
    const { api, store, req, progress, now } = this;
    const started = performance.now();
    const copy = await store.coverage();
    const copyStart = coveredFrom(copy, Math.max(0, ...copy.map((w) => w.to)));
    const tickets = await syncTickets(api, store, {
      now,
      limit: this.limit,
      windowStart: Math.min(this.plan.windowStart, copyStart ?? now),
      ...(req.tickets ? { schedule: req.tickets } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    progress.ticketsMs += performance.now() - started;
    if (tickets === 'forbidden') return;
    progress.tickets += tickets.tickets;
    progress.ticketsDeleted += tickets.deleted;
  }

  /** Companies, when a pass is due. */
  private async syncCompanies(): Promise<void> {
    const { api, store, req, progress, now } = this;
    const started = performance.now();
    const companies = await syncCompanies(api, store, {
      now,
      limit: this.limit,
      ...(req.companies ? { schedule: req.companies } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    progress.companiesMs += performance.now() - started;
    if (typeof companies !== 'object') return;
    progress.companies += companies.companies;
    progress.companiesDeleted += companies.deleted;
  }

  result(): SyncResult {
    return {
      ...this.progress,
      runId: this.runId,
      complete: this.complete,
      callsByRoute: this.baseline.byRoute(),
      retries: this.baseline.retries(),
      rateWaitMs: this.baseline.waitedMs(),
    };
  }

  private report(): void {
    this.progress.apiCalls = this.baseline.calls();
    this.progress.rateLimited = this.baseline.rateLimited();
    this.progress.elapsedMs = Date.now() - this.started;
    this.req.onProgress?.({ ...this.progress });
  }

  /**
   * A run of several stretches learns each one's size only when it reaches it: one count of the
   * whole window, beside the first stretch's pages, gives the progress its total early instead of
   * a total that grows, and a share that falls, at every stretch. It only informs the progress,
   * so it neither delays the run nor fails it.
   */
  private countWindow(): Promise<void> | undefined {
    if (this.plan.kind !== 'backfill' || this.plan.chunks.length <= 1 || !this.req.onProgress)
      return undefined;
    return countUpdatedSince(this.api, this.plan.windowStart, this.req.signal).then(
      (n) => {
        this.progress.total = Math.max(this.progress.total, n);
        this.report();
      },
      () => undefined,
    );
  }

  private async checkpoint(chunk: Chunk, position: PagerPosition): Promise<void> {
    await this.store.saveCheckpoint({
      runId: this.runId,
      windowStart: chunk.from,
      windowEnd: chunk.to ?? null,
      backfillFrom: chunk.floor,
      ...position,
      startedAt: this.plan.startedAt,
    });
  }

  /** Waits for the oldest pages until at most `keep` are in flight, checkpointing each in order. */
  private async settlePagesBeyond(keep: number): Promise<void> {
    while (this.pending.length > keep) {
      const head = this.pending.shift()!;
      await head.done;
      await this.checkpoint(head.chunk, head.position);
    }
  }

  private saveGrouped: SaveThread = (record) => this.grouped.add(record);

  private async processOne(item: ApiConversation, stored: StoredVersion | undefined): Promise<void> {
    const { req, progress } = this;
    // Queued work ends at once after a failure or on shutdown, settling every page's promise;
    // what is stored stays, and the checkpoint says where to resume.
    req.signal?.throwIfAborted();
    if (this.failure) throw this.failure;
    if (sameVersion(item, stored) && !req.force) progress.unchanged++;
    else if (!req.force && partsUnchanged(item, stored)) {
      await this.store.applyMetadata([toConversationMetadata(item)]);
      progress.updatedInPlace++;
    } else await storeThread(this.api, this.saveGrouped, item.id, progress, this.notFound, req.signal);
    progress.done++;
  }

  /** Reads one chunk; false when the run must stop inside it (--max-conversations). */
  private async readChunk(chunk: Chunk): Promise<boolean> {
    const { api, store, req } = this;
    await this.checkpoint(chunk, chunk.position);
    for await (const page of pageUpdatedSince(api, chunk.position, {
      ...(chunk.to !== undefined ? { before: chunk.to } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    })) {
      if (this.failure) break;
      await this.readPage(chunk, page);
      await this.settlePagesBeyond(PAGES_IN_FLIGHT);
      if (!this.complete) break;
      this.report();
    }
    await this.settlePagesBeyond(0);
    if (this.failure) throw this.failure;
    if (!this.complete) return false;
    // An open chunk was read until the search ran out, past this run's start even when resumed.
    const to = chunk.to ?? this.now;
    if (!chunk.resumed)
      await reconcileWindow(api, store, chunk.from, to, this.seen, this.progress, this.notFound, req.signal);
    // Each chunk's coverage lands as it completes: answers about the recent days are complete
    // while older ones are still being read.
    await store.addCoverage({ from: chunk.from, to });
    return true;
  }

  /** Starts storing one search page's changed threads, queued behind the pages still in flight. */
  private async readPage(chunk: Chunk, page: PagerPage): Promise<void> {
    const { req, progress } = this;
    progress.total = Math.max(progress.total, this.listed + page.remaining);
    this.listed += page.conversations.length;
    const stored = await this.store.storedVersions(page.conversations.map((c) => c.id));
    let items = page.conversations;
    const changed = items.filter((c) => req.force || !sameVersion(c, stored.get(c.id)));
    let position: PagerPosition | undefined = page.position;
    if (changed.length > this.quotaLeft) {
      // Stop inside this page: its checkpoint must not claim the conversations left out.
      const keep = new Set(changed.slice(0, this.quotaLeft).map((c) => c.id));
      items = items.filter((c) => keep.has(c.id));
      position = undefined;
      this.complete = false;
    }
    this.quotaLeft -= Math.min(this.quotaLeft, changed.length);
    for (const c of page.conversations) this.seen.add(c.id);
    await this.refs.ensureKnown(items, this.now);
    const done = Promise.all(
      items.map((item) => this.limit(() => this.processOne(item, stored.get(item.id)))),
    ).then(() => this.report());
    done.catch((e: unknown) => {
      this.failure ??= e;
    });
    if (position) this.pending.push({ chunk, position, done });
    else await done;
  }

  /** Threads changed without a new part since their last full read a while ago (THREAD_REREAD_SECONDS). */
  private async rereadDue(): Promise<void> {
    const { req } = this;
    const due = await this.store.threadsToReread(
      this.now - (req.threadRereadSeconds ?? THREAD_REREAD_SECONDS),
      REREADS_PER_RUN,
    );
    await Promise.all(
      due.map((id) =>
        this.limit(() =>
          storeThread(this.api, this.saveGrouped, id, this.progress, this.notFound, req.signal),
        ),
      ),
    );
  }
}

/** Records a run that ended on `e` (interrupted when the caller aborted it); returns what to throw. */
async function endFailedRun(
  store: SyncStore,
  runId: number,
  e: unknown,
  counters: SyncCounters,
  req: Pick<SyncRequest, 'signal'>,
): Promise<unknown> {
  const interrupted = req.signal?.aborted === true;
  const message = e instanceof Error ? e.message : String(e);
  await store.finishRun(runId, interrupted ? 'interrupted' : 'failed', counters, message, nowSeconds());
  return interrupted ? new SyncInterrupted() : e;
}

function countersOf(p: SyncProgress): SyncCounters {
  return { conversations: p.fetched, parts: p.parts, apiCalls: p.apiCalls, rateLimited: p.rateLimited };
}

/**
 * Contacts named by conversations, looked up once each, 150 a call, at the end of a run: message
 * authors are already stored from the threads, so only contacts who never wrote are left. One the
 * API no longer has (merged, deleted) is stored as unknown so that it is not asked for again.
 */
async function fetchMissingContacts(
  api: IntercomApi,
  store: SyncStore,
  progress: SyncProgress,
  signal: AbortSignal | undefined,
): Promise<void> {
  const missing = await store.missingContactIds();
  if (missing.length === 0) return;
  const found = (await api.searchContactsByIds(missing, signal)).map(toContactRecord);
  const foundIds = new Set(found.map((c) => c.id));
  const gone = missing
    .filter((id) => !foundIds.has(id))
    .map((id) => ({ id, role: 'unknown', name: null, email: null, externalId: null, createdAt: null }));
  await store.saveContacts([...found, ...gone]);
  progress.contactsFetched += found.length;
}

/**
 * Conversations of notifications the webhook queue gave up on: read whole, as a retrieve, since
 * their change may lie before the window this run reads.
 */
async function readParkedNotifications(
  api: IntercomApi,
  store: SyncStore,
  progress: SyncProgress,
  notFound: string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  for (const n of await store.parkedNotifications(PARKED_PER_RUN)) {
    const id = notificationConversationId(n);
    if (id !== undefined) await storeThread(api, savedAlone(store), id, progress, notFound, signal);
    await store.finishNotification(n.id, 'synced', nowSeconds());
  }
}

/**
 * After a full pass over a window, a stored conversation of that window the pass did not see was
 * updated past it, or is gone in a way the deleted list did not show; a retrieve tells which.
 */
async function reconcileWindow(
  api: IntercomApi,
  store: SyncStore,
  from: number,
  to: number,
  seen: SeenIds,
  progress: SyncProgress,
  notFound: string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const missing = await store.liveIdsUpdatedBetweenExcept(from, to, seen);
  for (const id of missing) await storeThread(api, savedAlone(store), id, progress, notFound, signal);
}

type ThreadRecord = ReturnType<typeof toConversationRecord>;
type SaveThread = (record: ThreadRecord) => Promise<void>;

/** One thread, in a transaction of its own: for the callers that store one at a time. */
const savedAlone =
  (store: SyncStore): SaveThread =>
  (record) =>
    store.saveConversations([record]);

/** Fetches a whole thread and stores it; a 404 is noted for settleNotFound. */
async function storeThread(
  api: IntercomApi,
  save: SaveThread,
  id: string,
  progress: SyncProgress,
  notFound: string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const full = await api.getConversation(id, signal);
  if (!full) {
    notFound.push(id);
    return;
  }
  const record = toConversationRecord(full);
  await save(record);
  progress.fetched++;
  progress.parts += record.parts.length;
}
