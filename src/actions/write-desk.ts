/**
 * Writes to Intercom, safely: a preview from the copy first, recorded in the audit trail with a
 * short-lived confirmation handle bound to the caller it was shown to; the write is sent only when
 * that caller confirms with the handle, once (the store lets exactly one confirmation claim it), as
 * the configured admin, through the paced client. Its outcome and Intercom's answer go into the
 * trail, and the target is read back and stored, so the copy shows the change at once.
 *
 * A write whose answer is lost (a 5xx, a dropped connection) may have landed: the target is read
 * back and the write is sent again only if it is not there (write-landed.ts), so a retry posts once.
 *
 * On a copy that keeps customers' personal data out (--redact-at-sync), the trail holds the preview
 * masked as the copy is, and the text to send stays in the memory of the server that showed the
 * preview, for the handle's life: a handle is confirmed there. What is read back is masked too, so
 * the masked preview is what it is compared with.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../config/logger.js';
import type { IntercomApi } from '../intercom/client.js';
import { IntercomApiError, RETRYABLE } from '../intercom/errors.js';
import type { ApiWriteAnswer } from '../intercom/schemas.js';
import type { PersonalDataKind } from '../personal-data.js';
import type { AuditEntry, IntercomWrite, Store } from '../store/types.js';
import { maskedRecord } from '../sync/masked-at-sync.js';
import { toConversationRecord } from '../sync/mapping.js';
import { ReferenceData } from '../sync/reference-data.js';
import { REPLY_SCOPE, WRITE_SCOPE, type Caller, type Permission } from './permissions.js';
import { writeLanded, type ReadBack } from './write-landed.js';
import {
  planWrite,
  type TargetNow,
  type TicketState,
  type WriteAction,
  type WritePlan,
} from './write-plan.js';

/** How long a preview's handle may be confirmed. */
export const HANDLE_TTL_SECONDS = 10 * 60;
/** Sends of one write, each after checking the one before did not land. */
const MAX_SENDS = 3;
const HANDLE_PREFIX = 'wr_';

/** A write refused: nothing was sent. The message says why and what to do. */
export class WriteRefused extends Error {}

export interface Preview {
  plan: WritePlan;
  /** Absent for a dry run and for a write that would change nothing. */
  handle?: string;
  expiresAt?: number;
}

export interface Performed {
  entry: AuditEntry;
  answer: ApiWriteAnswer | null;
  /** The write's answer was lost, and reading the target back found it had landed. */
  recovered: boolean;
  /** The target was read back into the copy. */
  copyUpdated: boolean;
}

/** What Intercom would not tell a write, said as a refusal: nothing was sent. */
async function fromIntercom<T>(what: string, answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (e) {
    if (e instanceof IntercomApiError)
      throw new WriteRefused(`Cannot read ${what} from Intercom: ${e.message}. Nothing was written.`);
    throw e;
  }
}

const hashOf = (handle: string) => createHash('sha256').update(handle).digest('hex');
const nowSeconds = () => Math.floor(Date.now() / 1000);

export const needs = (plan: Pick<WritePlan, 'customerVisible'>): Permission =>
  plan.customerVisible ? 'reply' : 'write';

export interface DeskOptions {
  /** The admin writes are made as, an id or email; the token's own when undefined. */
  writeAs?: string | undefined;
  /** The kinds of personal data the copy keeps out (sync/masked-at-sync.ts). */
  masking?: ReadonlySet<PersonalDataKind> | undefined;
  now?: () => number;
}

export class WriteDesk {
  private acting: Promise<string> | undefined;
  private readonly now: () => number;
  /** On a masked copy: each handle's write as it will be sent, by the handle's hash, until it expires. */
  private readonly unmasked = new Map<string, { request: IntercomWrite; expiresAt: number }>();

  constructor(
    private readonly store: Store,
    private readonly api: IntercomApi,
    private readonly logger: Logger,
    private readonly opts: DeskOptions = {},
  ) {
    this.now = opts.now ?? nowSeconds;
  }

  /** The admin id writes are made as: read once, from the copy's admins or the token's own (`/me`). */
  actingAdmin(): Promise<string> {
    this.acting ??= fromIntercom('the admin writes are made as', this.resolveAdmin()).catch((e: unknown) => {
      this.acting = undefined;
      throw e;
    });
    return this.acting;
  }

  private async resolveAdmin(): Promise<string> {
    const writeAs = this.opts.writeAs;
    if (writeAs === undefined) return (await this.api.me()).id;
    const found = await this.store.findReference('admin', writeAs);
    if (found.length === 1) return found[0]!.id;
    throw new WriteRefused(
      found.length
        ? `The admin writes are made as (--write-as ${writeAs}) names ${found.length} admins: give an id or an email.`
        : `No admin ${writeAs} in the copy (--write-as, FASTINTERCOM_WRITE_AS): give an admin's id or email, or sync first.`,
    );
  }

  /**
   * A ticket state by its id, its name (any case) or its category (`resolved`: the category's first
   * state, Intercom's default), read from Intercom: the copy keeps no list of states.
   */
  async ticketState(text: string): Promise<TicketState> {
    const wanted = text
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    const states = (await fromIntercom('the ticket states', this.api.listTicketStates())).data.filter(
      (s) => !s.archived,
    );
    const found =
      states.find((s) => s.id === text.trim()) ??
      states.find((s) => (s.internal_label ?? '').toLowerCase().replace(/[\s-]+/g, '_') === wanted) ??
      states.find((s) => s.category === wanted);
    if (!found)
      throw new WriteRefused(
        `No ticket state ${text.trim().slice(0, 60)}: the states are ${states.map((s) => `${s.internal_label ?? s.id} (${s.category})`).join(', ')}.`,
      );
    return { id: found.id, label: found.internal_label ?? null, category: found.category };
  }

  /** Refuses, naming the permission, a caller who may not make this write. */
  checkPermission(caller: Caller, plan: Pick<WritePlan, 'customerVisible'>): void {
    const permission = needs(plan);
    if (caller.permissions.has(permission)) return;
    throw new WriteRefused(
      `Refused: this write needs the '${permission}' permission, which your access token does not carry ` +
        `(OAuth scope ${permission === 'reply' ? REPLY_SCOPE : WRITE_SCOPE}). Nothing was written.`,
    );
  }

  /** The plan of a write, previewed; recorded with a handle unless it is a dry run or changes nothing. */
  async preview(caller: Caller, target: TargetNow, action: WriteAction, dryRun: boolean): Promise<Preview> {
    const plan = planWrite(target, action, await this.actingAdmin());
    this.checkPermission(caller, plan);
    if (dryRun || plan.unchanged) return { plan };
    const handle = HANDLE_PREFIX + randomBytes(18).toString('base64url');
    const createdAt = this.now();
    const expiresAt = createdAt + HANDLE_TTL_SECONDS;
    const masking = this.opts.masking;
    const recorded = masking ? maskedRecord(plan, masking) : plan;
    if (masking) {
      for (const [hash, kept] of this.unmasked) if (kept.expiresAt <= createdAt) this.unmasked.delete(hash);
      this.unmasked.set(hashOf(handle), { request: plan.request, expiresAt });
    }
    await this.store.recordPreview({
      handleHash: hashOf(handle),
      principal: caller.principal,
      action: plan.name,
      targetType: target.type,
      targetId: target.id,
      preview: recorded as unknown as Record<string, unknown>,
      request: recorded.request,
      createdAt,
      expiresAt,
    });
    return { plan, handle, expiresAt };
  }

  /** Sends the previewed write, once, if `handle` is this caller's, unused and not expired. */
  async confirm(caller: Caller, handle: string): Promise<Performed> {
    const hash = hashOf(handle.trim());
    const request = this.opts.masking ? this.unmasked.get(hash)?.request : undefined;
    if (this.opts.masking && !request)
      throw new WriteRefused(
        'Refused: no preview has this confirmation handle on this server. This copy keeps customers’ personal data out, so a preview’s text is kept only by the server that showed it, for its 10 minutes. Nothing was written: preview the write again.',
      );
    // Known before the claim: a handle is used up only by a write that can be sent.
    const adminId = await this.actingAdmin();
    const claim = await this.store.claimWrite(hash, caller.principal, this.now());
    if (!claim.claimed) throw new WriteRefused(refusal(claim.reason, claim.entry));
    const { entry } = claim;
    const plan = entry.preview as unknown as WritePlan;
    try {
      this.checkPermission(caller, plan);
    } catch (e) {
      await this.store.finishWrite(entry.id, {
        status: 'failed',
        error: (e as Error).message,
        at: this.now(),
      });
      throw e;
    }
    return this.send(entry, plan, request ?? entry.request, adminId);
  }

  private async send(
    entry: AuditEntry,
    plan: WritePlan,
    request: IntercomWrite,
    adminId: string,
  ): Promise<Performed> {
    const sentAt = this.now();
    const { method, path, body } = request;
    let lost = '';
    for (let send = 1; send <= MAX_SENDS; send++) {
      try {
        const answer = await this.api.write(method, path, body);
        return await this.settle(entry, plan, answer, false);
      } catch (e) {
        if (!(e instanceof IntercomApiError) || !RETRYABLE.has(e.kind)) return this.fail(entry, e);
        lost = e.message;
        this.logger.warn(
          `write ${entry.id} (${plan.name}): no answer (${e.message}); reading the target back`,
        );
      }
      let back: ReadBack | undefined;
      try {
        back = await this.readBack(plan);
      } catch (e) {
        return this.fail(entry, e, 'the write may or may not have landed: check the target in Intercom');
      }
      if (back && writeLanded(plan, back, adminId, sentAt)) return this.settle(entry, plan, null, true, back);
    }
    return this.fail(entry, new Error(`Intercom did not take the write in ${MAX_SENDS} tries: ${lost}`));
  }

  private async fail(entry: AuditEntry, e: unknown, note?: string): Promise<never> {
    const message = `${e instanceof Error ? e.message : String(e)}${note ? ` (${note})` : ''}`;
    await this.store.finishWrite(entry.id, { status: 'failed', error: message, at: this.now() });
    throw new WriteRefused(`The write failed: ${message}. The audit trail has it as write ${entry.id}.`);
  }

  private async readBack(plan: WritePlan): Promise<ReadBack | undefined> {
    const id = plan.target.id;
    if (plan.target.type === 'conversation') {
      const record = await this.api.getConversation(id);
      return record ? { type: 'conversation', record } : undefined;
    }
    const record = await this.api.getTicket(id);
    return record ? { type: 'ticket', record } : undefined;
  }

  /** Records the outcome, then reads the target back into the copy (a failure there loses nothing). */
  private async settle(
    entry: AuditEntry,
    plan: WritePlan,
    answer: ApiWriteAnswer | null,
    recovered: boolean,
    back?: ReadBack,
  ): Promise<Performed> {
    const at = this.now();
    await this.store.finishWrite(entry.id, {
      status: 'done',
      answer: answer ?? {
        recovered: 'the answer was lost; reading the target back found the write had landed',
      },
      at,
    });
    let copyUpdated = false;
    try {
      const fresh = back ?? (await this.readBack(plan));
      if (fresh?.type === 'conversation') {
        await new ReferenceData(this.api, this.store).ensureKnown([fresh.record], at);
        await this.store.saveConversations([toConversationRecord(fresh.record)]);
        copyUpdated = true;
      } else if (fresh?.type === 'ticket') {
        // Loaded when needed, as the syncs load it: its HTML converter is not small.
        const { toTicketRecord } = await import('../sync/ticket-mapping.js');
        await this.store.saveTickets([toTicketRecord(fresh.record)]);
        copyUpdated = true;
      }
    } catch (e) {
      this.logger.warn(
        `write ${entry.id}: done, but the copy could not be updated now: ${(e as Error).message}`,
      );
    }
    return {
      entry: { ...entry, status: 'done', finishedAt: at, answer },
      answer,
      recovered,
      copyUpdated,
    };
  }
}

function refusal(reason: 'unknown' | 'expired' | 'another-caller' | 'used', entry?: AuditEntry): string {
  const again = 'Nothing was written: preview the write again for a new handle.';
  switch (reason) {
    case 'unknown':
    case 'another-caller':
      return `Refused: no preview has this confirmation handle for you. ${again}`;
    case 'expired':
      return `Refused: the handle expired at ${new Date(entry!.expiresAt * 1000).toISOString()} (handles last ${HANDLE_TTL_SECONDS / 60} minutes). ${again}`;
    case 'used':
      return entry!.status === 'sending'
        ? `Refused: this handle was already confirmed and its write (audit ${entry!.id}) is being sent; it will not be sent twice.`
        : `Refused: this handle was already used: the write (audit ${entry!.id}) ${entry!.status === 'done' ? 'was done' : `failed: ${entry!.error ?? ''}`} at ${new Date((entry!.finishedAt ?? entry!.confirmedAt ?? 0) * 1000).toISOString()}. It is not sent twice.`;
  }
}
