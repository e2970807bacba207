/**
 * `POST /webhooks/intercom`: Intercom's notifications, outside MCP's sign-in (Intercom signs them
 * instead). A notification whose signature is missing or wrong gets 401 and changes nothing; a
 * signed one is written to the store's queue before the 200 (so a crash after it loses nothing),
 * answered at once, and applied after the answer. A `ping` is answered and not queued.
 */
import type { PersonalDataKind } from '../personal-data.js';
import { maskedRecord } from '../sync/masked-at-sync.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../config/logger.js';
import { hubSignatureMatches } from '../intercom/webhook-signature.js';
import { refuseAndClose, sendJson, type ByteBudget } from './body.js';
import type { Store } from '../store/types.js';
import { notificationEnvelope, type NotificationProcessor } from '../sync/notifications.js';

export const WEBHOOK_PATH = '/webhooks/intercom';
/**
 * A conversation item carries its parts, so a long thread makes a large notification; past this
 * bound one is refused (413) and left to polling, which reads the thread whole.
 */
export const MAX_NOTIFICATION_BYTES = 2 * 1024 * 1024;
/**
 * What bodies not yet verified may hold at once, over every connection: a signature can only be
 * checked once the body is whole, so a flood of forged ones is refused (503) past this budget.
 */
export const UNVERIFIED_BUDGET_BYTES = 8 * 1024 * 1024;
const SIGNATURE_FORMAT = /^sha1=[0-9a-f]{40}$/i;

export interface WebhookReceiver {
  secret: string;
  store: Store;
  processor: NotificationProcessor;
  /** Shared by this server's webhook requests (see UNVERIFIED_BUDGET_BYTES). */
  budget: ByteBudget;
  /** The copy keeps personal data out (`--redact-at-sync`): the queued notification is masked too. */
  masking: ReadonlySet<PersonalDataKind> | undefined;
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
  const from = req.socket.remoteAddress ?? 'an unknown address';
  const signature = req.headers['x-hub-signature'];
  // Refused before a byte of the body is read: only a signed request is worth buffering.
  if (typeof signature !== 'string' || !SIGNATURE_FORMAT.test(signature)) {
    logger.warn(`webhooks: a notification from ${from} refused: no X-Hub-Signature`);
    return refuseAndClose(res, 401, { error: 'missing or wrong X-Hub-Signature' });
  }
  const tooLarge = { error: `larger than ${MAX_NOTIFICATION_BYTES} bytes` };
  if (Number(req.headers['content-length'] ?? 0) > MAX_NOTIFICATION_BYTES)
    return refuseAndClose(res, 413, tooLarge);
  const body = await receiver.budget.read(req, MAX_NOTIFICATION_BYTES);
  if (body === 'too large') return refuseAndClose(res, 413, tooLarge);
  if (body === 'busy') {
    logger.warn(`webhooks: a notification from ${from} refused: too many unverified bytes held at once`);
    return refuseAndClose(res, 503, { error: 'busy: try again' }, { 'Retry-After': '5' });
  }
  if (!hubSignatureMatches(body, signature, receiver.secret)) {
    logger.warn(`webhooks: a notification from ${from} refused: wrong X-Hub-Signature`);
    return sendJson(res, 401, { error: 'missing or wrong X-Hub-Signature' });
  }
  const text = body.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return sendJson(res, 400, { error: 'not JSON' });
  }
  const parsed = notificationEnvelope.safeParse(raw);
  if (!parsed.success) return sendJson(res, 400, { error: 'not an Intercom notification' });
  const n = parsed.data;
  if (n.topic === 'ping') return sendJson(res, 200, { ok: true });
  const fresh = await receiver.store.enqueueNotification({
    id: n.id,
    topic: n.topic,
    createdAt: n.created_at,
    receivedAt: Math.floor(Date.now() / 1000),
    payload: receiver.masking ? JSON.stringify(maskedRecord(raw, receiver.masking)) : text,
  });
  sendJson(res, 200, { queued: fresh, duplicate: !fresh });
  void receiver.processor
    .drain()
    .catch((e: unknown) => logger.warn(`webhooks: ${e instanceof Error ? e.message : String(e)}`));
}
