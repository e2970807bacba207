/** Retries and rate-limit waits in the log (every answer at DEBUG), in the same words from the CLI and the server. */
import type { Logger } from '../config/logger.js';
import type { PacerWait } from './rate-pacer.js';
import type { ResilientRequestOptions } from './resilient-request.js';

/** Shorter waits are routine pacing, not news. */
export const LONG_WAIT_MS = 2000;

export function describeWait(w: PacerWait): string {
  const seconds = (w.ms / 1000).toFixed(1);
  if (w.capped)
    return `Intercom's rate-limit reset is further away than one window by its own clock: waiting ${seconds} s, then asking again`;
  if (w.reason === 'spread')
    return `spreading calls across Intercom's rate-limit window: waiting ${seconds} s`;
  if (w.reason === 'others') return `leaving another app its share of the rate limit: waiting ${seconds} s`;
  if (w.reason === 'after-429') return `rate limited (429): pausing ${seconds} s before the next call`;
  return `rate limit reached: waiting ${seconds} s for Intercom's window to reset`;
}

export function describeSlow(s: { route: string; waitedMs: number; givesUpMs: number }): string {
  return `Intercom has not answered ${s.route} for ${Math.round(s.waitedMs / 1000)} s; still waiting (giving up within ${Math.round(s.givesUpMs / 1000)} s)`;
}

export function loggedRequests(
  logger: Logger,
  also: Pick<ResilientRequestOptions, 'onWait' | 'onSlow'> = {},
): Pick<ResilientRequestOptions, 'onRetry' | 'onWait' | 'onSlow' | 'onAnswer'> {
  return {
    onSlow: (s) => {
      logger.warn(describeSlow(s));
      also.onSlow?.(s);
    },
    onRetry: (r) =>
      logger.warn(`retry ${r.attempt} of ${r.route}: ${r.reason}; waiting ${Math.round(r.waitMs)} ms`),
    onWait: (w) => {
      if (w.capped) logger.warn(describeWait(w));
      else if (w.ms >= LONG_WAIT_MS) logger.info(describeWait(w));
      else logger.debug(describeWait(w));
      also.onWait?.(w);
    },
    onAnswer: (a) => logger.debug(`${a.route} ${a.status} in ${a.ms} ms`),
  };
}
