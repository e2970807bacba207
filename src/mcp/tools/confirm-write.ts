/**
 * confirm_write: makes the write a preview (act_on_conversation, act_on_ticket, reply_to_customer)
 * showed, with its handle: once, by the caller it was shown to, before it expires. A handle used
 * again, by anyone, is refused without writing. The answer says what Intercom answered and that the
 * copy already shows the change.
 */
import { z } from 'zod';
import { changeText, type WritePlan } from '../../actions/write-plan.js';
import { boundedText } from '../shapes.js';
import { defineTool } from './tool.js';
import { callerOf, deskOf } from './writes.js';

export const confirmWrite = defineTool({
  name: 'confirm_write',
  title: 'Make a previewed write',
  description:
    'Makes the write a preview showed, with its handle, once the person you act for has agreed to exactly ' +
    'that preview. A handle works once, for you, for 10 minutes.',
  input: { handle: boundedText(100).min(1) },
  output: {
    done: z.boolean(),
    audit_id: z.number(),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string() }),
    changes: z.array(z.object({ field: z.string(), from: z.string().optional(), to: z.string().optional() })),
    intercom: z
      .object({
        type: z.string().optional(),
        id: z.string().optional(),
        state: z.string().optional(),
        open: z.boolean().optional(),
      })
      .describe("Intercom's answer; empty when it was lost"),
    recovered: z.boolean().describe('The answer was lost and the write was found to have landed'),
    copy_updated: z.boolean(),
  },
  writes: 'internal',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  run: async (args, deps, extra) => {
    const done = await deskOf(deps).confirm(callerOf(extra), args.handle);
    const plan = done.entry.preview as unknown as WritePlan;
    const structured = {
      done: true,
      audit_id: done.entry.id,
      action: plan.name,
      target: { type: plan.target.type, id: plan.target.id },
      changes: plan.changes,
      intercom: {
        type: done.answer?.type ?? null,
        id: done.answer?.id ?? null,
        state: done.answer?.state ?? null,
        open: done.answer?.open ?? null,
      },
      recovered: done.recovered,
      copy_updated: done.copyUpdated,
    };
    const text = [
      `Done: ${plan.name} on ${plan.target.type} ${plan.target.id} (audit ${done.entry.id}).`,
      ...plan.changes.map((c) => `- ${changeText(c)}`),
      done.recovered
        ? "Intercom's answer was lost; reading the target back showed the write had landed, so it was not sent again."
        : `Intercom answered ${done.answer?.type ?? 'record'} ${done.answer?.id ?? ''}.`,
      done.copyUpdated
        ? 'The local copy already shows it.'
        : 'The local copy will show it after the next sync (reading it back failed; the log says why).',
    ].join('\n');
    return { text, structured };
  },
});
