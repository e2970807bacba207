/** The notification queue's rows as both engines read them back. */
import type { NotificationStats, QueuedNotification } from './types.js';

export interface NotificationRow {
  id: string;
  topic: string;
  created_at: number;
  received_at: number;
  payload: string;
  attempts: number;
}

export const toQueued = (r: NotificationRow): QueuedNotification => ({
  id: r.id,
  topic: r.topic,
  createdAt: Number(r.created_at),
  receivedAt: Number(r.received_at),
  payload: r.payload,
  attempts: Number(r.attempts),
});

/** The states of the queue, alike on both engines (shared-store.ts asks for them with the builder). */
export const PENDING = 'processed_at IS NULL AND outcome IS NULL';
export const PARKED = "processed_at IS NULL AND outcome = 'parked'";

export function toStats(
  byTopic: { topic: string; n: number }[],
  pending: number,
  parked: number,
  last: { created_at: number; received_at: number } | undefined,
): NotificationStats {
  return {
    received: byTopic.reduce((sum, t) => sum + Number(t.n), 0),
    byTopic: Object.fromEntries(byTopic.map((t) => [t.topic, Number(t.n)])),
    pending: Number(pending),
    parked: Number(parked),
    lastReceivedAt: last ? Number(last.received_at) : null,
    lastLagSeconds: last ? Math.max(0, Number(last.received_at) - Number(last.created_at)) : null,
  };
}
