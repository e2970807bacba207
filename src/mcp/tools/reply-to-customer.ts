/**
 * reply_to_customer: a reply the customer sees, on a conversation or a ticket, as the configured
 * admin; listed only when replies are allowed (--allow-replies). Previewed from the copy; nothing is
 * sent until confirm_write is called with the preview's handle.
 */
import { MAX_ID_CHARS, parseConversationId, parseTicketRef } from '../ids.js';
import { idText } from '../shapes.js';
import { ToolInputError } from '../tool-result.js';
import { defineTool } from './tool.js';
import { dryRunArg, previewed, previewShape, writeText } from './writes.js';

export const replyToCustomer = defineTool({
  name: 'reply_to_customer',
  title: 'Reply to a customer (preview)',
  description:
    'Previews a reply the customer will see, on a conversation or a ticket. Sends nothing: answers the ' +
    'text and a handle; confirm_write sends it once the person agrees.',
  input: {
    conversation_id: idText(MAX_ID_CHARS).optional(),
    ticket_id: idText(MAX_ID_CHARS).optional(),
    text: writeText,
    dry_run: dryRunArg,
  },
  output: previewShape,
  writes: 'replies',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: async (args, deps, extra) => {
    if ((args.conversation_id === undefined) === (args.ticket_id === undefined))
      throw new ToolInputError('Give conversation_id or ticket_id, one of them');
    return args.conversation_id !== undefined
      ? previewed(
          deps,
          extra,
          'conversation',
          parseConversationId(args.conversation_id),
          { target: 'conversation', kind: 'reply', text: args.text },
          args.dry_run,
        )
      : previewed(
          deps,
          extra,
          'ticket',
          parseTicketRef(args.ticket_id!),
          { target: 'ticket', kind: 'reply', text: args.text },
          args.dry_run,
        );
  },
});
