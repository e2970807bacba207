/**
 * Sync progress for people: a progress bar (done/total, rate, ETA) on a terminal, plain lines every
 * few seconds otherwise. Always on stderr.
 */
import { createRequire } from 'node:module';
import type { SyncProgress, SyncResult } from '../sync/engine.js';
import { count } from '../wording.js';

export interface ProgressView {
  update(p: SyncProgress): void;
  /** Says what the sync is waiting on, until the next update after `untilMs`. */
  note(text: string, untilMs: number): void;
  /** A finished run: the bar is filled to what was done (100% when complete), then one summary line. */
  finish(r: SyncResult): void;
  stop(): void;
}

export const finishedLine = (r: SyncResult) =>
  `sync: ${r.complete ? 'done' : 'stopped at --max-conversations'}, ${count(r.done, 'conversation')} seen, ${r.fetched.toLocaleString('en-US')} fetched, ${count(r.apiCalls, 'API call')}, ${(r.elapsedMs / 1000).toFixed(1)} s`;

const rate = (p: SyncProgress) => (p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 1000 : 0);

export function createProgressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (stream.isTTY) {
    // Loaded only for a terminal: a headless sync never needs the bar's library, nor its memory.
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format:
          'sync {bar} {percentage}% | {value}/{total} conversations | {rate}/s | ETA {eta_formatted} | {calls}{note}',
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let note = '';
    let noteUntil = 0;
    return {
      update(p) {
        if (note && Date.now() > noteUntil) note = '';
        const payload = { rate: rate(p).toFixed(1), calls: count(p.apiCalls, 'API call'), note };
        if (!started) {
          bar.start(Math.max(p.total, 1), p.done, payload);
          started = true;
        }
        bar.setTotal(Math.max(p.total, p.done, 1));
        bar.update(p.done, payload);
      },
      note(text, untilMs) {
        if (!started) return void stream.write(`sync: ${text}\n`);
        note = ` | ${text}`;
        noteUntil = untilMs;
        bar.update({ note });
      },
      finish(r) {
        if (started) {
          // A complete run's total is what it did: the last estimate could only be above it.
          bar.setTotal(r.complete ? Math.max(r.done, 1) : Math.max(r.done, bar.getTotal()));
          bar.update(r.done, { calls: count(r.apiCalls, 'API call'), note: '' });
          bar.stop();
          started = false;
        }
        stream.write(`${finishedLine(r)}\n`);
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 2000 && p.done < p.total) return;
      last = now;
      const pct = p.total > 0 ? Math.round((p.done / p.total) * 100) : 100;
      stream.write(
        `sync: ${p.done}/${p.total} conversations (${pct}%), ${rate(p).toFixed(1)}/s, ${count(p.apiCalls, 'API call')}\n`,
      );
    },
    finish(r) {
      stream.write(`${finishedLine(r)}\n`);
    },
    note(text) {
      stream.write(`sync: ${text}\n`);
    },
    stop() {},
  };
}
