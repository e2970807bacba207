/** The emulator's run-time knobs and counters, shared by the API pipeline and the control API. */
import { Faults } from './faults.js';
import { RateLimiter } from './rate-limit.js';
import { WriteLog } from './write-log.js';

export interface Latency {
  fixedMs: number;
  jitterMs: number;
}

export class EmulatorSettings {
  token: string;
  latency: Latency;
  readonly limiter: RateLimiter;
  readonly faults: Faults;
  readonly requestCounts = new Map<string, number>();
  readonly writes = new WriteLog();
  rateLimited = 0;
  unauthorized = 0;
  /** How far Intercom's clock is from ours: it moves `Date`, the rate-limit windows and their reset. */
  clockOffsetMs = 0;

  constructor(opts: { seed: string; token: string; perMinute: number; latency: Latency }) {
    this.token = opts.token;
    this.latency = opts.latency;
    this.limiter = new RateLimiter(opts.perMinute);
    this.faults = new Faults(opts.seed);
  }

  count(route: string): void {
    this.requestCounts.set(route, (this.requestCounts.get(route) ?? 0) + 1);
  }

  resetCounts(): void {
    this.requestCounts.clear();
    this.rateLimited = 0;
    this.unauthorized = 0;
    this.faults.injected = 0;
    this.limiter.neighbour.served = 0;
    this.limiter.neighbour.refused = 0;
  }

  serverNow(): number {
    return Date.now() + this.clockOffsetMs;
  }

  delayMs(): number {
    const { fixedMs, jitterMs } = this.latency;
    return Math.max(0, fixedMs + (Math.random() * 2 - 1) * jitterMs);
  }
}
