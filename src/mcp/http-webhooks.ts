/**
 * `POST /webhooks/intercom`: Intercom's notifications, outside MCP's sign-in (Intercom signs them
 * instead). A notification whose signature is missing or wrong gets 401 and changes nothing; a
 * signed one is written to the store's queue before the 200 (so a crash after it loses nothing),
 * answered at once, and applied after the answer. A `ping` is answered and not queued.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../config/logger.js';
import { hubSignatureMatches } from '../intercom/webhook-signature.js';
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

function answer(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The raw bytes, or undefined past the bound (the rest is read and dropped, so the 413 is seen). */
async function rawBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size <= MAX_NOTIFICATION_BYTES) chunks.push(c as Buffer);
  }
  return size > MAX_NOTIFICATION_BYTES ? undefined : Buffer.concat(chunks);
}

export async function receiveWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  receiver: WebhookReceiver,
  logger: Logger,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return answer(res, 405, { error: 'POST notifications here' });
  }
  const body = await rawBody(req);
  if (body === undefined) return answer(res, 413, { error: `larger than ${MAX_NOTIFICATION_BYTES} bytes` });
  const signature = req.headers['x-hub-signature'];
  if (!hubSignatureMatches(body, typeof signature === 'string' ? signature : undefined, receiver.secret)) {
    logger.warn(
      `webhooks: a notification from ${req.socket.remoteAddress ?? 'an unknown address'} refused: ${signature ? 'wrong' : 'no'} X-Hub-Signature`,
    );
    return answer(res, 401, { error: 'missing or wrong X-Hub-Signature' });
  }
  let parsed;
  try {
    parsed = notificationEnvelope.safeParse(JSON.parse(body.toString('utf8')));
  } catch {
    return answer(res, 400, { error: 'not JSON' });
  }
  if (!parsed.success) return answer(res, 400, { error: 'not an Intercom notification' });
  const n = parsed.data;
  if (n.topic === 'ping') return answer(res, 200, { ok: true });
  const fresh = await receiver.store.enqueueNotification({
    id: n.id,
    topic: n.topic,
    createdAt: n.created_at,
    receivedAt: Math.floor(Date.now() / 1000),
    payload: body.toString('utf8'),
  });
  answer(res, 200, { queued: fresh, duplicate: !fresh });
  void receiver.processor
    .drain()
    .catch((e: unknown) => logger.warn(`webhooks: ${e instanceof Error ? e.message : String(e)}`));
}
