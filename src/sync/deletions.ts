/**
 * Exact deletions from Intercom's own list (`GET /conversations/deleted`, API 2.16): every sync
 * reads it, newest deletion first, back to where the last complete read stopped, and marks those
 * conversations deleted. Page calls only, no thread calls. The list is read from its newest end,
 * so deletions made while it is paged push older ones onto later pages: some are seen twice (the
 * marking is idempotent), none is skipped. The watermark moves only after a read is complete, so a
 * run that dies half-way loses nothing: the next one reads the same stretch again.
 *
 * A retrieve that answers 404 means the conversation is gone too, but a proxy or a permissions
 * glitch can answer 404 to everything: when far more retrieves 404 than the list explains, the
 * run stops as an outage and marks none of them.
 */
import type { IntercomApi } from '../intercom/client.js';
import type { SyncStore } from '../store/types.js';

export const DELETED_WATERMARK_KEY = 'deleted_list_watermark';
/** deleted_at has second resolution and the list may trail a deletion by a moment: re-read a minute. */
const OVERLAP_SECONDS = 60;
/** Unexplained 404s tolerated in a run: a few are conversations deleted as they were read. */
const STRAY_404_LIMIT = 10;

export class SyncOutage extends Error {}

/**
 * Reads the deletions since the watermark, marks the stored ones deleted, moves the watermark, and
 * returns every id listed in that stretch and how many stored conversations it removed. A store
 * that never read the list starts its watermark now: what it stores from here on is covered.
 */
export async function readDeletions(
  api: IntercomApi,
  store: SyncStore,
  now: number,
  signal: AbortSignal | undefined,
): Promise<{ listed: Set<string>; removed: number }> {
  const mark = await store.getMeta(DELETED_WATERMARK_KEY);
  if (mark === undefined) {
    await store.setMeta(DELETED_WATERMARK_KEY, String(now));
    return { listed: new Set(), removed: 0 };
  }
  const since = Number(mark) - OVERLAP_SECONDS;
  const listed = new Set<string>();
  let newest = Number(mark);
  for (let page = 1; ; page++) {
    signal?.throwIfAborted();
    const list = await api.listDeletedConversations(page, signal);
    for (const d of list.conversations)
      if (d.deleted_at >= since) {
        listed.add(d.id);
        newest = Math.max(newest, d.deleted_at);
      }
    const last = list.conversations[list.conversations.length - 1];
    if (!last || last.deleted_at < since || !list.pages?.next) break;
  }
  const removed = await markStoredDeleted(store, [...listed], now);
  await store.setMeta(DELETED_WATERMARK_KEY, String(newest));
  return { listed, removed };
}

/** Marks those of `ids` that are stored and live as deleted; returns how many there were. */
async function markStoredDeleted(store: SyncStore, ids: string[], now: number): Promise<number> {
  const stored = await store.storedVersions(ids);
  if (stored.size > 0) await store.markDeleted([...stored.keys()], now);
  return stored.size;
}

/**
 * The retrieves of a run that answered 404: those the deleted list names, or a stray few, are
 * marked deleted; more than that is an outage, and nothing is marked.
 */
export async function settleNotFound(
  api: IntercomApi,
  store: SyncStore,
  notFound: string[],
  threadCalls: number,
  now: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  if (notFound.length === 0) return 0;
  const { listed, removed } = await readDeletions(api, store, now, signal);
  const unexplained = notFound.filter((id) => !listed.has(id));
  const tolerated = Math.max(STRAY_404_LIMIT, Math.floor(threadCalls * 0.02));
  if (unexplained.length > tolerated)
    throw new SyncOutage(
      `Intercom answered 404 to ${unexplained.length} of ${threadCalls} conversation retrieves that its list of deleted ` +
        'conversations does not name: treating it as an outage (a proxy, a wrong base URL or a permissions change), ' +
        'so every stored conversation is kept. Check INTERCOM_API_BASE_URL and the token, then sync again.',
    );
  return removed + (await markStoredDeleted(store, unexplained, now));
}
