/**
 * Saves that arrive in the same turn of the event loop are written in one transaction. A sync
 * stores each thread as its answer arrives, up to 40 at a time, and a transaction per thread wrote
 * its index and full-text pages again every time: measured on 3,000 conversations, 28× the copy's
 * size went through the write-ahead log one thread at a time, 12× grouped (docs/performance.md).
 * A group that fails is written again one save at a time, so a bad thread fails only its own save.
 */
/** A sync's answers arrive a few milliseconds apart: this long gathers a dozen of them. */
const GROUP_WAIT_MS = 25;
const GROUP_MAX = 32;

export class GroupCommit<T> {
  private queue: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly write: (items: T[]) => void) {}

  private timer: NodeJS.Timeout | undefined;

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= GROUP_MAX) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), GROUP_WAIT_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.queue.splice(0);
    try {
      this.write(group.map((g) => g.item));
      for (const g of group) g.resolve();
      return;
    } catch {
      // One at a time below: each save gets its own answer.
    }
    for (const g of group) {
      try {
        this.write([g.item]);
        g.resolve();
      } catch (e) {
        g.reject(e);
      }
    }
  }
}
