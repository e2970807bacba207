/**
 * The conversation writes of the vendored description: replies and notes (`/reply`), close,
 * snooze, open and assignment (`/parts`), and tags. Each changes the workspace as the inbox would,
 * so the next read, search and webhook show it, and answers as the API does: the conversation, or
 * the tag.
 */
import { z } from 'zod';
import { ApiError, invalid, notFound } from './api-errors.js';
import type { ApiRoute } from './api-route.js';
import { renderConversation } from './render.js';
import {
  actingAdmin,
  assignee,
  checkCustomer,
  htmlBody,
  idRef,
  parseWrite,
  replyBody,
} from './write-input.js';
import type { ConversationSummary, Workspace } from './workspace.js';

const partBody = z.discriminatedUnion('message_type', [
  z.object({
    message_type: z.literal('close'),
    type: z.literal('admin'),
    admin_id: idRef,
    body: z.string().optional(),
  }),
  z.object({ message_type: z.literal('snoozed'), admin_id: idRef, snoozed_until: z.number().int() }),
  z.object({ message_type: z.literal('open'), admin_id: idRef }),
  z.object({
    message_type: z.literal('assignment'),
    type: z.enum(['admin', 'team']),
    admin_id: idRef,
    assignee_id: idRef,
    body: z.string().optional(),
  }),
]);

function live(ws: Workspace, id: string): ConversationSummary {
  const summary = ws.find(id);
  if (!summary) throw notFound('Conversation');
  return summary;
}

const answer = (ws: Workspace, summary: ConversationSummary | undefined) =>
  renderConversation(ws, summary!, { plaintext: false });

function reply(ws: Workspace, id: string, body: unknown) {
  const input = parseWrite(replyBody, body);
  const summary = live(ws, id);
  if (input.type === 'admin') {
    const adminId = actingAdmin(ws.directory, input.admin_id);
    return answer(
      ws,
      ws.addPart(id, {
        author: { kind: 'admin', adminId },
        partType: input.message_type,
        body: htmlBody(input.body),
      }),
    );
  }
  checkCustomer(input, ws.directory.contactById(summary.contactId)!);
  return answer(
    ws,
    ws.addPart(id, { author: { kind: 'contact' }, partType: 'comment', body: htmlBody(input.body) }),
  );
}

function part(ws: Workspace, id: string, body: unknown) {
  const input = parseWrite(partBody, body);
  live(ws, id);
  const author = { kind: 'admin' as const, adminId: actingAdmin(ws.directory, input.admin_id) };
  switch (input.message_type) {
    case 'close':
      return answer(
        ws,
        ws.addPart(id, {
          author,
          partType: 'close',
          state: 'closed',
          ...(input.body ? { body: htmlBody(input.body) } : {}),
        }),
      );
    case 'snoozed':
      if (input.snoozed_until <= ws.now())
        throw invalid('snoozed_until must be in the future', 'snoozed_until');
      return answer(
        ws,
        ws.addPart(id, { author, partType: 'snoozed', state: 'snoozed', snoozedUntil: input.snoozed_until }),
      );
    case 'open':
      return answer(ws, ws.addPart(id, { author, partType: 'open', state: 'open' }));
    case 'assignment':
      return answer(
        ws,
        ws.addPart(id, {
          author,
          partType: 'assignment',
          assignedTo: { type: input.type, id: assignee(ws.directory, input.type, input.assignee_id) },
          ...(input.body ? { body: htmlBody(input.body) } : {}),
        }),
      );
  }
}

function tagOf(ws: Workspace, tagId: string) {
  const tag = ws.directory.tag(tagId);
  if (!tag) throw new ApiError(404, 'tag_not_found', 'Tag not found');
  return tag;
}

/** The tag as the tagging answers it: with when and by whom it was applied. */
function applied(
  ws: Workspace,
  summary: ConversationSummary,
  tagId: string,
  fallback: { at: number; by: string },
) {
  const on = ws.plan(summary.index).tags.find((t) => t.tagId === tagId);
  return {
    type: 'tag',
    id: tagId,
    name: tagOf(ws, tagId).name,
    applied_at: on?.appliedAt ?? fallback.at,
    applied_by: { type: 'admin', id: on?.appliedBy ?? fallback.by },
  };
}

function addTag(ws: Workspace, id: string, body: unknown) {
  const input = parseWrite(z.object({ id: idRef, admin_id: idRef }), body);
  const summary = live(ws, id);
  tagOf(ws, input.id);
  const by = actingAdmin(ws.directory, input.admin_id);
  // Tagging twice changes nothing and answers the tag as first applied.
  const updated = summary.tagIds.includes(input.id) ? summary : ws.edit(id, { addTag: input.id, by })!;
  return applied(ws, updated, input.id, { at: ws.now(), by });
}

function removeTag(ws: Workspace, id: string, tagId: string, body: unknown) {
  const input = parseWrite(z.object({ admin_id: idRef }), body);
  const summary = live(ws, id);
  tagOf(ws, tagId);
  const by = actingAdmin(ws.directory, input.admin_id);
  // Removing a tag the conversation does not carry is refused, so a retried removal is answered 404.
  if (!summary.tagIds.includes(tagId)) throw new ApiError(404, 'tag_not_found', 'Tag not found');
  const tag = applied(ws, summary, tagId, { at: ws.now(), by });
  ws.edit(id, { removeTag: tagId });
  return tag;
}

export const CONVERSATION_WRITE_ROUTES: ApiRoute[] = [
  {
    method: 'POST',
    path: '/conversations/{conversation_id}/reply',
    writes: true,
    handle: (ws, req) => reply(ws, req.params.conversation_id!, req.body),
  },
  {
    method: 'POST',
    path: '/conversations/{conversation_id}/parts',
    writes: true,
    handle: (ws, req) => part(ws, req.params.conversation_id!, req.body),
  },
  {
    method: 'POST',
    path: '/conversations/{conversation_id}/tags',
    writes: true,
    handle: (ws, req) => addTag(ws, req.params.conversation_id!, req.body),
  },
  {
    method: 'DELETE',
    path: '/conversations/{conversation_id}/tags/{tag_id}',
    writes: true,
    handle: (ws, req) => removeTag(ws, req.params.conversation_id!, req.params.tag_id!, req.body),
  },
];
