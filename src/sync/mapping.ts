/** From Intercom's response shapes (parsed in intercom/schemas.ts) to the store's records. */
import type { ApiContact, ApiConversation } from '../intercom/schemas.js';
import type {
  AttachmentRecord,
  AuthorType,
  ContactRecord,
  ConversationMetadata,
  ConversationRecord,
  PartRecord,
  Person,
  StoredVersion,
} from '../store/types.js';

const AUTHOR_TYPES = new Set<AuthorType>(['user', 'lead', 'contact', 'admin', 'bot', 'team']);

type ApiAuthor = NonNullable<NonNullable<ApiConversation['source']>['author']>;

export function toPerson(author: ApiAuthor | null | undefined): Person {
  if (!author) return { type: 'unknown', id: '', name: null, email: null };
  const type = AUTHOR_TYPES.has(author.type as AuthorType) ? (author.type as AuthorType) : 'unknown';
  return { type, id: author.id ?? '', name: author.name || null, email: author.email || null };
}

type ApiAttachment = NonNullable<
  NonNullable<ApiConversation['conversation_parts']>['conversation_parts'][number]['attachments']
>[number];

/** An attachment's metadata; its URL is signed and expires, so it is kept as Intercom gave it. */
export const toAttachment = (a: ApiAttachment): AttachmentRecord => ({
  name: a.name ?? 'attachment',
  url: a.url ?? '',
  contentType: a.content_type ?? null,
  size: a.filesize ?? null,
});

/** An assignee id, or null for none (2.16 sends 0 for no assignee). */
export const assigned = (id: string | null | undefined) => (id && id !== '0' ? id : null);

/** What a search item (a conversation without its parts) says that a thread read would too. */
export function toConversationMetadata(c: ApiConversation): ConversationMetadata {
  return {
    id: c.id,
    updatedAt: c.updated_at,
    title: c.title || null,
    state: c.state,
    read: c.read ?? false,
    // 2.14 said priority / not_priority; 2.16 gives a level, none when not prioritised.
    priority:
      c.priority !== undefined && c.priority !== null && !['none', 'not_priority'].includes(c.priority),
    adminAssigneeId: assigned(c.admin_assignee_id),
    teamAssigneeId: assigned(c.team_assignee_id),
    waitingSince: c.waiting_since ?? null,
    snoozedUntil: c.snoozed_until ?? null,
    tagIds: (c.tags?.tags ?? []).map((t) => t.id),
    firstAdminReplyAt: c.statistics?.first_admin_reply_at ?? null,
    firstCloseAt: c.statistics?.first_close_at ?? null,
    lastCloseAt: c.statistics?.last_close_at ?? null,
    reopens: c.statistics?.count_reopens ?? null,
    rating: c.conversation_rating?.rating ?? null,
  };
}

export function toConversationRecord(c: ApiConversation): {
  conversation: ConversationRecord;
  parts: PartRecord[];
} {
  const parts: PartRecord[] = (c.conversation_parts?.conversation_parts ?? []).map((p) => ({
    id: p.id,
    partType: p.part_type,
    body: p.body ?? null,
    createdAt: p.created_at,
    author: toPerson(p.author),
    assignedTo: p.assigned_to ? { type: p.assigned_to.type, id: p.assigned_to.id } : null,
    attachments: (p.attachments ?? []).map(toAttachment),
  }));
  const conversation: ConversationRecord = {
    ...toConversationMetadata(c),
    createdAt: c.created_at,
    subject: c.source?.subject || null,
    sourceType: c.source?.type ?? 'conversation',
    deliveredAs: c.source?.delivered_as ?? null,
    sourceBody: c.source?.body ?? null,
    sourceAuthor: toPerson(c.source?.author),
    contactIds: (c.contacts?.contacts ?? []).map((x) => x.id),
    partsTotal: c.conversation_parts?.total_count ?? parts.length,
    partsCountStat: c.statistics?.count_conversation_parts ?? null,
  };
  return { conversation, parts };
}

export function toContactRecord(c: ApiContact): ContactRecord {
  return {
    id: c.id,
    role: c.role ?? 'user',
    name: c.name ?? null,
    email: c.email ?? null,
    externalId: c.external_id ?? null,
    createdAt: c.created_at ?? null,
  };
}

/**
 * Whether a search item is the version already stored. Intercom's `updated_at` has whole seconds,
 * so a reply in the same second as the read that stored the conversation leaves it equal: a parts
 * count that differs from the stored one still says the thread changed.
 */
export function sameVersion(item: ApiConversation, stored: StoredVersion | undefined): boolean {
  if (stored === undefined || stored.updatedAt !== item.updated_at) return false;
  const count = item.statistics?.count_conversation_parts;
  return (
    count === undefined || count === null || stored.partsCountStat === null || count === stored.partsCountStat
  );
}

/**
 * A changed search item (or a webhook's conversation) whose count_conversation_parts equals the one stored with the last full
 * read added no part: its metadata is all that changed. Without a stored count, it is read whole.
 */
export function partsUnchanged(item: ApiConversation, stored: StoredVersion | undefined): boolean {
  const count = item.statistics?.count_conversation_parts;
  return (
    stored !== undefined &&
    stored.threadReadAt !== null &&
    stored.partsCountStat !== null &&
    count !== undefined &&
    count !== null &&
    count === stored.partsCountStat
  );
}
