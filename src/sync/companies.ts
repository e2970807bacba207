/**
 * Companies, kept current by the runs. The API cannot list what changed since a time, so a pass
 * scrolls over every company (hourly by default; webhooks bring changes between passes) and keeps
 * the ones whose `updated_at` or `user_count` differ from the stored ones.
 *
 * The scroll's rules shape the pass: one scroll may be open per app at a time, so a pass never
 * opens a second one (a run that stopped mid-scroll left its scroll open for up to a minute, and
 * the next pass waits it out rather than be refused); a scroll unused for a minute expires, so the
 * pages are read back to back, outside the run's limit on calls in flight, while the contacts of
 * the changed companies each page lists are read beside them (the scroll's serial pages would
 * otherwise leave the rate limit idle); a network error mid-scroll cannot be resumed, so the scroll
 * restarts from the beginning.
 *
 * Contacts are read from the company's side (`GET /companies/{id}/contacts`) and stored both ways.
 * Attaching a contact may not move a company's `updated_at`: a changed `user_count` also re-reads
 * them, and every company's contacts are read again at least daily, as a few per pass. A company's
 * row is saved after its contacts, so a pass cut short re-reads the contacts of every company whose
 * row it had not saved. A company the scroll no longer lists is retrieved and deleted on a 404,
 * unless so many are that the scroll itself is in doubt.
 */
import type { LimitFunction } from 'p-limit';
import type { IntercomApi } from '../intercom/client.js';
import { IntercomApiError } from '../intercom/errors.js';
import type { ApiCompany, ApiContact } from '../intercom/schemas.js';
import type { CompanyVersion, SyncStore } from '../store/types.js';
import { toCompanyRecord } from './company-mapping.js';
import { SyncOutage } from './deletions.js';
import { toContactRecord } from './mapping.js';

/** Set to the reason when the token may not read companies; empty when it may. */
export const COMPANIES_FORBIDDEN_KEY = 'companies_forbidden';
/** When a pass last scrolled over every company (seconds): how fresh the companies are. */
export const COMPANIES_CHECKED_KEY = 'companies_checked_at';
/** Set to the reason when the last pass could not open a scroll; empty when it could. */
export const COMPANIES_WAITING_KEY = 'companies_waiting';
/** When (seconds) a scroll this copy opened was last used, while it may still be open. */
export const SCROLL_USED_AT_KEY = 'companies_scroll_used_at';

export interface CompanySchedule {
  /** How often every company is scrolled over (an hour by default). */
  passSeconds?: number;
  /** How long a scroll lives unused (the API's minute). */
  scrollExpirySeconds?: number;
}
/** How often a run scrolls over every company by default. */
export const COMPANY_PASS_SECONDS = 3600;
const DEFAULTS: Required<CompanySchedule> = { passSeconds: COMPANY_PASS_SECONDS, scrollExpirySeconds: 60 };

/** A page's request is written as used before Intercom serves it: its clock starts a little later. */
const SCROLL_MARGIN_SECONDS = 5;
/** Restarts after a network error mid-scroll, before the pass gives up until the next run. */
const SCROLL_RESTARTS = 2;
/** Every company's contacts are read again within this long, though nothing shows they changed. */
const LINKS_MAX_AGE_SECONDS = 86_400;
/** Companies stored together, as their contacts come in. */
const SAVE_BATCH = 50;
/** 404s tolerated before the scroll is doubted instead of the companies deleted. */
const STRAY_404_LIMIT = 10;

export interface CompanySyncOptions {
  now: number;
  /** The run's limit on calls in flight, shared with its conversations. */
  limit: LimitFunction;
  schedule?: CompanySchedule;
  signal?: AbortSignal;
}

export interface CompanySyncResult {
  companies: number;
  deleted: number;
}

/** A scroll could not be opened: another is open for the app. The pass waits for the next run. */
class ScrollBusy extends Error {}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export async function syncCompanies(
  api: IntercomApi,
  store: SyncStore,
  opts: CompanySyncOptions,
): Promise<CompanySyncResult | 'forbidden' | 'not due' | 'waiting'> {
  const schedule = { ...DEFAULTS, ...opts.schedule };
  const last = Number((await store.getMeta(COMPANIES_CHECKED_KEY)) ?? 0);
  if (opts.now - last < schedule.passSeconds) return 'not due';
  const usedAt = Number((await store.getMeta(SCROLL_USED_AT_KEY)) || 0);
  if (nowSeconds() <= usedAt + schedule.scrollExpirySeconds + SCROLL_MARGIN_SECONDS) {
    await store.setMeta(
      COMPANIES_WAITING_KEY,
      'a companies scroll opened by a run that stopped may still be open (Intercom allows one at a time): companies are read by the next run',
    );
    return 'waiting';
  }
  try {
    const result = await new CompanyPass(api, store, opts, schedule).run();
    await store.setMeta(COMPANIES_FORBIDDEN_KEY, '');
    await store.setMeta(COMPANIES_WAITING_KEY, '');
    await store.setMeta(COMPANIES_CHECKED_KEY, String(opts.now));
    return result;
  } catch (e) {
    if (e instanceof ScrollBusy) {
      await store.setMeta(COMPANIES_WAITING_KEY, e.message);
      return 'waiting';
    }
    if (!(e instanceof IntercomApiError && e.kind === 'forbidden')) throw e;
    await store.setMeta(COMPANIES_FORBIDDEN_KEY, e.message);
    await store.setMeta(COMPANIES_CHECKED_KEY, String(opts.now));
    return 'forbidden';
  }
}

class CompanyPass {
  private readonly result: CompanySyncResult = { companies: 0, deleted: 0 };

  constructor(
    private readonly api: IntercomApi,
    private readonly store: SyncStore,
    private readonly opts: CompanySyncOptions,
    private readonly schedule: Required<CompanySchedule>,
  ) {}

  async run(): Promise<CompanySyncResult> {
    const stored = await this.store.companyVersions();
    // Companies whose contacts are being read: a restarted scroll lists them again.
    const changed = new Set<string>();
    const reading: Promise<void>[] = [];
    const onPage = (page: ApiCompany[]) => {
      const due = page.filter((c) => !changed.has(c.id) && differs(stored.get(c.id), c));
      for (const c of due) changed.add(c.id);
      const read = this.readContacts(due, true);
      // Awaited after the scroll; a failure meanwhile must not count as unhandled.
      read.catch(() => undefined);
      reading.push(read);
    };
    let listed: Map<string, ApiCompany>;
    try {
      listed = await this.scrollWithRestarts(onPage);
    } finally {
      await Promise.allSettled(reading);
    }
    await Promise.all(reading);
    await this.rereadOldLinks(stored, listed, changed);
    await this.deleteUnlisted(
      [...stored.keys()].filter((id) => !listed.has(id)),
      stored.size,
    );
    return this.result;
  }

  private async scrollWithRestarts(onPage: (page: ApiCompany[]) => void): Promise<Map<string, ApiCompany>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.scroll(onPage);
      } catch (e) {
        const restartable =
          e instanceof IntercomApiError && e.kind !== 'forbidden' && e.kind !== 'unauthorized';
        if (!restartable || attempt >= SCROLL_RESTARTS) throw e;
      }
    }
  }

  /**
   * Every company, one scroll, the pages read back to back so that it never expires between them;
   * each page is handed to `onPage` as it comes.
   */
  private async scroll(onPage: (page: ApiCompany[]) => void): Promise<Map<string, ApiCompany>> {
    const { api, store, opts } = this;
    const all = new Map<string, ApiCompany>();
    let param: string | undefined;
    for (;;) {
      // Written before each page: a run stopped here left a scroll open for a while from then.
      await store.setMeta(SCROLL_USED_AT_KEY, String(nowSeconds()));
      let page;
      try {
        page = await api.scrollCompanies(param, opts.signal);
      } catch (e) {
        // Intercom answered the opening page with an error: no scroll of ours is open.
        const unopened = param === undefined && e instanceof IntercomApiError && e.status !== undefined;
        if (unopened) await store.setMeta(SCROLL_USED_AT_KEY, '');
        if (unopened && e.kind === 'bad_request')
          throw new ScrollBusy(
            `Intercom refused to open a companies scroll (${e.message}): another one is open for this app (one is allowed at a time), so companies are read by the next run`,
          );
        throw e;
      }
      if (page.data.length === 0) {
        await store.setMeta(SCROLL_USED_AT_KEY, '');
        return all;
      }
      for (const c of page.data) all.set(c.id, c);
      onPage(page.data);
      if (!page.scroll_param)
        throw new IntercomApiError('malformed', 'A companies scroll page came without its scroll_param');
      param = page.scroll_param;
    }
  }

  /**
   * Each company's contacts read, as many at once as the run allows, and stored in batches as they
   * come: the contacts, the links, then (for `rows`) the companies' rows, so that a row stored
   * means its contacts are. A company that answers 404 meanwhile is deleted.
   */
  private async readContacts(companies: ApiCompany[], rows: boolean): Promise<void> {
    const { api, opts } = this;
    let ready: [ApiCompany, ApiContact[] | null][] = [];
    let saving = Promise.resolve();
    const flush = () => {
      const batch = ready;
      ready = [];
      return (saving = saving.then(() => this.saveBatch(batch, rows)));
    };
    await Promise.all(
      companies.map(async (c) => {
        // A company that says it has no users costs no call.
        const contacts =
          c.user_count === 0 ? [] : await opts.limit(() => api.companyContacts(c.id, opts.signal));
        ready.push([c, contacts]);
        if (ready.length >= SAVE_BATCH) await flush();
      }),
    );
    await flush();
  }

  private async saveBatch(batch: [ApiCompany, ApiContact[] | null][], rows: boolean): Promise<void> {
    const found = batch.filter((b): b is [ApiCompany, ApiContact[]] => b[1] !== null);
    await storeCompanies(this.store, found, this.opts.now, rows);
    if (rows) this.result.companies += found.length;
    await this.delete(batch.filter(([, k]) => k === null).map(([c]) => c.id));
  }

  /** Unchanged companies whose contacts were read longest ago, a day's share per pass. */
  private async rereadOldLinks(
    stored: Map<string, CompanyVersion>,
    listed: Map<string, ApiCompany>,
    changed: Set<string>,
  ): Promise<void> {
    const due = [...stored]
      .filter(([id]) => listed.has(id) && !changed.has(id))
      .filter(([, v]) => (v.contactsReadAt ?? 0) < this.opts.now - LINKS_MAX_AGE_SECONDS)
      .sort(([, a], [, b]) => (a.contactsReadAt ?? 0) - (b.contactsReadAt ?? 0))
      .slice(0, Math.max(100, Math.ceil((stored.size * this.schedule.passSeconds) / LINKS_MAX_AGE_SECONDS)))
      .map(([id]) => listed.get(id)!);
    await this.readContacts(due, false);
  }

  /**
   * Stored companies the scroll did not list: each deleted when Intercom confirms it with a 404,
   * unless so many are that the scroll itself is in doubt.
   */
  private async deleteUnlisted(unlisted: string[], stored: number): Promise<void> {
    const { api, opts } = this;
    const found = await Promise.all(unlisted.map((id) => opts.limit(() => api.getCompany(id, opts.signal))));
    const gone = unlisted.filter((_, i) => !found[i]);
    if (gone.length > Math.max(STRAY_404_LIMIT, Math.floor(stored * 0.1)))
      throw new SyncOutage(
        `${gone.length} of the ${stored} stored companies are neither in Intercom's scroll nor found by id: ` +
          'treating it as an outage rather than a mass deletion, so every stored company is kept.',
      );
    await this.readContacts(
      found.filter((c) => c !== null),
      true,
    );
    await this.delete(gone);
  }

  private async delete(ids: string[]): Promise<void> {
    await this.store.deleteCompanies(ids);
    this.result.deleted += ids.length;
  }
}

/**
 * Companies stored with the contacts read for each at `at`: the contacts, the links, then (with
 * `rows`) the companies' rows, so that a row stored means its contacts are.
 */
export async function storeCompanies(
  store: SyncStore,
  companies: [ApiCompany, ApiContact[]][],
  at: number,
  rows = true,
): Promise<void> {
  const contacts = companies.flatMap(([, k]) => k);
  if (contacts.length > 0) await store.saveContacts(contacts.map(toContactRecord));
  await store.saveCompanyContacts(
    companies.map(([c, k]) => ({ companyId: c.id, contactIds: k.map((x) => x.id) })),
    at,
  );
  if (rows && companies.length > 0)
    await store.saveCompanies(
      companies.map(([c]) => toCompanyRecord(c)),
      at,
    );
}

/** Whether a listed company is not the stored one, or its contacts were never read. */
function differs(stored: CompanyVersion | undefined, c: ApiCompany): boolean {
  return (
    stored === undefined ||
    stored.contactsReadAt === null ||
    stored.updatedAt !== c.updated_at ||
    stored.userCount !== (c.user_count ?? null)
  );
}
