/**
 * The Help Center, kept current by the runs. The API cannot say what changed since a time, but
 * lists articles most recently updated first: a run looks at most every ten minutes (so an
 * unchanged workspace's frequent syncs still cost two calls), reading pages until one holds
 * nothing newer than the copy; once an hour it reads every page, with the collections, to find
 * deletions. A stored article that pass did not list is retrieved before it is deleted: page
 * numbers shift when an article is deleted or updated mid-listing, so an article can go unlisted
 * and still be there. A token without "Read articles" skips the Help Center, and answers say so.
 */
import type { IntercomApi } from '../intercom/client.js';
import { IntercomApiError } from '../intercom/errors.js';
import type { ApiArticle } from '../intercom/schemas.js';
import type { SyncStore } from '../store/types.js';

/** When a run last looked at the Help Center (seconds): how fresh the articles are. */
export const HELP_CENTER_CHECKED_KEY = 'help_center_checked_at';
const FULL_PASS_KEY = 'help_center_full_pass_at';
/** Set to the reason when the token may not read the Help Center; empty when it may. */
export const HELP_CENTER_FORBIDDEN_KEY = 'help_center_forbidden';

export interface HelpCenterSchedule {
  checkSeconds?: number;
  fullPassSeconds?: number;
}
export const HELP_CENTER_SCHEDULE: Required<HelpCenterSchedule> = {
  checkSeconds: 600,
  fullPassSeconds: 3600,
};

/** Each page of a page-numbered list (articles, collections) until its last. */
async function* numberedPages<T>(
  read: (page: number) => Promise<{ data: T[]; pages?: { total_pages?: number | null } | null }>,
): AsyncGenerator<T[]> {
  for (let page = 1; ; page++) {
    const list = await read(page);
    yield list.data;
    if (list.data.length === 0 || page >= (list.pages?.total_pages ?? page)) return;
  }
}

export async function syncHelpCenter(
  api: IntercomApi,
  store: SyncStore,
  now: number,
  schedule: HelpCenterSchedule,
  signal?: AbortSignal,
): Promise<{ articles: number } | 'forbidden' | 'not due'> {
  const { checkSeconds, fullPassSeconds } = { ...HELP_CENTER_SCHEDULE, ...schedule };
  const since = async (key: string) => now - Number((await store.getMeta(key)) ?? 0);
  const full = (await since(FULL_PASS_KEY)) >= fullPassSeconds;
  if (!full && (await since(HELP_CENTER_CHECKED_KEY)) < checkSeconds) return 'not due';
  try {
    const stored = await store.articleVersions();
    const save = async (articles: ApiArticle[]) => {
      if (articles.length === 0) return;
      // Loaded only when there is something to convert: the HTML parser is not small.
      const { toArticleRecord } = await import('./help-center-mapping.js');
      await store.saveArticles(articles.map(toArticleRecord));
    };
    if (full) await syncCollections(api, store, signal);
    const listed = new Set<string>();
    let articles = 0;
    for await (const page of numberedPages((n) => api.listArticles(n, signal))) {
      const fresh = page.filter((a) => stored.get(a.id) !== a.updated_at);
      for (const a of page) listed.add(a.id);
      await save(fresh);
      articles += fresh.length;
      if (!full && fresh.length === 0) break;
    }
    if (full) {
      const gone: string[] = [];
      for (const id of stored.keys()) {
        if (listed.has(id)) continue;
        const article = await api.getArticle(id, signal);
        if (article) await save([article]);
        else gone.push(id);
      }
      await store.deleteArticles(gone);
      await store.setMeta(FULL_PASS_KEY, String(now));
    }
    await store.setMeta(HELP_CENTER_FORBIDDEN_KEY, '');
    await store.setMeta(HELP_CENTER_CHECKED_KEY, String(now));
    return { articles };
  } catch (e) {
    if (!(e instanceof IntercomApiError && e.kind === 'forbidden')) throw e;
    await store.setMeta(HELP_CENTER_FORBIDDEN_KEY, e.message);
    await store.setMeta(HELP_CENTER_CHECKED_KEY, String(now));
    return 'forbidden';
  }
}

async function syncCollections(api: IntercomApi, store: SyncStore, signal?: AbortSignal): Promise<void> {
  const { toCollectionRecord } = await import('./help-center-mapping.js');
  const all = [];
  for await (const page of numberedPages((n) => api.listCollections(n, signal))) all.push(...page);
  await store.saveCollections(all.map((c, i) => toCollectionRecord(c, i)));
}
