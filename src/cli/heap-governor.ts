/**
 * Keeps a long-running command's memory near its live data. V8 collects lazily: a sync whose live
 * heap stays under 20 MB was measured growing to 150 MB of resident memory, because garbage piles
 * up in the young generation and the old one grows before anything is reclaimed. The process
 * cannot be started with heap flags (it is launched by MCP clients and npm as plain `node`), and
 * V8 ignores heap-size flags set after start-up, but it does honour --expose-gc: this calls a
 * collection whenever the used heap passes a threshold. Measured on a 7-day backfill (1,395
 * conversations): peak RSS 157 MB → 106 MB, sync rate within 5%.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

const CHECK_EVERY_MS = 50;
const COLLECT_ABOVE_BYTES = 16 * 1024 * 1024;

export function startHeapGovernor(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  setInterval(() => {
    if (process.memoryUsage().heapUsed > COLLECT_ABOVE_BYTES) gc();
  }, CHECK_EVERY_MS).unref();
}
