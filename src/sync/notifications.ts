/**
 * Webhook notifications, applied from the store's queue in order of arrival. Intercom delivers at
 * least once and in no guaranteed order, so applying is idempotent: a notification whose
 * conversation is older than the stored copy changes nothing (its `updated_at` is compared),
 * a newer one that added no part is applied from the notification itself, one that did is read
 * whole with one thread fetch through the paced client (the copy keeps Intercom's plaintext
 * rendering, which notifications do not carry), and a deletion marks the conversation deleted.
 * Topics without a conversation are acknowledged and counted. What cannot be applied (no token, Intercom down) is left to polling,
 * which stays the safety net.
 */
import { z } from 'zod';
import type { Logger } from '../config/logger.js';
import type { IntercomApi } from '../intercom/client.js';
import type { NotificationOutcome, QueuedNotification, Store, StoredVersion } from '../store/types.js';
import { conversationSchema } from '../intercom/schemas.js';
import { storableText } from '../intercom/storable-text.js';
import { partsUnchanged, toConversationMetadata, toConversationRecord } from './mapping.js';
import { ReferenceData } from './reference-data.js';

/** The envelope as far as the queue needs it: who it is, what it is about, when Intercom made it. */
export const notificationEnvelope = z.object({
  type: z.literal('notification_event'),
  id: z.string().min(1).max(200).transform(storableText),
  topic: z.string().min(1).max(200).transform(storableText),
  created_at: z.number().int().nonnegative(),
  data: z.object({ item: z.unknown() }).optional(),
});

/** A conversation topic's item; a deletion's may carry nothing but the id. */
const conversationItem = z.object({
  type: z.literal('conversation').optional(),
  id: z.string().min(1),
  updated_at: z.number().int().optional(),
});
const CONVERSATION_TOPIC = /^conversation(_part)?\./;

const BATCH = 50;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export class NotificationProcessor {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly api: IntercomApi | undefined,
    private readonly logger: Logger,
  ) {}

  /** Applies everything queued; called while it runs, it goes round once more when done. */
  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const batch = await this.store.pendingNotifications(BATCH);
        if (batch.length === 0) break;
        for (const n of batch) await this.store.finishNotification(n.id, await this.apply(n), nowSeconds());
      }
    } while (this.again);
  }

  private async apply(n: QueuedNotification): Promise<NotificationOutcome> {
    const raw = (JSON.parse(n.payload) as { data?: { item?: unknown } }).data?.item;
    if (!CONVERSATION_TOPIC.test(n.topic)) return 'ignored';
    const item = conversationItem.safeParse(raw);
    if (!item.success) return 'ignored';
    const id = item.data.id;
    if (n.topic === 'conversation.deleted') {
      await this.store.markDeleted([id], n.createdAt);
      return 'deleted';
    }
    // Strictly older only: two changes within one second share an updated_at, and the copy may
    // hold the first.
    const older = (stored: StoredVersion | undefined, updatedAt: number | undefined) =>
      stored !== undefined && updatedAt !== undefined && stored.updatedAt > updatedAt;
    const stored = (await this.store.storedVersions([id])).get(id);
    if (older(stored, item.data.updated_at)) return 'unchanged';
    // A change that added no part (a tag, a priority, an assignment) is all in the notification's
    // conversation: its metadata is applied as a search item's would be, with no API call. A
    // redaction keeps the count and blanks a part, so it is read whole.
    const conversation = conversationSchema.safeParse(raw);
    if (
      conversation.success &&
      n.topic !== 'conversation_part.redacted' &&
      partsUnchanged(conversation.data, stored)
    ) {
      if (this.api)
        await new ReferenceData(this.api, this.store).ensureKnown([conversation.data], nowSeconds());
      await this.store.applyMetadata([toConversationMetadata(conversation.data)]);
      return 'applied';
    }
    if (!this.api) return 'failed';
    try {
      const full = await this.api.getConversation(id);
      // Gone, or already as new in the copy (a sync stored it meanwhile): polling settles the rest.
      if (!full) return 'failed';
      // Read again: a sync may have stored a newer copy during the fetch.
      if (older((await this.store.storedVersions([id])).get(id), full.updated_at)) return 'unchanged';
      await new ReferenceData(this.api, this.store).ensureKnown([full], nowSeconds());
      await this.store.saveConversations([toConversationRecord(full)]);
      return 'applied';
    } catch (e) {
      this.logger.warn(
        `webhooks: ${n.topic} for conversation ${id} not applied (the next sync will): ${e instanceof Error ? e.message : String(e)}`,
      );
      return 'failed';
    }
  }
}
