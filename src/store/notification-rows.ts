/** The notification queue's rows as both engines read them back. */
import type { NotificationStats, QueuedNotification } from './types.js';

export interface NotificationRow {
  id: string;
  topic: string;
  created_at: number;
  received_at: number;
  payload: string;
}

export const toQueued = (r: NotificationRow): QueuedNotification => ({
  id: r.id,
  topic: r.topic,
  createdAt: Number(r.created_at),
  receivedAt: Number(r.received_at),
  payload: r.payload,
});

export function toStats(
  byTopic: { topic: string; n: number }[],
  pending: number,
  last: { created_at: number; received_at: number } | undefined,
): NotificationStats {
  return {
    received: byTopic.reduce((sum, t) => sum + Number(t.n), 0),
    byTopic: Object.fromEntries(byTopic.map((t) => [t.topic, Number(t.n)])),
    pending: Number(pending),
    lastReceivedAt: last ? Number(last.received_at) : null,
    lastLagSeconds: last ? Math.max(0, Number(last.received_at) - Number(last.created_at)) : null,
  };
}
