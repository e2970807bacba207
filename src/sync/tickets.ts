/**
 * Tickets, kept current by every run beside its conversations, in the same pacing. A run lists the
 * tickets updated since the tickets' own coverage ends (or, for a backfill or an explicit window,
 * since the window's start), newest first (ticket-windows.ts), and reads whole each one whose
 * `updated_at` differs from the stored one. A checkpoint after each listed window lets a stopped run
 * go on where it stopped; the coverage grows when a stretch is listed whole.
 *
 * Deletions: Intercom lists no deleted tickets, and a deleted ticket answers 404. Once an hour a
 * run lists every ticket back to the oldest stored one; a stored one that listing does not name is
 * retrieved, and deleted if it answers 404. A 404 for a ticket the search has just listed, or for a large share of the stored
 * ones, is not believed: a proxy or a permissions change can answer 404 to everything, so the run
 * stops as an outage and deletes nothing. A token without "Read tickets" skips tickets, and says so.
 */
import type { LimitFunction } from 'p-limit';
import type { IntercomApi } from '../intercom/client.js';
import { IntercomApiError } from '../intercom/errors.js';
import type { ApiTicket } from '../intercom/schemas.js';
import type { CoverageWindow, SyncStore, TicketRecord } from '../store/types.js';
import { SyncOutage } from './deletions.js';
import { addWindow, coveredFrom } from './coverage.js';
import { ticketWindows } from './ticket-windows.js';

/** Set to the reason when the token may not read tickets; empty when it may. */
export const TICKETS_FORBIDDEN_KEY = 'tickets_forbidden';
/** The stretches of `updated_at` whose tickets the copy holds whole, as JSON. */
export const TICKET_COVERAGE_KEY = 'tickets_coverage';
const CHECKPOINT_KEY = 'tickets_checkpoint';
const FULL_PASS_KEY = 'tickets_full_pass_at';

/** An incremental listing starts this long before the coverage ends: a change stamped late is read. */
const OVERLAP_SECONDS = 300;
/** Tickets read whole and stored together. */
const SAVE_BATCH = 25;
/** Listed windows whose tickets may be read at once. */
const WINDOWS_IN_FLIGHT = 4;
/** 404s tolerated for tickets the search has just listed: a few were deleted as they were read. */
const STRAY_404_LIMIT = 10;

export interface TicketSchedule {
  /** How often every ticket is listed, to find deletions (an hour by default). */
  fullPassSeconds?: number;
}

/** A listing under way: [from, to), of which [doneFrom, to) is listed. */
interface TicketCheckpoint {
  from: number;
  to: number;
  doneFrom: number;
  full: boolean;
}

export interface TicketSyncResult {
  tickets: number;
  deleted: number;
}

const readJson = async <T>(store: Pick<SyncStore, 'getMeta'>, key: string): Promise<T | undefined> => {
  const raw = await store.getMeta(key);
  return raw ? (JSON.parse(raw) as T) : undefined;
};

export const ticketCoverage = async (store: Pick<SyncStore, 'getMeta'>): Promise<CoverageWindow[]> =>
  (await readJson<CoverageWindow[]>(store, TICKET_COVERAGE_KEY)) ?? [];

export interface TicketSyncOptions {
  now: number;
  windowStart: number;
  /** The run's limit on calls in flight, shared with its conversations. */
  limit: LimitFunction;
  schedule?: TicketSchedule;
  signal?: AbortSignal;
}

export async function syncTickets(
  api: IntercomApi,
  store: SyncStore,
  opts: TicketSyncOptions,
): Promise<TicketSyncResult | 'forbidden'> {
  try {
    const result = await new TicketRun(api, store, opts).run();
    await store.setMeta(TICKETS_FORBIDDEN_KEY, '');
    return result;
  } catch (e) {
    if (!(e instanceof IntercomApiError && e.kind === 'forbidden')) throw e;
    await store.setMeta(TICKETS_FORBIDDEN_KEY, e.message);
    return 'forbidden';
  }
}

class TicketRun {
  private readonly result: TicketSyncResult = { tickets: 0, deleted: 0 };
  /** Listed by the search, then answered 404. */
  private readonly listedButGone: string[] = [];
  private retrieved = 0;

  constructor(
    private readonly api: IntercomApi,
    private readonly store: SyncStore,
    private readonly opts: TicketSyncOptions,
  ) {}

  async run(): Promise<TicketSyncResult> {
    const { store, opts } = this;
    const fullPassSeconds = opts.schedule?.fullPassSeconds ?? 3600;
    const lastFull = Number((await store.getMeta(FULL_PASS_KEY)) ?? 0);
    const resumed = await readJson<TicketCheckpoint>(store, CHECKPOINT_KEY);
    // Read once: only the sync, which holds the lock, writes it.
    const coverage = await ticketCoverage(store);
    const coverageEnd = Math.max(0, ...coverage.map((w) => w.to));
    const versions = await store.ticketVersions();
    let oldest = Infinity;
    for (const v of versions.values()) oldest = Math.min(oldest, v);
    const cp = resumed ?? this.plan(opts.now - lastFull >= fullPassSeconds, coverage, coverageEnd, oldest);
    // The types change rarely: read with every full listing (the first run's is one).
    if (cp.full) await this.readTypes();
    // A change made in the last second a listing covered, after that listing read the ticket,
    // keeps the stored updated_at: tickets stamped with that second are read whole again. The
    // second is ours: with Intercom's clock behind ours by more than that, such a change waits for
    // the ticket's next one. (The newest second the listing saw is Intercom's, but many tickets
    // share it for as long as the listing's overlap re-lists them, each read again every run.)
    const lastListed = coverageEnd - 1;
    const changed = (t: ApiTicket) => versions.get(t.id) !== t.updated_at || t.updated_at >= lastListed;
    const listed = new Set<string>();
    // Windows are listed while earlier ones' tickets are read, a few windows deep (one holds a
    // page at most, often a few dozen tickets), so the calls keep flowing; the checkpoint moves
    // past a window only once it and every newer one are stored.
    const windows = ticketWindows(this.api, cp.from, cp.doneFrom, opts.signal);
    const reading: { from: number; read: Promise<void> }[] = [];
    const settleOldest = async () => {
      const { from, read } = reading.shift()!;
      await read;
      await store.setMeta(CHECKPOINT_KEY, JSON.stringify({ ...cp, doneFrom: from }));
    };
    try {
      let next = windows.next();
      for (let w = await next; !w.done; w = await next) {
        next = windows.next();
        next.catch(() => undefined);
        for (const t of w.value.tickets) listed.add(t.id);
        const read = this.readChanged(w.value.tickets.filter(changed));
        // Awaited in turn below; a failure meanwhile must not count as unhandled.
        read.catch(() => undefined);
        reading.push({ from: w.value.from, read });
        while (reading.length > WINDOWS_IN_FLIGHT) await settleOldest();
      }
      while (reading.length > 0) await settleOldest();
    } finally {
      await Promise.allSettled(reading.map((r) => r.read));
    }
    await this.settleListedButGone();
    await store.setMeta(
      TICKET_COVERAGE_KEY,
      JSON.stringify(addWindow(coverage, { from: cp.from, to: cp.to })),
    );
    // A resumed full pass listed only part of the tickets in this process: it proves no deletion.
    if (cp.full && !resumed)
      await this.deleteUnlisted(
        [...versions.keys()].filter((id) => !listed.has(id)),
        versions.size,
      );
    if (cp.full) await store.setMeta(FULL_PASS_KEY, String(opts.now));
    await store.setMeta(CHECKPOINT_KEY, '');
    return this.result;
  }

  /**
   * What this run lists: from where the coverage ends, when it reaches back to the run's window;
   * else the whole window, newest first. A full pass reaches back to the oldest stored ticket as
   * well, which is as far as a deletion can be found: a ticket's `updated_at` only moves forward,
   * so every stored ticket still in Intercom is listed there. Tickets older than the window and
   * never stored are none of the copy's (`sync --days N` covers the tickets updated in those days).
   */
  private plan(
    full: boolean,
    coverage: CoverageWindow[],
    end: number,
    oldestStored: number,
  ): TicketCheckpoint {
    const { now, windowStart } = this.opts;
    const start = coveredFrom(coverage, end);
    const listed = start !== undefined && start <= windowStart ? end - OVERLAP_SECONDS : windowStart;
    const from = full ? Math.min(listed, oldestStored) : listed;
    // The current second included: a change made in it before the run began is read now, one
    // made after is read again by the next run, which starts before this one ended.
    return { from: Math.min(from, now), to: now + 1, doneFrom: now + 1, full };
  }

  private async readTypes(): Promise<void> {
    const { toTicketTypeRecords } = await import('./ticket-mapping.js');
    await this.store.saveTicketTypes(toTicketTypeRecords(await this.api.listTicketTypes(this.opts.signal)));
  }

  /** Each ticket read whole, as many at once as the run's concurrency allows. */
  private retrieve(ids: string[]): Promise<(ApiTicket | null)[]> {
    return Promise.all(ids.map((id) => this.opts.limit(() => this.api.getTicket(id, this.opts.signal))));
  }

  /** Reads each ticket whole (search results carry no parts) and stores them in batches. */
  private async readChanged(tickets: ApiTicket[]): Promise<void> {
    if (tickets.length === 0) return;
    const { toTicketRecord } = await import('./ticket-mapping.js');
    const wholes = await this.retrieve(tickets.map((t) => t.id));
    this.retrieved += wholes.length;
    tickets.forEach((t, i) => wholes[i] || this.listedButGone.push(t.id));
    const records = wholes.filter((t) => t !== null).map(toTicketRecord);
    for (let i = 0; i < records.length; i += SAVE_BATCH) await this.save(records.slice(i, i + SAVE_BATCH));
  }

  private async save(batch: TicketRecord[]): Promise<void> {
    if (batch.length === 0) return;
    await this.store.saveTickets(batch);
    this.result.tickets += batch.length;
  }

  /** Listed a moment ago, then 404: a few are deletions in between, many are an outage. */
  private async settleListedButGone(): Promise<void> {
    const gone = this.listedButGone;
    const tolerated = Math.max(STRAY_404_LIMIT, Math.floor(this.retrieved * 0.02));
    if (gone.length > tolerated) {
      // Their windows were checkpointed as listed: the next run lists them again from the start.
      await this.store.setMeta(CHECKPOINT_KEY, '');
      throw new SyncOutage(
        `Intercom answered 404 to ${gone.length} of ${this.retrieved} tickets its search had just listed: ` +
          'treating it as an outage (a proxy, a wrong base URL or a permissions change), so every stored ticket is kept. ' +
          'Check INTERCOM_API_BASE_URL and the token, then sync again.',
      );
    }
    await this.store.deleteTickets(gone);
    this.result.deleted += gone.length;
  }

  /**
   * Stored tickets the full listing did not name: each deleted when Intercom confirms it with a
   * 404, unless so many are that the listing itself is in doubt.
   */
  private async deleteUnlisted(unlisted: string[], stored: number): Promise<void> {
    const wholes = await this.retrieve(unlisted);
    const gone = unlisted.filter((_, i) => !wholes[i]);
    const found = wholes.filter((t) => t !== null);
    if (found.length > 0) {
      const { toTicketRecord } = await import('./ticket-mapping.js');
      await this.save(found.map(toTicketRecord));
    }
    if (gone.length > Math.max(STRAY_404_LIMIT, Math.floor(stored * 0.1)))
      throw new SyncOutage(
        `${gone.length} of the ${stored} stored tickets are neither listed by Intercom's search nor found by id: ` +
          'treating it as an outage rather than a mass deletion, so every stored ticket is kept.',
      );
    await this.store.deleteTickets(gone);
    this.result.deleted += gone.length;
  }
}
