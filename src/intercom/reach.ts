/**
 * Whether Intercom answers at a base URL, and how far its clock is from ours: no token needed,
 * since any answer (a 401 too) has a status and Intercom's `Date` header.
 */
import { ClockOffset } from './clock-offset.js';

export type Reach =
  | { reached: true; status: number; clockOffsetMs: number | undefined }
  | { reached: false; why: string };

export async function probeReach(baseUrl: string, probes = 3): Promise<Reach> {
  const clock = new ClockOffset();
  let status = 0;
  try {
    for (let i = 0; i < probes; i++) {
      const sentAt = Date.now();
      const res = await fetch(`${baseUrl.replace(/\/$/, '')}/me`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      status = res.status;
      clock.observe(res.headers.get('date') ?? undefined, sentAt, Date.now());
    }
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { reached: false, why: cause?.code ?? cause?.message ?? (e as Error).message };
  }
  return { reached: true, status, clockOffsetMs: clock.known ? clock.estimateMs : undefined };
}
