/** get_conversation: one whole thread, bounded, with a part cursor to page back through a long one. */
import { z } from 'zod';
import type { Budget } from '../budget.js';
import { answering } from '../deps.js';
import { FENCE_NOTE } from '../fence.js';
import { MAX_ID_CHARS, parseConversationId } from '../ids.js';
import { idText } from '../shapes.js';
import { decodePartCursor, threadShape, threadView } from '../thread-view.js';
import { ToolInputError } from '../tool-result.js';
import { defineTool, READ_ONLY } from './tool.js';

export const THREAD_BUDGET: Budget = { unit: 'tokens', max: 8000 };

export const getConversation = defineTool({
  name: 'get_conversation',
  title: 'Get one conversation',
  description:
    'One conversation with its thread in order (messages, replies, notes, assignments, snoozes, closes), ' +
    `with authors and times. At most ${THREAD_BUDGET.max} tokens by default: a long thread shows its opening message ` +
    `and latest parts; next_part_cursor pages back. ${FENCE_NOTE}`,
  input: {
    conversation_id: idText(MAX_ID_CHARS).describe('215468084, #215468084 or an Intercom inbox URL'),
    max_parts: z
      .number()
      .int()
      .min(1)
      .max(500)
      .optional()
      .describe('At most this many parts after the opening message'),
    max_chars: z
      .number()
      .int()
      .min(500)
      .max(400_000)
      .optional()
      .describe('At most this many characters of text'),
    part_cursor: z
      .string()
      .max(200)
      .optional()
      .describe('next_part_cursor from a previous answer: the earlier parts'),
  },
  output: threadShape,
  annotations: READ_ONLY,
  run: async (args, deps) => {
    const id = parseConversationId(args.conversation_id);
    // The thread, the settings and the copy's status are read at once: on PostgreSQL each is a
    // round trip.
    const [c, a, status] = await Promise.all([
      deps.store.getConversation(id),
      answering(deps),
      deps.store.status(),
    ]);
    if (!c)
      throw new ToolInputError(
        `No conversation ${id} in the local copy. Check the id, or run sync_conversations if it is new.`,
      );
    return threadView(c, a, {
      freshness: await a.freshness(undefined, status),
      budget: args.max_chars !== undefined ? { unit: 'chars', max: args.max_chars } : THREAD_BUDGET,
      ...(args.max_parts !== undefined ? { maxParts: args.max_parts } : {}),
      ...(args.part_cursor !== undefined ? { before: decodePartCursor(args.part_cursor, id) } : {}),
    });
  },
});
