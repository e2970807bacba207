/**
 * The threads a sync reads are stored a group at a time: every 25 ms, or at 32 threads. A sync
 * stores each thread as its answer arrives, up to 40 at a time, and a transaction per thread
 * wrote its index and full-text pages again every time: measured on 3,000 conversations in SQLite,
 * 28× the copy's size went through the write-ahead log one thread at a time, 12× grouped by 20
 * (docs/performance.md); on PostgreSQL each is a round trip fewer. A group that fails is written
 * again one thread at a time, so a bad thread fails only its own save.
 */
const GROUP_WAIT_MS = 25;
const GROUP_MAX = 32;

export class GroupCommit<T> {
  private queue: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= GROUP_MAX) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), GROUP_WAIT_MS);
    });
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.queue.splice(0);
    if (group.length === 0) return;
    try {
      await this.write(group.map((g) => g.item));
      for (const g of group) g.resolve();
      return;
    } catch {
      // One at a time below: each save gets its own answer.
    }
    for (const g of group) {
      try {
        await this.write([g.item]);
        g.resolve();
      } catch (e) {
        g.reject(e);
      }
    }
  }
}
