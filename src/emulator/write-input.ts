/**
 * What the write routes share: their bodies read with zod (a mistake answered with the API's 400
 * naming it), the acting admin checked, and a reply's text made the HTML Intercom stores.
 */
import { z } from 'zod';
import { ApiError, invalid } from './api-errors.js';
import type { Contact, Directory } from './directory.js';

/** Ids the API documents as strings and its own examples send as numbers. */
export const idRef = z.union([z.string().min(1), z.number().int()]).transform(String);

export function parseWrite<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw invalid(field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}

/** The admin a write is made as: a teammate of the workspace, else the API's 404. */
export function actingAdmin(dir: Directory, id: string): string {
  if (!dir.admin(id)) throw new ApiError(404, 'admin_not_found', `Admin ${id} Not Found`);
  return id;
}

/** An assignee: an admin or a team of the workspace, or `0` for nobody. */
export function assignee(dir: Directory, type: 'admin' | 'team', id: string): string {
  if (id === '0' || (type === 'admin' ? dir.admin(id) : dir.team(id))) return id;
  throw new ApiError(404, 'not_found', `${type === 'admin' ? 'Admin' : 'Team'} ${id} Not Found`);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Plain text becomes a paragraph, as Intercom's composer makes it; HTML is kept as sent. */
export function htmlBody(text: string): string {
  if (/^\s*</.test(text)) return text;
  return `<p>${text.replace(/[&<>]/g, (c) => ESCAPES[c]!)}</p>`;
}

const adminReply = z.object({
  type: z.literal('admin'),
  message_type: z.enum(['comment', 'note']),
  admin_id: idRef,
  body: z.string().min(1, 'body must be present for comment and note message types'),
  skip_notifications: z.boolean().optional(),
});
const contactReply = z.object({
  type: z.literal('user'),
  message_type: z.literal('comment'),
  intercom_user_id: z.string().optional(),
  email: z.string().optional(),
  body: z.string().min(1, 'body must be present for comment message types'),
});
/** A reply or note (`POST …/reply`) by an admin, or a customer's reply. */
export const replyBody = z.discriminatedUnion('type', [adminReply, contactReply]);

/**
 * A customer's reply must name the customer it is from; in the emulator, the conversation's or
 * ticket's own (its threads have one customer each).
 */
export function checkCustomer(input: z.infer<typeof contactReply>, customer: Contact): void {
  const named = input.intercom_user_id ?? input.email;
  if (named === undefined) throw invalid('intercom_user_id or email is required for a user reply');
  if (named !== customer.id && named !== customer.email)
    throw new ApiError(404, 'not_found', 'User Not Found');
}
