/** Conversation records to store directly, for tests of the store's own behaviour. */
import type { ConversationRecord, ConversationState, PartRecord } from '../../src/store/types.js';

const customer = { type: 'user' as const, id: 'u1', name: 'Ada', email: 'ada@example.com' };

export function conversationRecord(
  id: string,
  at: { createdAt: number; updatedAt: number },
  text: { subject: string; body: string },
  state: ConversationState = 'open',
): { conversation: ConversationRecord; parts: PartRecord[] } {
  return {
    conversation: {
      id,
      ...at,
      title: null,
      subject: text.subject,
      state,
      read: true,
      priority: false,
      adminAssigneeId: null,
      teamAssigneeId: null,
      waitingSince: null,
      snoozedUntil: null,
      sourceType: 'conversation',
      deliveredAs: 'customer_initiated',
      sourceBody: text.body,
      sourceAuthor: customer,
      contactIds: [],
      tagIds: [],
      partsTotal: 0,
      firstAdminReplyAt: null,
      firstCloseAt: null,
      lastCloseAt: null,
      reopens: null,
      rating: null,
      partsCountStat: null,
    },
    parts: [],
  };
}
