/**
 * A conversation for a model: its header, then its messages in order, within a budget. A long
 * thread keeps its opening message and the latest parts that fit, and says how to page back
 * through the rest with a part cursor; customers' words are fenced.
 */
import { count } from '../wording.js';
import { z } from 'zod';
import type { ConversationView, ResolvedPart } from '../store/types.js';
import { subjectOf } from '../store/text-match.js';
import { countThatFit, cutToFit, fits, measure, type Budget } from './budget.js';
import { decodeCursorToken, encodeCursorToken } from './cursor.js';
import { attachmentLines } from './attachments.js';
import type { Answering } from './deps.js';
import { fenceConversation, fenceCustomer, isOutsider } from './fence.js';
import type { Freshness } from './freshness.js';
import { freshnessShape, personShape, teamShape, time, type Out } from './shapes.js';
import { ToolInputError } from './tool-result.js';

export const messageShape = z.object({
  index: z.number(),
  id: z.string().optional(),
  type: z.string().describe('opening, comment, note, assignment, close, …'),
  author: z.object({ type: z.string(), name: z.string().optional(), email: z.string().optional() }),
  created_at: time,
  body: z.string().optional(),
  assigned_to: z.string().optional(),
  attachments: z.array(z.string()).optional(),
});
type Message = Out<typeof messageShape> & { files?: ResolvedPart['attachments'] };

export const threadShape = {
  id: z.string(),
  url: z.string().optional(),
  subject: z.string(),
  state: z.string(),
  priority: z.boolean(),
  created_at: time,
  updated_at: time,
  customer: personShape.optional(),
  contacts: z.array(personShape),
  assignee: personShape.optional(),
  team: teamShape.optional(),
  tags: z.array(z.string()),
  deleted: z.boolean(),
  parts_total: z.number(),
  parts_stored: z.number(),
  truncated_by_api: z.boolean(),
  messages: z.array(messageShape),
  parts_shown: z.number(),
  capped: z.boolean().describe('Parts left out (budget or max_parts)'),
  next_part_cursor: z.string().optional().describe('part_cursor for the earlier parts'),
  freshness: freshnessShape,
};

export interface ThreadRequest {
  budget: Budget;
  /** How fresh the copy is: a thread read from it is as old as its last sync. */
  freshness: Freshness;
  maxParts?: number;
  /** Show only parts before this index (from a part cursor). */
  before?: number;
}

export const encodePartCursor = (id: string, before: number) => encodeCursorToken({ c: id, b: before });

export function decodePartCursor(cursor: string, id: string): number {
  const v = decodeCursorToken(cursor);
  if (v?.c !== id || typeof v.b !== 'number' || !Number.isInteger(v.b) || v.b < 1 || v.b > 100_000)
    throw new ToolInputError(`part_cursor is not one this server returned for conversation ${id}`);
  return v.b;
}

const authorLabel = (a: Message['author']) =>
  a.type === 'bot'
    ? `${a.name ?? 'Bot'} (bot)`
    : a.type === 'admin' || a.type === 'team'
      ? `${a.name ?? 'Teammate'} (teammate)`
      : `${a.name ?? a.email ?? 'Customer'} (customer)`;

function messages(c: ConversationView, a: Answering): Message[] {
  const person = (p: ResolvedPart['author']) => ({ type: p.type, name: p.name, email: p.email });
  return [
    {
      index: 0,
      id: null,
      type: 'opening',
      author: person(c.sourceAuthor),
      created_at: a.clock(c.createdAt),
      body: c.sourceBody,
      assigned_to: null,
    },
    ...c.parts.map((p, i) => ({
      index: i + 1,
      id: p.id,
      type: p.partType,
      author: person(p.author),
      created_at: a.clock(p.createdAt),
      body: p.body,
      assigned_to: p.assignedTo ? (p.assignedTo.name ?? p.assignedTo.id) : null,
      attachments: p.attachments.length ? p.attachments.map((f) => f.name) : null,
      files: p.attachments,
    })),
  ];
}

function renderMessage(m: Message, body = m.body): string {
  const fenced = body ? `: ${isOutsider(m.author.type) ? fenceCustomer(body) : body}` : '';
  const assigned = m.type.startsWith('assign') && m.assigned_to ? ` → ${m.assigned_to}` : '';
  return `[${m.created_at}] ${authorLabel(m.author)} · ${m.type}${assigned}${fenced}${attachmentLines(m.files ?? [])}`;
}

export function threadView(c: ConversationView, a: Answering, req: ThreadRequest) {
  const subject = subjectOf(c);
  const all = messages(c, a);
  const contacts = c.contacts.map((k) => ({ id: k.id, name: k.name, email: k.email }));
  const url = a.url(c.id);
  const header = [
    `Conversation #${c.id}${c.deletedAt ? ' (deleted in Intercom)' : ''}: ${fenceConversation(subject.slice(0, 200))}`,
    ...(url ? [`Link: ${url}`] : []),
    `State: ${c.state}${c.priority ? ', priority' : ''} · created ${a.clock(c.createdAt)} · updated ${a.clock(c.updatedAt)}`,
    req.freshness.note,
    `Customer: ${contacts.map((k) => `${k.name ?? 'anonymous'}${k.email ? ` <${k.email}>` : ''}`).join(', ') || 'none'}`,
    `Assignee: ${c.adminAssignee ? (c.adminAssignee.name ?? `admin ${c.adminAssignee.id}`) : 'unassigned'}${c.teamAssignee ? ` · team ${c.teamAssignee.name ?? c.teamAssignee.id}` : ''}${c.tags.length ? ` · tags: ${c.tags.map((t) => t.name).join(', ')}` : ''}`,
    ...(c.parts.length < c.partsTotal
      ? [
          `Note: Intercom returns at most 500 parts; ${c.partsTotal - c.parts.length} older parts of ${c.partsTotal} are not stored.`,
        ]
      : []),
  ].join('\n');

  // The candidates: the opening message (unless paging back), then the latest parts first.
  const before = Math.min(req.before ?? all.length, all.length);
  const opening = req.before === undefined ? all[0]! : undefined;
  let latest = all.slice(1, before).reverse();
  if (req.maxParts !== undefined) latest = latest.slice(0, req.maxParts);
  const gapNote = (first: number, last: number, cursor: string) =>
    `… ${count(last - first + 1, 'earlier part')} (${first}–${last}) not shown: call get_conversation with part_cursor "${cursor}" to read them.`;
  const reserve = gapNote(99999, 99999, encodePartCursor(c.id, 99999));

  const compose = (n: number, openingBody?: string | null) => {
    const shown = latest.slice(0, n).reverse();
    const lowest = shown[0]?.index ?? before;
    const hidden = lowest - 1 >= 1 ? { first: 1, last: lowest - 1 } : undefined;
    const cursor = hidden ? encodePartCursor(c.id, lowest) : null;
    const lines = [
      header,
      '',
      ...(opening ? [renderMessage(opening, openingBody === undefined ? opening.body : openingBody)] : []),
      ...(hidden && cursor ? [gapNote(hidden.first, hidden.last, cursor)] : []),
      ...shown.map((m) => renderMessage(m)),
    ];
    return { text: lines.join('\n'), shown, cursor };
  };

  const base = [header, '', ...(opening ? [renderMessage(opening)] : []), reserve].join('\n');
  let n = countThatFit(
    base,
    latest.map((m) => renderMessage(m)),
    req.budget,
  );
  let view = compose(n);
  while (n > 0 && !fits(view.text, req.budget)) view = compose(--n);
  let cut = false;
  let openingShown = opening;
  if (!fits(view.text, req.budget)) {
    // Not even the opening message fits whole: keep its start.
    const room = Math.max(0, req.budget.max - measure(compose(0, '').text, req.budget.unit) - 1);
    const body = cutToFit(opening?.body ?? '', '…', { unit: req.budget.unit, max: room });
    view = compose(0, body);
    if (!fits(view.text, req.budget)) view = { ...view, text: cutToFit(view.text, '…', req.budget) };
    if (opening) openingShown = { ...opening, body };
    cut = true;
  }
  // The files go into the text; the structured messages name them.
  const shownMessages = [...(openingShown ? [openingShown] : []), ...view.shown].map(
    ({ files: _, ...m }) => m,
  );
  return {
    text: view.text,
    structured: {
      id: c.id,
      url,
      subject,
      state: c.state,
      priority: c.priority,
      created_at: a.clock(c.createdAt),
      updated_at: a.clock(c.updatedAt),
      customer: contacts[0] ?? null,
      contacts,
      assignee: c.adminAssignee,
      team: c.teamAssignee,
      tags: c.tags.map((t) => t.name),
      deleted: c.deletedAt !== null,
      parts_total: c.partsTotal,
      parts_stored: c.parts.length,
      truncated_by_api: c.parts.length < c.partsTotal,
      messages: shownMessages,
      parts_shown: view.shown.length,
      capped: cut || view.shown.length < all.length - 1,
      next_part_cursor: view.cursor,
      freshness: req.freshness,
    },
  };
}
