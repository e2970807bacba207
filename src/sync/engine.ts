/**
 * One sync run: decide the window (resume an interrupted run, continue from what is covered, or
 * backfill), read it page by page in ascending `updated_at`, fetch the full thread of every
 * conversation that changed since we stored it, and checkpoint after each page is stored, in order.
 * Threads are fetched with bounded concurrency while the next search page is read, so the run
 * stays at the rate limit instead of stalling at page boundaries; memory stays bounded by the
 * pages in flight.
 */
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { IntercomApi } from '../intercom/client.js';
import type { ApiConversation } from '../intercom/schemas.js';
import type { StoredVersion, SyncCheckpoint, SyncCounters, SyncStore } from '../store/types.js';
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
import { ReferenceData } from './reference-data.js';
import { SeenIds } from './seen-ids.js';
import { countUpdatedSince, pageUpdatedSince, type PagerPosition } from './updated-at-pager.js';

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
  const started = Date.now();
  const now = nowSeconds();
  await store.interruptStaleRuns();
  // An explicit window is re-read whole (search pages only, for unchanged threads), which also
  // finds conversations that left the window; deletions come from Intercom's deleted list.
  const coverage = await store.coverage();
  const latestEnd = coverage.length > 0 ? Math.max(...coverage.map((w) => w.to)) : undefined;
  // The client may serve many runs (the server's): every figure reported is this run's share.
  const callsBefore = api.stats.total;
  const rateLimitedBefore = api.stats.rateLimited;
  const retriesBefore = api.stats.retries;
  const waitedBefore = api.pacer.waitedMs;
  const routesBefore = new Map(api.stats.byRoute);
  const refs = new ReferenceData(api, store, req.signal);
  // Days are the zone's calendar days, so "last 90 days" in an answer is covered by this window.
  const days = req.days ?? (latestEnd === undefined && req.since === undefined ? req.defaultDays : undefined);
  let since = req.since;
  if (since === undefined && days !== undefined) {
    try {
      since = daysBefore(now, days, await refs.zone(req.timezone));
    } catch (e) {
      // Intercom did not say its zone: the run is recorded all the same, so answers say why.
      const runId = await store.startRun('backfill', null, now);
      const apiCalls = api.stats.total - callsBefore;
      throw await endFailedRun(
        store,
        runId,
        e,
        { conversations: 0, parts: 0, apiCalls, rateLimited: 0 },
        req,
      );
    }
  }
  const plan = await planRun(store, latestEnd, { ...req, ...(since !== undefined ? { since } : {}) }, now);
  const runId = await store.startRun(plan.kind, plan.windowStart, now);
  const progress: SyncProgress = {
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
    apiCalls: 0,
    rateLimited: 0,
    elapsedMs: 0,
  };
  const report = () => {
    progress.apiCalls = api.stats.total - callsBefore;
    progress.rateLimited = api.stats.rateLimited - rateLimitedBefore;
    progress.elapsedMs = Date.now() - started;
    req.onProgress?.({ ...progress });
  };
  const checkpoint = async (chunk: Chunk, position: PagerPosition) => {
    const cp: SyncCheckpoint = {
      runId,
      windowStart: chunk.from,
      windowEnd: chunk.to ?? null,
      backfillFrom: chunk.floor,
      ...position,
      startedAt: plan.startedAt,
    };
    await store.saveCheckpoint(cp);
  };

  const concurrency = req.concurrency ?? DEFAULT_CONCURRENCY;
  const limit = pLimit(concurrency);
  // Every request in flight (and the page read beside them) listens for the caller's abort, so
  // Node's default of 10 listeners would warn of a leak that is not one.
  if (req.signal) setMaxListeners(concurrency + 10, req.signal);
  const seen = new SeenIds();
  const pending: { chunk: Chunk; position: PagerPosition; done: Promise<unknown> }[] = [];
  // Retrieves that answered 404: settled against the deleted list at the end (see deletions.ts).
  const notFound: string[] = [];
  let quotaLeft = req.maxConversations ?? Infinity;
  let listed = 0;
  let complete = true;
  let failure: unknown;

  /** Waits for the oldest pages until at most `keep` are in flight, checkpointing each in order. */
  const settlePagesBeyond = async (keep: number) => {
    while (pending.length > keep) {
      const head = pending.shift()!;
      await head.done;
      await checkpoint(head.chunk, head.position);
    }
  };

  // The threads read side by side are stored a group at a time (group-commit.ts).
  const grouped = new GroupCommit<ThreadRecord>((records) => store.saveConversations(records));
  const saveGrouped: SaveThread = (record) => grouped.add(record);

  const processOne = async (item: ApiConversation, stored: StoredVersion | undefined) => {
    // Queued work ends at once after a failure or on shutdown, settling every page's promise;
    // what is stored stays, and the checkpoint says where to resume.
    req.signal?.throwIfAborted();
    if (failure) throw failure;
    if (sameVersion(item, stored) && !req.force) progress.unchanged++;
    else if (!req.force && partsUnchanged(item, stored)) {
      await store.applyMetadata([toConversationMetadata(item)]);
      progress.updatedInPlace++;
    } else await storeThread(api, saveGrouped, item.id, progress, notFound, req.signal);
    progress.done++;
  };

  /** Reads one chunk; false when the run must stop inside it (--max-conversations). */
  const readChunk = async (chunk: Chunk): Promise<boolean> => {
    await checkpoint(chunk, chunk.position);
    for await (const page of pageUpdatedSince(api, chunk.position, {
      ...(chunk.to !== undefined ? { before: chunk.to } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    })) {
      if (failure) break;
      progress.total = Math.max(progress.total, listed + page.remaining);
      listed += page.conversations.length;
      const stored = await store.storedVersions(page.conversations.map((c) => c.id));
      let items = page.conversations;
      const changed = items.filter((c) => req.force || !sameVersion(c, stored.get(c.id)));
      let position: PagerPosition | undefined = page.position;
      if (changed.length > quotaLeft) {
        // Stop inside this page: its checkpoint must not claim the conversations left out.
        const keep = new Set(changed.slice(0, quotaLeft).map((c) => c.id));
        items = items.filter((c) => keep.has(c.id));
        position = undefined;
        complete = false;
      }
      quotaLeft -= Math.min(quotaLeft, changed.length);
      for (const c of page.conversations) seen.add(c.id);
      await refs.ensureKnown(items, now);
      const done = Promise.all(items.map((item) => limit(() => processOne(item, stored.get(item.id))))).then(
        report,
      );
      done.catch((e: unknown) => {
        failure ??= e;
      });
      if (position) pending.push({ chunk, position, done });
      else await done;
      await settlePagesBeyond(PAGES_IN_FLIGHT);
      if (!complete) break;
      report();
    }
    await settlePagesBeyond(0);
    if (failure) throw failure;
    if (!complete) return false;
    // An open chunk was read until the search ran out, past this run's start even when resumed.
    const to = chunk.to ?? now;
    if (!chunk.resumed)
      await reconcileWindow(api, store, chunk.from, to, seen, progress, notFound, req.signal);
    // Each chunk's coverage lands as it completes: answers about the recent days are complete
    // while older ones are still being read.
    await store.addCoverage({ from: chunk.from, to });
    return true;
  };

  try {
    await refs.refreshIfStale(now);
    progress.deleted += (await readDeletions(api, store, now, req.signal)).removed;
    await readParkedNotifications(api, store, progress, notFound, req.signal);
    // A run of several stretches learns each one's size only when it reaches it: one count of the
    // whole window, beside the first stretch's pages, gives the progress its total early instead of
    // a total that grows, and a share that falls, at every stretch. It only informs the progress,
    // so it neither delays the run nor fails it.
    const counted =
      plan.kind === 'backfill' && plan.chunks.length > 1 && req.onProgress
        ? countUpdatedSince(api, plan.windowStart, req.signal).then(
            (n) => {
              progress.total = Math.max(progress.total, n);
              report();
            },
            () => undefined,
          )
        : undefined;
    if (req.totalFirst) await counted;
    for (const chunk of plan.chunks) if (!(await readChunk(chunk))) break;
    await counted;
    await fetchMissingContacts(api, store, progress, req.signal);
    if (complete) {
      const due = await store.threadsToReread(
        now - (req.threadRereadSeconds ?? THREAD_REREAD_SECONDS),
        REREADS_PER_RUN,
      );
      await Promise.all(
        due.map((id) => limit(() => storeThread(api, saveGrouped, id, progress, notFound, req.signal))),
      );
    }
    progress.deleted += await settleNotFound(
      api,
      store,
      notFound,
      progress.fetched + notFound.length,
      now,
      req.signal,
    );
    if (complete) await store.clearCheckpoint();
    report();
    await store.finishRun(runId, 'succeeded', countersOf(progress), null, nowSeconds());
  } catch (e) {
    await Promise.allSettled(pending.map((p) => p.done));
    report();
    throw await endFailedRun(store, runId, e, countersOf(progress), req);
  }
  return {
    ...progress,
    runId,
    complete,
    callsByRoute: Object.fromEntries(
      [...api.stats.byRoute]
        .map(([route, n]) => [route, n - (routesBefore.get(route) ?? 0)] as const)
        .filter(([, n]) => n > 0),
    ),
    retries: api.stats.retries - retriesBefore,
    rateWaitMs: api.pacer.waitedMs - waitedBefore,
  };
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
