/**
 * Webhook notifications, applied from the store's queue in order of arrival. Intercom delivers at
 * least once and in no guaranteed order, so applying is idempotent: a notification whose
 * conversation is older than the stored copy changes nothing (its `updated_at` is compared),
 * a newer one that added no part is applied from the notification itself, one that did is read
 * whole with one thread fetch through the paced client (the copy keeps Intercom's plaintext
 * rendering, which notifications do not carry), and a deletion marks the conversation deleted.
 * A ticket topic reads its ticket whole when it is newer than the stored one; a company topic
 * reads the company and its contacts, or deletes it. Other topics are
 * acknowledged and counted. One that fails (Intercom down, a permission missing) is tried again
 * with growing waits while the ones after it go on, and after NOTIFICATION_ATTEMPTS tries it is
 * parked: counted, and its conversation read by the next sync.
 */
import { z } from 'zod';
import type { Logger } from '../config/logger.js';
import type { IntercomApi } from '../intercom/client.js';
import type { NotificationOutcome, QueuedNotification, Store, StoredVersion } from '../store/types.js';
import { conversationSchema } from '../intercom/schemas.js';
import { storableText } from '../intercom/storable-text.js';
import { storeCompanies } from './companies.js';
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
/** A ticket topic's item (the ticket without its parts), or a company topic's: its id and version. */
const recordItem = z.object({ id: z.string().min(1), updated_at: z.number().int().optional() });
const recordItemOf = (n: QueuedNotification) =>
  recordItem.safeParse((JSON.parse(n.payload) as { data?: { item?: unknown } }).data?.item);
const TICKET_TOPIC = /^ticket\./;
const COMPANY_TOPIC = /^company\./;

const BATCH = 50;
/** Tries before a notification is parked; the waits between them double from the base. */
export const NOTIFICATION_ATTEMPTS = 5;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** When the next try of a notification that failed `attempts` times is due, or null to park it. */
export function retryAt(attempts: number, now: number, baseSeconds: number): number | null {
  return attempts >= NOTIFICATION_ATTEMPTS ? null : now + baseSeconds * 2 ** (attempts - 1);
}

/** A conversation topic's item, as received and as far as the queue reads it; undefined for other topics. */
function conversationItemOf(
  n: Pick<QueuedNotification, 'topic' | 'payload'>,
): { raw: unknown; item: z.infer<typeof conversationItem> } | undefined {
  if (!CONVERSATION_TOPIC.test(n.topic)) return undefined;
  const raw = (JSON.parse(n.payload) as { data?: { item?: unknown } }).data?.item;
  const item = conversationItem.safeParse(raw);
  return item.success ? { raw, item: item.data } : undefined;
}

/** The conversation a notification is about, if its topic is a conversation's. */
export const notificationConversationId = (n: Pick<QueuedNotification, 'topic' | 'payload'>) =>
  conversationItemOf(n)?.item.id;

export class NotificationProcessor {
  private running: Promise<void> | undefined;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly api: IntercomApi | undefined,
    private readonly logger: Logger,
    private readonly retryBaseSeconds: number,
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

  /** Stops the timer of a retry to come (the queue keeps it for the next drain). */
  stop(): void {
    clearTimeout(this.retryTimer);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const batch = await this.store.pendingNotifications(BATCH, nowSeconds());
        if (batch.length === 0) break;
        for (const n of batch) await this.settle(n);
      }
    } while (this.again);
  }

  /**
   * One notification applied, or deferred when applying it failed: one that cannot be applied
   * now (Intercom out of reach, a permission missing) never holds up the ones after it.
   */
  private async settle(n: QueuedNotification): Promise<void> {
    let outcome: NotificationOutcome;
    try {
      outcome = await this.apply(n);
    } catch (e) {
      const attempts = n.attempts + 1;
      const at = retryAt(attempts, nowSeconds(), this.retryBaseSeconds);
      await this.store.deferNotification(n.id, attempts, at);
      this.logger.warn(
        `webhooks: ${n.topic} (${n.id}) not applied, try ${attempts} of ${NOTIFICATION_ATTEMPTS}${at === null ? ': parked, the next sync reads its conversation' : ''}: ${e instanceof Error ? e.message : String(e)}`,
      );
      if (at !== null) this.retryFrom(at);
      return;
    }
    await this.store.finishNotification(n.id, outcome, nowSeconds());
  }

  private retryFrom(at: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(
      () => void this.drain().catch((e: unknown) => this.logger.warn(`webhooks: ${String(e)}`)),
      Math.max(0, at * 1000 - Date.now()),
    ).unref();
  }

  private async apply(n: QueuedNotification): Promise<NotificationOutcome> {
    if (TICKET_TOPIC.test(n.topic)) return this.applyTicket(n);
    if (COMPANY_TOPIC.test(n.topic)) return this.applyCompany(n);
    const of = conversationItemOf(n);
    if (!of) return 'ignored';
    const { raw, item } = of;
    const id = item.id;
    if (n.topic === 'conversation.deleted') {
      await this.store.markDeleted([id], n.createdAt);
      return 'deleted';
    }
    // Strictly older only: two changes within one second share an updated_at, and the copy may
    // hold the first.
    const older = (stored: StoredVersion | undefined, updatedAt: number | undefined) =>
      stored !== undefined && updatedAt !== undefined && stored.updatedAt > updatedAt;
    const stored = (await this.store.storedVersions([id])).get(id);
    if (older(stored, item.updated_at)) return 'unchanged';
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
    // Without a token nothing can be fetched, now or later: polling is off too, so it is recorded.
    if (!this.api) return 'failed';
    const full = await this.api.getConversation(id);
    // Gone: the deleted list, which every sync reads, settles it.
    if (!full) return 'failed';
    // Read again: a sync may have stored a newer copy during the fetch.
    if (older((await this.store.storedVersions([id])).get(id), full.updated_at)) return 'unchanged';
    await new ReferenceData(this.api, this.store).ensureKnown([full], nowSeconds());
    await this.store.saveConversations([toConversationRecord(full)]);
    return 'applied';
  }

  /**
   * A company's notification carries the company: a deletion deletes it, another topic reads it
   * and its contacts (which the notification does not carry) when it is newer than the stored one.
   */
  private async applyCompany(n: QueuedNotification): Promise<NotificationOutcome> {
    const item = recordItemOf(n);
    if (!item.success) return 'ignored';
    const { id, updated_at: updatedAt } = item.data;
    if (n.topic === 'company.deleted') {
      await this.store.deleteCompanies([id]);
      return 'deleted';
    }
    const stored = (await this.store.companyVersions([id])).get(id);
    if (stored && updatedAt !== undefined && stored.updatedAt > updatedAt) return 'unchanged';
    if (!this.api) return 'failed';
    const [company, contacts] = await Promise.all([this.api.getCompany(id), this.api.companyContacts(id)]);
    if (!company || !contacts) return 'failed';
    await storeCompanies(this.store, [[company, contacts]], nowSeconds());
    return 'applied';
  }

  /**
   * A ticket's notification carries no parts: a newer ticket is read whole. One that answers 404
   * is left to the hourly full listing, which deletes only what it can prove gone.
   */
  private async applyTicket(n: QueuedNotification): Promise<NotificationOutcome> {
    const item = recordItemOf(n);
    if (!item.success) return 'ignored';
    const { id, updated_at: updatedAt } = item.data;
    const storedNewer = async (at: number | undefined) => {
      const stored = (await this.store.ticketVersions([id])).get(id);
      return stored !== undefined && at !== undefined && stored > at;
    };
    if (await storedNewer(updatedAt)) return 'unchanged';
    if (!this.api) return 'failed';
    const full = await this.api.getTicket(id);
    if (!full) return 'failed';
    if (await storedNewer(full.updated_at)) return 'unchanged';
    const { toTicketRecord } = await import('./ticket-mapping.js');
    await this.store.saveTickets([toTicketRecord(full)]);
    return 'applied';
  }
}
