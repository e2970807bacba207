/**
 * Keeps a long-running command's memory near its live data. V8 collects lazily: a sync whose live
 * heap stays small grows to several times that in resident memory, because garbage piles
 * up in the young generation and the old one grows before anything is reclaimed. The process
 * cannot be started with heap flags (it is launched by MCP clients and npm as plain `node`), and
 * V8 ignores heap-size flags set after start-up, but it does honour --expose-gc: this collects
 * whenever the used heap passes 16 MB, or a headroom past what the last collection left alive when
 * that is more, so that a larger live heap is not collected over and over. The servers (`start`,
 * `serve`) are not governed: their latency matters more than their memory, which has no target.
 * What it saves, at what cost in speed, is in docs/performance.md.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

const CHECK_EVERY_MS = 50;
const FLOOR_BYTES = 16 * 1024 * 1024;
const HEADROOM_BYTES = 4 * 1024 * 1024;

export function startHeapGovernor(): void {
  v8.setFlagsFromString('--expose-gc');
  // The young generation otherwise doubles to its largest under a sync's churn and never shrinks;
  // V8 reads this flag whenever it would grow it, so it holds when set after start-up. Heap-size
  // flags, by contrast, are fixed at start-up.
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  // V8 then prefers memory to speed in its compilers and collector, which still holds when set
  // after start-up. It costs CPU time, which a sync bound by Intercom's rate limit has to spare, and
  // saves memory, which the sync's target counts (docs/performance.md has both figures).
  v8.setFlagsFromString('--optimize-for-size');
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
