/**
 * Intercom's webhooks, as the emulator sends them: a subscription (URL, the app's client secret,
 * topics) receives a signed notification for every change the workspace makes that Intercom has a
 * topic for, with Intercom's delivery behaviour made controllable: at least once (a share sent
 * twice), in no guaranteed order (each delivery waits a random delay), retried on failure, and a
 * share dropped on purpose, so that polling has something to catch up on.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Rng } from './prng.js';
import { renderConversation } from './render.js';
import { renderTicket } from './ticket-routes.js';
import { renderCompany } from './company-routes.js';
import type { ConversationSummary, Workspace, WorkspaceChange } from './workspace.js';

export const subscriptionSchema = z.object({
  url: z.url(),
  clientSecret: z.string().min(1),
  /** Topics to send; every topic when absent. */
  topics: z.array(z.string().min(1)).optional(),
  dropRate: z.number().min(0).max(1).default(0),
  duplicateRate: z.number().min(0).max(1).default(0),
  /** Each delivery waits up to this long, at random: later changes may arrive first. */
  maxDelayMs: z.number().int().min(0).max(60_000).default(0),
  /** The first retry's wait; each further one doubles it (Intercom's are minutes apart). */
  retryDelayMs: z.number().int().min(1).max(600_000).default(1000),
  maxAttempts: z.number().int().min(1).max(20).default(5),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export interface WebhookStats {
  notifications: number;
  deliveries: number;
  delivered: number;
  failedAttempts: number;
  dropped: number;
  duplicated: number;
  abandoned: number;
  byTopic: Record<string, number>;
}

const emptyStats = (): WebhookStats => ({
  notifications: 0,
  deliveries: 0,
  delivered: 0,
  failedAttempts: 0,
  dropped: 0,
  duplicated: 0,
  abandoned: 0,
  byTopic: {},
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/** `sha1=` and the hex HMAC-SHA1 of the raw body, keyed by the app's client secret. */
export function hubSignature(body: string, secret: string): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
}

export class WebhookSender {
  private subscription: Subscription | undefined;
  private rng = new Rng('webhooks', 0);
  private sequence = 0;
  private inFlight = new Set<Promise<void>>();
  stats: WebhookStats = emptyStats();

  constructor(
    private readonly ws: Workspace,
    private readonly appId: string,
  ) {
    ws.onChange((change) => this.notify(change));
    // A ticket's notification carries the ticket without its parts: a receiver reads it whole.
    ws.tickets.onChange((topic, ticket) => this.sendIfWanted(topic, () => renderTicket(ws, ticket, false)));
    ws.companies.onChange((topic, company) => this.sendIfWanted(topic, () => renderCompany(ws, company)));
  }

  subscribe(s: Subscription): void {
    this.subscription = s;
    this.rng = new Rng('webhooks', s.url, ++this.sequence);
    this.stats = emptyStats();
  }

  unsubscribe(): void {
    this.subscription = undefined;
  }

  get subscribed(): Subscription | undefined {
    return this.subscription;
  }

  /** A `ping`, as the Developer Hub's "send test request" sends it. */
  ping(): void {
    this.send('ping', { type: 'ping', message: 'Hello from Intercom' });
  }

  /** Resolves once every delivery begun so far has succeeded, been dropped or been given up. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private notify(change: WorkspaceChange): void {
    this.sendIfWanted(change.topic, () =>
      change.topic === 'conversation.deleted'
        ? { type: 'conversation', id: change.summary.id }
        : renderConversation(this.ws, change.summary as ConversationSummary, { plaintext: false }),
    );
  }

  /** Rendered now, if subscribed to: a delivery that arrives late carries the item as it was then. */
  private sendIfWanted(topic: string, item: () => unknown): void {
    const s = this.subscription;
    if (!s || (s.topics && !s.topics.includes(topic))) return;
    this.send(topic, item());
  }

  private send(topic: string, item: unknown): void {
    const s = this.subscription;
    if (!s) return;
    this.stats.notifications++;
    this.stats.byTopic[topic] = (this.stats.byTopic[topic] ?? 0) + 1;
    if (this.rng.chance(s.dropRate)) {
      this.stats.dropped++;
      return;
    }
    const envelope = {
      type: 'notification_event',
      app_id: this.appId,
      id: `notif_${randomUUID()}`,
      topic,
      delegated: false,
      created_at: this.ws.now(),
      first_sent_at: this.ws.now(),
      data: { type: 'notification_event_data', item },
    };
    const copies = this.rng.chance(s.duplicateRate) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      const delivery = this.deliver(s, envelope, this.rng.int(0, s.maxDelayMs)).finally(() =>
        this.inFlight.delete(delivery),
      );
      this.inFlight.add(delivery);
    }
  }

  private async deliver(s: Subscription, envelope: object, delayMs: number): Promise<void> {
    await sleep(delayMs);
    for (let attempt = 1; attempt <= s.maxAttempts; attempt++) {
      if (this.subscription !== s) return;
      const body = JSON.stringify({ ...envelope, delivery_attempts: attempt });
      this.stats.deliveries++;
      try {
        const res = await fetch(s.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'Intercom-Webhook',
            'X-Hub-Signature': hubSignature(body, s.clientSecret),
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        if (res.ok) {
          this.stats.delivered++;
          return;
        }
      } catch {
        // Refused, reset or timed out: a failed attempt, like a non-2xx answer.
      }
      this.stats.failedAttempts++;
      if (attempt < s.maxAttempts) await sleep(s.retryDelayMs * 2 ** (attempt - 1));
    }
    this.stats.abandoned++;
  }
}
