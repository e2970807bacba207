/**
 * `POST /webhooks/intercom`: Intercom's notifications, outside MCP's sign-in (Intercom signs them
 * instead). A notification whose signature is missing or wrong gets 401 and changes nothing; a
 * signed one is written to the store's queue before the 200 (so a crash after it loses nothing),
 * answered at once, and applied after the answer. A `ping` is answered and not queued.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../config/logger.js';
import { hubSignatureMatches } from '../intercom/webhook-signature.js';
import { readBounded, sendJson } from './http-body.js';
import type { Store } from '../store/types.js';
import { notificationEnvelope, type NotificationProcessor } from '../sync/notifications.js';

export const WEBHOOK_PATH = '/webhooks/intercom';
/** A conversation item carries its parts: a long thread makes a large notification. */
const MAX_NOTIFICATION_BYTES = 5 * 1024 * 1024;

export interface WebhookReceiver {
  secret: string;
  store: Store;
  processor: NotificationProcessor;
}

export async function receiveWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  receiver: WebhookReceiver,
  logger: Logger,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendJson(res, 405, { error: 'POST notifications here' });
  }
  const body = await readBounded(req, MAX_NOTIFICATION_BYTES);
  if (body === undefined) return sendJson(res, 413, { error: `larger than ${MAX_NOTIFICATION_BYTES} bytes` });
  const signature = req.headers['x-hub-signature'];
  if (!hubSignatureMatches(body, typeof signature === 'string' ? signature : undefined, receiver.secret)) {
    logger.warn(
      `webhooks: a notification from ${req.socket.remoteAddress ?? 'an unknown address'} refused: ${signature ? 'wrong' : 'no'} X-Hub-Signature`,
    );
    return sendJson(res, 401, { error: 'missing or wrong X-Hub-Signature' });
  }
  let parsed;
  try {
    parsed = notificationEnvelope.safeParse(JSON.parse(body.toString('utf8')));
  } catch {
    return sendJson(res, 400, { error: 'not JSON' });
  }
  if (!parsed.success) return sendJson(res, 400, { error: 'not an Intercom notification' });
  const n = parsed.data;
  if (n.topic === 'ping') return sendJson(res, 200, { ok: true });
  const fresh = await receiver.store.enqueueNotification({
    id: n.id,
    topic: n.topic,
    createdAt: n.created_at,
    receivedAt: Math.floor(Date.now() / 1000),
    payload: body.toString('utf8'),
  });
  sendJson(res, 200, { queued: fresh, duplicate: !fresh });
  void receiver.processor
    .drain()
    .catch((e: unknown) => logger.warn(`webhooks: ${e instanceof Error ? e.message : String(e)}`));
}
