/**
 * One second holding more records than a page (a bulk close, an import), paged with cursors. The
 * paging is stateless, so a record updated meanwhile leaves the second and shifts the rest: the
 * second is read again until the records read of it in one pass account for all it still holds.
 */

/** How often to re-read a crowded second whose members moved while it was being paged. */
const MAX_PASSES = 5;

export interface SecondPage<T> {
  items: T[];
  total: number | undefined;
  next: string | undefined;
}

/** Every page of every pass, each with the second's count as its search said it. */
export async function* crowdedSecond<T extends { id: string }>(
  page: (cursor: string | undefined) => Promise<SecondPage<T>>,
  signal?: AbortSignal,
): AsyncGenerator<{ items: T[]; total: number }> {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let cursor: string | undefined;
    let total = 0;
    const presentNow = new Set<string>();
    do {
      signal?.throwIfAborted();
      const p = await page(cursor);
      total = p.total ?? total;
      for (const item of p.items) presentNow.add(item.id);
      yield { items: p.items, total };
      cursor = p.next;
    } while (cursor);
    // Members that moved out of the second were updated, and are read at their new time.
    if (presentNow.size >= total) return;
  }
}
