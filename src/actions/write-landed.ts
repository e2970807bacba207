/**
 * Whether a write already landed, judged from the target read back from Intercom: what a write
 * whose answer was lost (a 5xx, a dropped connection, a time-out) is checked by before it is sent
 * again, so that a retried write posts once. A text is found as a part by the acting admin, of the
 * write's kind, made since the write was first sent (less the clocks' possible skew), whose text is
 * the one sent; a state, an assignee or a tag is found as the target now stands.
 */
import type { ApiConversation, ApiTicket } from '../intercom/schemas.js';
import type { WritePlan } from './write-plan.js';

/** How far Intercom's clock may be behind ours when a part's `created_at` is compared. */
export const SKEW_SECONDS = 120;

export type ReadBack =
  | { type: 'conversation'; record: ApiConversation }
  | { type: 'ticket'; record: ApiTicket };

interface PartLike {
  part_type: string;
  created_at: number;
  body?: string | null;
  author?: { type: string; id?: string | null } | null;
}

/** Words only: the API answers HTML or plaintext, with entities, whatever was sent. */
export function sameText(a: string, b: string): boolean {
  const words = (s: string) =>
    s
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim();
  return words(a) === words(b);
}

const unassigned = (id: string | null | undefined) =>
  id === undefined || id === null || id === '0' ? null : id;

function postedPart(
  parts: readonly PartLike[],
  kinds: string[],
  text: string,
  adminId: string,
  since: number,
) {
  return parts.some(
    (p) =>
      kinds.includes(p.part_type) &&
      p.created_at >= since - SKEW_SECONDS &&
      p.author?.type === 'admin' &&
      p.author.id === adminId &&
      sameText(p.body ?? '', text),
  );
}

/** Whether `plan`, first sent at `since` (epoch seconds) as `adminId`, shows in `back`. */
export function writeLanded(plan: WritePlan, back: ReadBack, adminId: string, since: number): boolean {
  const { action } = plan;
  if (action.target !== back.type) throw new Error(`A ${back.type} read back for a ${action.target} write`);
  const { record } = back;
  const parts: readonly PartLike[] =
    back.type === 'conversation'
      ? (back.record.conversation_parts?.conversation_parts ?? [])
      : (back.record.ticket_parts?.ticket_parts ?? []);
  const tags = back.type === 'conversation' ? (back.record.tags?.tags ?? []) : [];
  switch (action.kind) {
    case 'note':
      return postedPart(parts, ['note'], action.text, adminId, since);
    case 'reply':
      return postedPart(parts, ['comment'], action.text, adminId, since);
    case 'assign':
      return (
        unassigned(action.to.type === 'admin' ? record.admin_assignee_id : record.team_assignee_id) ===
        (action.to.who?.id ?? null)
      );
    case 'tag':
      return tags.some((t) => t.id === action.tag.id);
    case 'untag':
      return !tags.some((t) => t.id === action.tag.id);
    case 'close':
      return back.type === 'conversation' && back.record.state === 'closed';
    case 'snooze':
      return (
        back.type === 'conversation' &&
        back.record.state === 'snoozed' &&
        back.record.snoozed_until === action.until
      );
    case 'reopen':
      return back.type === 'conversation' && back.record.state === 'open';
    case 'state':
      return back.type === 'ticket' && back.record.ticket_state?.id === action.state.id;
  }
}
