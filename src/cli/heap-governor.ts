/**
 * Keeps a long-running command's memory near its live data. V8 collects lazily: a sync whose live
 * heap stays small grows to several times that in resident memory, because garbage piles
 * up in the young generation and the old one grows before anything is reclaimed. The process
 * cannot be started with heap flags (it is launched by MCP clients and npm as plain `node`), and
 * V8 ignores heap-size flags set after start-up, but it does honour --expose-gc: this collects
 * whenever the used heap passes 16 MB, or a headroom past what the last collection left alive when
 * that is more, so that a larger live heap is not collected over and over. The servers are not
 * governed: a collection on the answer's path would cost every client time.
 * What it saves, at what cost in speed, is in docs/performance.md.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

const CHECK_EVERY_MS = 50;
const FLOOR_BYTES = 16 * 1024 * 1024;
const HEADROOM_BYTES = 4 * 1024 * 1024;

/**
 * V8 prefers memory to speed in its compilers and collector, which still holds when set after
 * start-up. It costs CPU time, which a sync bound by Intercom's rate limit has to spare, and about
 * 2 ms of an answer of the stdio server, which one person's assistant does not notice beside its
 * own seconds; it saves 15-20 MB in each, which their targets count and a desktop running several
 * MCP clients feels (docs/performance.md has the figures). The HTTP server, shared by a team,
 * keeps its speed.
 */
export function preferMemoryToSpeed(): void {
  v8.setFlagsFromString('--optimize-for-size');
}

export function startHeapGovernor(): void {
  v8.setFlagsFromString('--expose-gc');
  preferMemoryToSpeed();
  const gc = vm.runInNewContext('gc') as () => void;
  const used = () => v8.getHeapStatistics().used_heap_size;
  const next = () => Math.max(FLOOR_BYTES, used() + HEADROOM_BYTES);
  let threshold = next();
  setInterval(() => {
    if (used() <= threshold) return;
    gc();
    threshold = next();
  }, CHECK_EVERY_MS).unref();
}
