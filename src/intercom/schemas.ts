/**
 * The parts of Intercom's responses the product uses, parsed once at the edge. Ids arrive as
 * strings or numbers depending on the endpoint, so they are normalised to strings here.
 */
import { z } from 'zod';

const id = z.union([z.string(), z.number()]).transform(String);
const ts = z.number().int();

export const authorSchema = z.object({
  type: z.string(),
  id: id.nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});

const attachmentSchema = z.object({
  name: z.string().nullish(),
  url: z.string().nullish(),
  content_type: z.string().nullish(),
});

export const partSchema = z.object({
  id,
  part_type: z.string(),
  body: z.string().nullish(),
  created_at: ts,
  author: authorSchema.nullish(),
  assigned_to: z.object({ type: z.string(), id }).nullish(),
  attachments: z.array(attachmentSchema).nullish(),
});

export const conversationSchema = z.object({
  id,
  created_at: ts,
  updated_at: ts,
  title: z.string().nullish(),
  state: z.enum(['open', 'closed', 'snoozed']),
  read: z.boolean().nullish(),
  priority: z.string().nullish(),
  admin_assignee_id: id.nullish(),
  team_assignee_id: id.nullish(),
  waiting_since: ts.nullish(),
  snoozed_until: ts.nullish(),
  source: z
    .object({
      type: z.string(),
      delivered_as: z.string().nullish(),
      subject: z.string().nullish(),
      body: z.string().nullish(),
      author: authorSchema.nullish(),
    })
    .nullish(),
  contacts: z.object({ contacts: z.array(z.object({ id })) }).nullish(),
  tags: z.object({ tags: z.array(z.object({ id, name: z.string() })) }).nullish(),
  statistics: z
    .object({
      first_admin_reply_at: ts.nullish(),
      first_close_at: ts.nullish(),
      last_close_at: ts.nullish(),
      count_conversation_parts: z.number().int().nullish(),
    })
    .nullish(),
  conversation_rating: z.object({ rating: z.number().nullish() }).nullish(),
  conversation_parts: z
    .object({ conversation_parts: z.array(partSchema), total_count: z.number().int() })
    .nullish(),
});
export type ApiConversation = z.infer<typeof conversationSchema>;

const pagesSchema = z
  .object({ next: z.object({ starting_after: z.string().nullish() }).nullish() })
  .nullish();

export const conversationListSchema = z.object({
  conversations: z.array(conversationSchema),
  total_count: z.number().int().nullish(),
  pages: pagesSchema,
});
export type ApiConversationList = z.infer<typeof conversationListSchema>;

/** `GET /conversations/deleted` (2.16): numbered pages of ids with when each was deleted. */
export const deletedConversationListSchema = z.object({
  conversations: z.array(z.object({ id, deleted_at: z.number().int() })),
  total_count: z.number().int().nullish(),
  pages: z
    .object({
      page: z.number().int().nullish(),
      total_pages: z.number().int().nullish(),
      next: z.string().nullish(),
    })
    .nullish(),
});
export type ApiDeletedConversationList = z.infer<typeof deletedConversationListSchema>;

export const contactSchema = z.object({
  id,
  role: z.string().nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  external_id: z.string().nullish(),
  created_at: ts.nullish(),
});
export type ApiContact = z.infer<typeof contactSchema>;

export const contactListSchema = z.object({
  data: z.array(contactSchema),
  total_count: z.number().int().nullish(),
  pages: pagesSchema,
});

export const adminListSchema = z.object({
  admins: z.array(
    z.object({ id, type: z.string().nullish(), name: z.string().nullish(), email: z.string().nullish() }),
  ),
});
export const teamListSchema = z.object({
  teams: z.array(z.object({ id, name: z.string(), admin_ids: z.array(id).nullish() })),
});
export const tagListSchema = z.object({ data: z.array(z.object({ id, name: z.string() })) });

export const meSchema = z.object({
  id,
  name: z.string().nullish(),
  email: z.string().nullish(),
  app: z
    .object({
      id_code: z.string().nullish(),
      name: z.string().nullish(),
      region: z.string().nullish(),
      timezone: z.string().nullish(),
    })
    .nullish(),
});
export type ApiMe = z.infer<typeof meSchema>;
