/**
 * act_on_ticket: an internal change to one ticket (a note, its state, its assignee), previewed
 * from the copy. Nothing is written until confirm_write is called with the preview's handle.
 */
import { z } from 'zod';
import type { TicketAction } from '../../actions/write-plan.js';
import { MAX_ID_CHARS, parseTicketRef } from '../ids.js';
import { boundedText, idText } from '../shapes.js';
import { ToolInputError } from '../tool-result.js';
import { defineTool } from './tool.js';
import { deskOf, dryRunArg, previewed, previewShape, resolveAssignee, writeText } from './writes.js';

export const actOnTicket = defineTool({
  name: 'act_on_ticket',
  title: 'Change a ticket (preview)',
  description:
    'Previews an internal change to a ticket in Intercom: note (text), state (a state name such as ' +
    '"In progress" or a category such as resolved), assign (assignee: admin or team; "nobody"). Writes ' +
    'nothing: answers what will change and a handle; confirm_write makes the write once the person agrees.',
  input: {
    ticket_id: idText(MAX_ID_CHARS).describe('Its id, inbox number (#22) or inbox URL'),
    action: z.enum(['note', 'state', 'assign']),
    text: writeText.optional().describe('The note'),
    state: boundedText(200).optional(),
    assignee: boundedText(200).optional(),
    dry_run: dryRunArg,
  },
  output: previewShape,
  writes: 'internal',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: async (args, deps, extra) => {
    const ref = parseTicketRef(args.ticket_id);
    const act = async (): Promise<TicketAction> => {
      switch (args.action) {
        case 'note':
          if (args.text === undefined) throw new ToolInputError('note needs text');
          return { kind: 'note', text: args.text };
        case 'state': {
          if (args.state === undefined) throw new ToolInputError('state needs state');
          return { kind: 'state', state: await deskOf(deps).ticketState(args.state) };
        }
        case 'assign':
          if (args.assignee === undefined) throw new ToolInputError('assign needs assignee');
          return { kind: 'assign', to: await resolveAssignee(deps, args.assignee) };
      }
    };
    return previewed(deps, extra, 'ticket', ref, { target: 'ticket', ...(await act()) }, args.dry_run);
  },
});
