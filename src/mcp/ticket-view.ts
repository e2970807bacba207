/**
 * One ticket as a model reads it: what it is (type, state, people, links, attributes), its
 * description, and its thread in order, each part on its lines with its author and time, state
 * changes, assignments and attribute updates said in words, attachments named (never fetched).
 * Bounded by a budget: a long thread keeps the latest parts that fit and says how many it left out.
 */
import { z } from 'zod';
import type { TicketView } from '../store/types.js';
import { count } from '../wording.js';
import { countThatFit, cutToFit, type Budget } from './budget.js';
import { attachmentLines } from './attachments.js';
import type { Answering } from './deps.js';
import { fenceConversation, fenceCustomer, isOutsider } from './fence.js';
import type { Freshness } from './freshness.js';
import { freshnessShape, refName, time, type Out } from './shapes.js';

const attachmentShape = z.object({
  name: z.string(),
  url: z.string().describe('Expires'),
  content_type: z.string().optional(),
  size: z.number().optional(),
});

export const ticketShape = {
  id: z.string(),
  ticket_id: z.string().optional(),
  title: z.string().optional(),
  ticket_type: z.string().optional(),
  category: z.string(),
  state: z.string(),
  state_label: z.string().optional(),
  open: z.boolean(),
  assignee: z.string().optional(),
  team: z.string().optional(),
  contacts: z.array(z.object({ id: z.string(), name: z.string().optional(), email: z.string().optional() })),
  linked: z.array(z.object({ type: z.string(), id: z.string() })),
  attributes: z.record(z.string(), z.string()),
  created_at: time,
  updated_at: time,
  parts_total: z.number(),
  parts_shown: z.number(),
  attachments: z.array(attachmentShape),
  freshness: freshnessShape,
};

export type TicketAnswer = { text: string; structured: Out<z.ZodObject<typeof ticketShape>> };

function partLines(t: TicketView, a: Answering): string[] {
  return t.parts.map((p) => {
    const who = `${p.author.name ?? p.author.email ?? p.author.id} (${p.author.type})`;
    const what = p.body
      ? `${p.partType === 'note' ? 'note' : 'wrote'}: ${isOutsider(p.author.type) ? fenceCustomer(p.body) : fenceConversation(p.body)}`
      : p.assignedTo
        ? `assigned it to ${p.assignedTo.type} ${p.assignedTo.name ?? p.assignedTo.id}`
        : p.attribute
          ? `set ${p.attribute.name} to ${fenceConversation(p.attribute.value)}`
          : p.partType.startsWith('ticket_state')
            ? `moved it to ${p.stateCategory ?? 'a new state'}`
            : p.partType;
    return `[${a.clock(p.createdAt)}] ${who} ${what}${attachmentLines(p.attachments)}`;
  });
}

export function ticketView(
  t: TicketView,
  a: Answering,
  opts: { budget: Budget; freshness: Freshness },
): TicketAnswer {
  const attributes = Object.fromEntries(
    Object.entries(t.attributes)
      .filter(([k, v]) => !k.startsWith('_default_') && v !== null && typeof v !== 'object')
      .map(([k, v]) => [k, String(v)]),
  );
  const head = [
    `Ticket #${t.number ?? '?'} (id ${t.id}): ${fenceConversation(t.title ?? '(no title)')}`,
    `${t.type?.name ?? t.category} (${t.category}), ${t.stateLabel ?? t.stateCategory} (${t.stateCategory}), ${t.open ? 'open' : 'closed'}` +
      `${t.adminAssignee ? `, assigned to ${refName(t.adminAssignee)}` : ''}${t.teamAssignee ? `, team ${refName(t.teamAssignee)}` : ''}.`,
    t.contacts.length
      ? `Customers: ${t.contacts.map((c) => `${c.name ?? 'anonymous'} <${c.email ?? c.id}>`).join('; ')}.`
      : '',
    t.linked.length ? `Linked: ${t.linked.map((l) => `${l.type} ${l.id}`).join(', ')}.` : '',
    Object.keys(attributes).length
      ? `Attributes: ${Object.entries(attributes)
          .map(([k, v]) => `${k}: ${fenceConversation(v)}`)
          .join('; ')}.`
      : '',
    `Created ${a.clock(t.createdAt)}, updated ${a.clock(t.updatedAt)}. ${opts.freshness.note}`,
    t.description ? `Description: ${fenceConversation(t.description)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const lines = partLines(t, a);
  const omittedNote = (n: number) =>
    `\n… ${count(n, 'earlier part')} not shown${t.partsTotal > t.parts.length ? ` (and ${count(t.partsTotal - t.parts.length, 'part')} Intercom does not return)` : ''}; max_chars reads more.`;
  // The latest parts that fit, with room for the note of what was left out; the head is cut too
  // when not even it fits (max_chars counts every character).
  const shown = countThatFit(`${head}${omittedNote(t.parts.length)}\n`, [...lines].reverse(), opts.budget);
  const kept = t.parts.slice(t.parts.length - shown);
  const omitted = t.parts.length - shown;
  const base = `${head}${omitted > 0 ? omittedNote(omitted) : ''}\n`;
  const text =
    shown > 0
      ? `${base}\n${lines.slice(lines.length - shown).join('\n')}`
      : cutToFit(base.trimEnd(), '…', opts.budget);
  return {
    text,
    structured: {
      id: t.id,
      ticket_id: t.number,
      title: t.title,
      ticket_type: t.type?.name ?? t.type?.id ?? null,
      category: t.category,
      state: t.stateCategory,
      state_label: t.stateLabel,
      open: t.open,
      assignee: refName(t.adminAssignee),
      team: refName(t.teamAssignee),
      contacts: t.contacts,
      linked: t.linked,
      attributes,
      created_at: a.clock(t.createdAt),
      updated_at: a.clock(t.updatedAt),
      parts_total: t.partsTotal,
      parts_shown: shown,
      attachments: kept.flatMap((p) =>
        p.attachments.map((f) => ({ name: f.name, url: f.url, content_type: f.contentType, size: f.size })),
      ),
      freshness: opts.freshness,
    },
  };
}
