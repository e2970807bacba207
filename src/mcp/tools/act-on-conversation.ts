/**
 * act_on_conversation: an internal change to one conversation (a note, a tag added or removed, an
 * assignment, close, snooze, reopen), previewed from the copy. Nothing is written until
 * confirm_write is called with the preview's handle.
 */
import { z } from 'zod';
import type { ConversationAction } from '../../actions/write-plan.js';
import { MAX_MOMENT_CHARS, parseMoment } from '../../time/moment.js';
import { answering } from '../deps.js';
import { MAX_ID_CHARS, parseConversationId } from '../ids.js';
import { boundedText, idText } from '../shapes.js';
import { ToolInputError } from '../tool-result.js';
import { defineTool } from './tool.js';
import { dryRunArg, previewed, previewShape, resolveAssignee, resolveTag, writeText } from './writes.js';

const ACTIONS = ['note', 'tag', 'untag', 'assign', 'close', 'snooze', 'reopen'] as const;

function need<T>(value: T | undefined, what: string, action: string): T {
  if (value === undefined) throw new ToolInputError(`${action} needs ${what}`);
  return value;
}

export const actOnConversation = defineTool({
  name: 'act_on_conversation',
  title: 'Change a conversation (preview)',
  description:
    'Previews an internal change to a conversation in Intercom: note (text), tag or untag (tag), assign ' +
    '(assignee: admin or team name, email or id; "nobody", "no team"), close, snooze (until: "tomorrow 9am"), ' +
    'reopen. Writes nothing: answers what will change and a handle; confirm_write makes the write once the person agrees.',
  input: {
    conversation_id: idText(MAX_ID_CHARS).describe('Its id or inbox URL'),
    action: z.enum(ACTIONS),
    text: writeText.optional().describe('The note'),
    tag: boundedText(200).optional().describe('Tag name or id'),
    assignee: boundedText(200).optional(),
    until: boundedText(MAX_MOMENT_CHARS).optional().describe('When a snooze ends'),
    dry_run: dryRunArg,
  },
  output: previewShape,
  writes: 'internal',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: async (args, deps, extra) => {
    const id = parseConversationId(args.conversation_id);
    const act = async (): Promise<ConversationAction> => {
      switch (args.action) {
        case 'note':
          return { kind: 'note', text: need(args.text, 'text', 'note') };
        case 'tag':
        case 'untag':
          return { kind: args.action, tag: await resolveTag(deps, need(args.tag, 'tag', args.action)) };
        case 'assign':
          return {
            kind: 'assign',
            to: await resolveAssignee(deps, need(args.assignee, 'assignee', 'assign')),
          };
        case 'close':
          return { kind: 'close' };
        case 'snooze': {
          const { zone } = await answering(deps);
          return { kind: 'snooze', until: parseMoment(need(args.until, 'until', 'snooze'), zone) };
        }
        case 'reopen':
          return { kind: 'reopen' };
      }
    };
    return previewed(
      deps,
      extra,
      'conversation',
      id,
      { target: 'conversation', ...(await act()) },
      args.dry_run,
    );
  },
});
