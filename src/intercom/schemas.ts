/**
 * The parts of Intercom's responses the product uses, parsed once at the edge. Ids arrive as
 * strings or numbers depending on the endpoint, so they are normalised to strings here, and every
 * string is made storable (storable-text.ts).
 */
import { z } from 'zod';
import { storableText } from './storable-text.js';

/** Every string the copy keeps goes through here (see storable-text.ts). */
const text = z.string().transform(storableText);
const id = z.union([z.string(), z.number()]).transform((v) => storableText(String(v)));
const ts = z.number().int();

export const authorSchema = z.object({
  type: text,
  id: id.nullish(),
  name: text.nullish(),
  email: text.nullish(),
});

const attachmentSchema = z.object({
  name: text.nullish(),
  url: text.nullish(),
  content_type: text.nullish(),
  filesize: z.number().nullish(),
});

export const partSchema = z.object({
  id,
  part_type: text,
  body: text.nullish(),
  created_at: ts,
  author: authorSchema.nullish(),
  assigned_to: z.object({ type: text, id }).nullish(),
  attachments: z.array(attachmentSchema).nullish(),
});

export const conversationSchema = z.object({
  id,
  created_at: ts,
  updated_at: ts,
  title: text.nullish(),
  state: z.enum(['open', 'closed', 'snoozed']),
  read: z.boolean().nullish(),
  priority: text.nullish(),
  admin_assignee_id: id.nullish(),
  team_assignee_id: id.nullish(),
  waiting_since: ts.nullish(),
  snoozed_until: ts.nullish(),
  source: z
    .object({
      type: text,
      delivered_as: text.nullish(),
      subject: text.nullish(),
      body: text.nullish(),
      author: authorSchema.nullish(),
    })
    .nullish(),
  contacts: z.object({ contacts: z.array(z.object({ id })) }).nullish(),
  tags: z.object({ tags: z.array(z.object({ id, name: text })) }).nullish(),
  statistics: z
    .object({
      first_admin_reply_at: ts.nullish(),
      first_close_at: ts.nullish(),
      last_close_at: ts.nullish(),
      count_reopens: z.number().int().nullish(),
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
  role: text.nullish(),
  name: text.nullish(),
  email: text.nullish(),
  external_id: text.nullish(),
  created_at: ts.nullish(),
});
export type ApiContact = z.infer<typeof contactSchema>;

export const contactListSchema = z.object({
  data: z.array(contactSchema),
  total_count: z.number().int().nullish(),
  pages: pagesSchema,
});

export const adminListSchema = z.object({
  admins: z.array(z.object({ id, type: text.nullish(), name: text.nullish(), email: text.nullish() })),
});
export const teamListSchema = z.object({
  teams: z.array(z.object({ id, name: text, admin_ids: z.array(id).nullish() })),
});
export const tagListSchema = z.object({ data: z.array(z.object({ id, name: text })) });

/** One locale's content of an article: what `translated_content` holds per locale. */
const articleContentSchema = z.object({
  title: text.nullish(),
  description: text.nullish(),
  body: text.nullish(),
  state: text.nullish(),
  url: text.nullish(),
  updated_at: ts.nullish(),
});

export const articleSchema = z.object({
  id,
  title: text.nullish(),
  description: text.nullish(),
  /** HTML: the article API has no plaintext rendering. */
  body: text.nullish(),
  author_id: id.nullish(),
  state: z.enum(['published', 'draft']),
  created_at: ts,
  updated_at: ts,
  url: text.nullish(),
  parent_ids: z.array(id).nullish(),
  default_locale: text.nullish(),
  /** Locale → content, beside a `type` string; a locale without a translation may be null. */
  translated_content: z.record(z.string(), z.union([z.string(), articleContentSchema.nullable()])).nullish(),
});
export type ApiArticle = z.infer<typeof articleSchema>;

/** Page-numbered lists (articles, collections): `total_pages` says where they end. */
const numberedPagesSchema = z
  .object({ page: z.number().int().nullish(), total_pages: z.number().int().nullish() })
  .nullish();

export const articleListSchema = z.object({
  data: z.array(articleSchema),
  total_count: z.number().int().nullish(),
  pages: numberedPagesSchema,
});
export type ApiArticleList = z.infer<typeof articleListSchema>;

export const collectionSchema = z.object({
  id,
  name: text,
  description: text.nullish(),
  url: text.nullish(),
  parent_id: id.nullish(),
  order: z.number().int().nullish(),
  updated_at: ts,
});
export type ApiCollection = z.infer<typeof collectionSchema>;

export const collectionListSchema = z.object({ data: z.array(collectionSchema), pages: numberedPagesSchema });

/**
 * A company. Custom attribute values are strings in the description and any scalar in Intercom's
 * own examples: all are kept. An empty `plan` is `{}`.
 */
export const companySchema = z.object({
  id,
  company_id: text.nullish(),
  name: text.nullish(),
  plan: z.object({ id: id.nullish(), name: text.nullish() }).nullish(),
  size: z.number().nullish(),
  website: text.nullish(),
  industry: text.nullish(),
  monthly_spend: z.number().nullish(),
  session_count: z.number().nullish(),
  user_count: z.number().int().nullish(),
  created_at: ts.nullish(),
  remote_created_at: ts.nullish(),
  updated_at: ts,
  last_request_at: ts.nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
  tags: z.object({ tags: z.array(z.object({ id, name: text })).nullish() }).nullish(),
});
export type ApiCompany = z.infer<typeof companySchema>;

/** A page of the companies scroll: an empty `data` is its end. */
export const companyScrollSchema = z.object({
  data: z.array(companySchema),
  scroll_param: z.string().nullish(),
});
export type ApiCompanyScroll = z.infer<typeof companyScrollSchema>;

/** A page of a company's contacts, page-numbered. */
export const companyContactsSchema = z.object({
  data: z.array(contactSchema),
  total_count: z.number().int().nullish(),
  pages: numberedPagesSchema,
});

/** A ticket part: replies and notes (HTML), state changes, assignments, attribute updates. */
const ticketPartSchema = z.object({
  id,
  part_type: text,
  body: text.nullish(),
  created_at: ts,
  author: authorSchema.nullish(),
  assigned_to: z.object({ type: text, id: id.nullish() }).nullish(),
  ticket_state: text.nullish(),
  attachments: z.array(attachmentSchema).nullish(),
  updated_attribute_data: z
    .object({
      attribute: z.object({ label: text }),
      value: z.object({ label: z.union([text, z.array(text)]).nullish() }),
    })
    .nullish(),
});

export const ticketSchema = z.object({
  id,
  /** The number the inbox shows; never used in a call. */
  ticket_id: id.nullish(),
  category: z.enum(['Customer', 'Back-office', 'Tracker']),
  ticket_attributes: z.record(z.string(), z.unknown()).nullish(),
  ticket_state: z
    .object({
      id: id.nullish(),
      category: z.enum(['submitted', 'in_progress', 'waiting_on_customer', 'resolved']),
      internal_label: text.nullish(),
    })
    .nullish(),
  ticket_type: z.object({ id }).nullish(),
  contacts: z.object({ contacts: z.array(z.object({ id })) }).nullish(),
  admin_assignee_id: id.nullish(),
  team_assignee_id: id.nullish(),
  created_at: ts,
  updated_at: ts,
  open: z.boolean().nullish(),
  snoozed_until: ts.nullish(),
  linked_objects: z.object({ data: z.array(z.object({ type: text, id })) }).nullish(),
  ticket_parts: z
    .object({ ticket_parts: z.array(ticketPartSchema), total_count: z.number().int().nullish() })
    .nullish(),
  is_shared: z.boolean().nullish(),
  previous_ticket_state_id: id.nullish(),
});
export type ApiTicket = z.infer<typeof ticketSchema>;

export const ticketListSchema = z.object({
  tickets: z.array(ticketSchema),
  total_count: z.number().int().nullish(),
  pages: z.object({ next: z.object({ starting_after: text.nullish() }).nullish() }).nullish(),
});
export type ApiTicketList = z.infer<typeof ticketListSchema>;

export const ticketTypeListSchema = z.object({
  data: z.array(
    z.object({
      id,
      category: z.enum(['Customer', 'Back-office', 'Tracker']),
      name: text,
      description: text.nullish(),
      archived: z.boolean().nullish(),
    }),
  ),
});
export type ApiTicketTypeList = z.infer<typeof ticketTypeListSchema>;

export const meSchema = z.object({
  id,
  name: text.nullish(),
  email: text.nullish(),
  app: z
    .object({
      id_code: text.nullish(),
      name: text.nullish(),
      region: text.nullish(),
      timezone: text.nullish(),
    })
    .nullish(),
});
export type ApiMe = z.infer<typeof meSchema>;

/**
 * What a write answers (a conversation, a ticket, a tag, a ticket part), as the audit trail keeps
 * it: the record's type, id and the fields a write changes, never its texts.
 */
export const writeAnswerSchema = z.object({
  type: text,
  id,
  state: text.nullish(),
  open: z.boolean().nullish(),
  part_type: text.nullish(),
  name: text.nullish(),
  admin_assignee_id: id.nullish(),
  team_assignee_id: id.nullish(),
  snoozed_until: ts.nullish(),
  updated_at: ts.nullish(),
});
export type ApiWriteAnswer = z.infer<typeof writeAnswerSchema>;

/** `GET /ticket_states`: every state a ticket can be in, each under its category. */
export const ticketStateListSchema = z.object({
  data: z.array(
    z.object({
      id,
      category: text,
      internal_label: text.nullish(),
      external_label: text.nullish(),
      archived: z.boolean().nullish(),
    }),
  ),
});
export type ApiTicketStateList = z.infer<typeof ticketStateListSchema>;
