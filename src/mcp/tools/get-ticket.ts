/** get_ticket: one ticket whole, by its id or the number the inbox shows, bounded like a thread. */
import { z } from 'zod';
import { answering } from '../deps.js';
import { FENCE_NOTE } from '../fence.js';
import { MAX_ID_CHARS, parseTicketRef } from '../ids.js';
import { idText } from '../shapes.js';
import { ticketShape, ticketView } from '../ticket-view.js';
import { ToolInputError } from '../tool-result.js';
import { THREAD_BUDGET } from './get-conversation.js';
import { refuseForbidden, ticketState } from './tickets.js';
import { defineTool, READ_ONLY } from './tool.js';

export const getTicket = defineTool({
  name: 'get_ticket',
  title: 'Get one ticket',
  description:
    'One ticket with its type, state, people, links, attributes and thread in order, ' +
    `attachments named; at most ${THREAD_BUDGET.max} tokens by default, the latest parts kept. ${FENCE_NOTE}`,
  input: {
    ticket_id: idText(MAX_ID_CHARS).describe('Its id, its inbox number (#22) or inbox URL'),
    max_chars: z.number().int().min(500).max(400_000).optional().describe('At most this many characters'),
  },
  output: ticketShape,
  annotations: READ_ONLY,
  run: async (args, deps) => {
    const ref = parseTicketRef(args.ticket_id);
    const a = await answering(deps);
    const { freshness, forbidden } = await ticketState(deps, a);
    const ticket = await deps.store.getTicket(ref);
    if (!ticket) {
      refuseForbidden(forbidden, `No ticket ${ref}`);
      throw new ToolInputError(
        `No ticket with id or number ${ref} in the local copy. Check it, or run sync_conversations if it is new.`,
      );
    }
    return ticketView(ticket, a, {
      freshness,
      budget: args.max_chars !== undefined ? { unit: 'chars', max: args.max_chars } : THREAD_BUDGET,
    });
  },
});
