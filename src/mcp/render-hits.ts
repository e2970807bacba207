/** Search results for a model: a few fenced lines per conversation, and the same hit as structured data. */
import { count } from '../wording.js';
import { z } from 'zod';
import type { SearchHit } from '../store/types.js';
import type { Answering } from './deps.js';
import { fenceConversation } from './fence.js';
import { time, type Out } from './shapes.js';

export const hitShape = z.object({
  id: z.string(),
  url: z.string().optional(),
  subject: z.string(),
  customer: z.object({ name: z.string().optional(), email: z.string().optional() }).optional(),
  state: z.string(),
  assignee: z.string().optional(),
  team: z.string().optional(),
  tags: z.array(z.string()),
  created_at: time,
  updated_at: time,
  message_count: z.number(),
  snippet: z.string(),
});
export type HitOut = Out<typeof hitShape>;

export function hitOut(h: SearchHit, a: Answering): HitOut {
  return {
    id: h.id,
    url: a.url(h.id),
    subject: h.subject,
    customer: h.customer,
    state: h.state,
    assignee: h.assignee,
    team: h.team,
    tags: h.tags,
    created_at: a.clock(h.createdAt),
    updated_at: a.clock(h.updatedAt),
    message_count: h.messageCount,
    snippet: h.snippet,
  };
}

/**
 * Whether the snippet already shows the subject: a conversation without a title is named by its
 * opening message's first line, which a snippet of that message repeats, and would cost its tokens twice.
 */
export function snippetShowsSubject(h: Pick<HitOut, 'subject' | 'snippet'>): boolean {
  const plain = (s: string) => s.replace(/\*\*/g, '').replace(/…/g, '').replace(/\s+/g, ' ').trim();
  const subject = plain(h.subject);
  return subject.length > 0 && plain(h.snippet).includes(subject);
}

export function renderHit(h: HitOut): string {
  const who = h.customer ? (h.customer.name ?? h.customer.email ?? 'anonymous') : 'no contact';
  const email = h.customer?.email && h.customer.name ? ` <${h.customer.email}>` : '';
  return [
    `#${h.id} · ${h.state} · ${who}${email} · updated ${h.updated_at} · ${count(h.message_count, 'message')}`,
    ...(snippetShowsSubject(h) ? [] : [`  ${fenceConversation(h.subject)}`]),
    `  assignee: ${h.assignee ?? 'unassigned'}${h.team ? ` (${h.team})` : ''}${h.tags.length ? ` · tags: ${h.tags.join(', ')}` : ''}`,
    `  ${fenceConversation(h.snippet)}`,
  ].join('\n');
}
