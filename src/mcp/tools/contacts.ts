/** The contact shape both contact tools answer with. */
import { count } from '../../wording.js';
import { z } from 'zod';
import type { ContactSummary } from '../../store/types.js';
import type { Answering } from '../deps.js';
import { time, type Out } from '../shapes.js';

export const contactShape = z.object({
  id: z.string(),
  role: z.string().describe('user or lead'),
  name: z.string().optional(),
  email: z.string().optional(),
  external_id: z.string().optional(),
  created_at: time.optional(),
  conversations: z.number(),
  last_conversation_at: time.optional(),
});

export const contactOut = (c: ContactSummary, a: Answering): Out<typeof contactShape> => ({
  id: c.id,
  role: c.role,
  name: c.name,
  email: c.email,
  external_id: c.externalId,
  created_at: c.createdAt === null ? null : a.clock(c.createdAt),
  conversations: c.conversations,
  last_conversation_at: c.lastConversationAt === null ? null : a.clock(c.lastConversationAt),
});

export const contactLine = (c: Out<typeof contactShape>) =>
  `${c.name ?? 'anonymous'} <${c.email ?? 'no email'}> (${c.role}, id ${c.id}): ${count(c.conversations, 'conversation')}${c.last_conversation_at ? `, last ${c.last_conversation_at}` : ''}`;
