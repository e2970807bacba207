/**
 * Sync progress for people: a progress bar (done/total, rate, ETA) on a terminal, plain lines every
 * few seconds otherwise. Always on stderr.
 */
import { createRequire } from 'node:module';
import type { SyncProgress, SyncResult } from '../sync/engine.js';
import { count } from '../wording.js';
import { ProgressMeter, type MeterFrame } from './progress-meter.js';

export interface ProgressView {
  /** A bar on a terminal, which wants the run's total before its first frame. */
  readonly bar: boolean;
  update(p: SyncProgress): void;
  /** Says what the sync is waiting on, until the next update after `untilMs`. */
  note(text: string, untilMs: number): void;
  /** A finished run: the bar is filled to what was done (100% when complete), then one summary line. */
  finish(r: SyncResult): void;
  stop(): void;
}

export const finishedLine = (r: SyncResult) =>
  `sync: ${r.complete ? 'done' : 'stopped at --max-conversations'}, ${count(r.done, 'conversation')} seen, ${r.fetched.toLocaleString('en-US')} fetched, ${count(r.apiCalls, 'API call')}, ${(r.elapsedMs / 1000).toFixed(1)} s`;

/** What a frame of the bar shows besides its rate and note. */
const barFields = (f: MeterFrame, done: number, total: number, apiCalls: number) => ({
  pct: f.percent,
  remaining: f.eta,
  done: done.toLocaleString('en-US'),
  estimate: total.toLocaleString('en-US'),
  calls: count(apiCalls, 'API call'),
});

const rate = (p: SyncProgress) => (p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 1000 : 0);

export function createProgressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (stream.isTTY) {
    // Loaded only for a terminal: a headless sync never needs the bar's library, nor its memory.
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
    // The bar's own value is the meter's share (of 100), so neither it nor the percentage goes back.
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format:
          'sync {bar} {pct}% | {done}/{estimate} conversations | {rate}/s | ETA {remaining} | {calls}{note}',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const meter = new ProgressMeter();
    let started = false;
    let note = '';
    let noteUntil = 0;
    return {
      bar: true,
      update(p) {
        if (note && Date.now() > noteUntil) note = '';
        const f = meter.frame(p);
        const payload = {
          ...barFields(f, p.done, Math.max(p.total, p.done), p.apiCalls),
          rate: rate(p).toFixed(1),
          note,
        };
        if (!started) {
          bar.start(100, f.percent, payload);
          started = true;
        }
        bar.update(f.percent, payload);
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
          const f = r.complete ? meter.complete() : meter.frame(r);
          const total = r.complete ? r.done : Math.max(r.total, r.done);
          bar.update(f.percent, { ...barFields(f, r.done, total, r.apiCalls), note: '' });
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
  const meter = new ProgressMeter();
  return {
    bar: false,
    update(p) {
      const now = Date.now();
      const pct = meter.frame(p).percent;
      if (now - last < 2000 && p.done < p.total) return;
      last = now;
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
