/**
 * What the progress bar shows, never going backwards. A backfill learns its total as it goes (each
 * stretch of its window says its size when its first page is read), so done/total can fall as the
 * total grows: the shown share only rises, holding still until the work catches up with it. The
 * ETA is said only once there is a rate to reckon it from.
 */

export interface MeterInput {
  done: number;
  total: number;
  elapsedMs: number;
}

export interface MeterFrame {
  /** 0 to 100, never below an earlier frame's. */
  percent: number;
  eta: string;
}

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class ProgressMeter {
  private shown = 0;

  frame(p: MeterInput): MeterFrame {
    const share = p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 0;
    this.shown = Math.max(this.shown, share);
    const rate = p.elapsedMs > 0 ? p.done / (p.elapsedMs / 1000) : 0;
    const eta = rate > 0 && p.total >= p.done ? formatEta((p.total - p.done) / rate) : '--';
    return { percent: this.shown, eta };
  }

  /** The last frame of a complete run: all of it. */
  complete(): MeterFrame {
    this.shown = 100;
    return { percent: 100, eta: '0s' };
  }
}
