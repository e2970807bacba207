/** Readable renderings of tool results: short, for a model to read, not megabytes of JSON. */
import type { SearchPage } from '../store/conversation-search.js';
import type { ConversationView, ResolvedPart } from '../store/types.js';

const iso = (t: number | null) =>
  t ? new Date(t * 1000).toISOString().replace(':00.000Z', 'Z').replace('.000Z', 'Z') : '-';

export function renderHits({ hits, total, ranked }: SearchPage, note: string): string {
  if (hits.length === 0) return `No conversations found. ${note}`;
  const lines = [`${total} conversation${total === 1 ? '' : 's'} match; showing ${hits.length}. ${note}`];
  if (ranked !== undefined)
    lines.push(
      `Ranked by relevance among the ${ranked} most recently synced matches; narrow the timeframe or filters, or sort by newest, to reach the rest.`,
    );
  for (const h of hits) {
    const who = h.customer ? (h.customer.name ?? h.customer.email ?? 'anonymous') : 'no contact';
    lines.push(
      `\n#${h.id} · ${h.state} · ${who}${h.customer?.email && h.customer.name ? ` <${h.customer.email}>` : ''} · updated ${iso(h.updatedAt)} · ${h.messageCount} message${h.messageCount === 1 ? '' : 's'}`,
      `  ${h.subject}`,
      `  assignee: ${h.assignee ?? 'unassigned'}${h.team ? ` (${h.team})` : ''}${h.tags.length ? ` · tags: ${h.tags.join(', ')}` : ''}`,
      `  ${h.snippet}`,
    );
  }
  return lines.join('\n');
}

export function authorLabel(p: Pick<ResolvedPart, 'author'>): string {
  const a = p.author;
  if (a.type === 'bot') return `${a.name ?? 'Bot'} (bot)`;
  if (a.type === 'admin' || a.type === 'team') return `${a.name ?? 'Teammate'} (teammate)`;
  return `${a.name ?? a.email ?? 'Customer'} (customer)`;
}

export interface ThreadLimits {
  maxParts?: number;
  maxChars?: number;
}

/** The thread in order; with limits, the most recent parts that fit, saying what was left out. */
export function renderThread(
  c: ConversationView,
  limits: ThreadLimits,
): { text: string; partsShown: number; capped: boolean } {
  const head = [
    `Conversation #${c.id}${c.deletedAt ? ' (deleted in Intercom)' : ''}: ${c.title ?? c.subject ?? '(no subject)'}`,
    `State: ${c.state}${c.priority ? ', priority' : ''} · created ${iso(c.createdAt)} · updated ${iso(c.updatedAt)}`,
    `Customer: ${c.contacts.map((k) => `${k.name ?? 'anonymous'}${k.email ? ` <${k.email}>` : ''}`).join(', ') || 'none'}`,
    `Assignee: ${c.adminAssignee?.name ?? 'unassigned'}${c.teamAssignee ? ` · team ${c.teamAssignee.name ?? c.teamAssignee.id}` : ''}${c.tags.length ? ` · tags: ${c.tags.map((t) => t.name).join(', ')}` : ''}`,
  ];
  if (c.parts.length < c.partsTotal) {
    head.push(
      `Note: Intercom returns at most 500 parts; ${c.partsTotal - c.parts.length} older parts of ${c.partsTotal} are not stored.`,
    );
  }
  const lines = [`[${iso(c.createdAt)}] ${authorLabel({ author: c.sourceAuthor })}: ${c.sourceBody ?? ''}`];
  for (const p of c.parts) {
    const body = p.body ? `: ${p.body}` : '';
    const assigned =
      p.partType.startsWith('assign') && p.assignedTo ? ` → ${p.assignedTo.name ?? p.assignedTo.id}` : '';
    lines.push(`[${iso(p.createdAt)}] ${authorLabel(p)} · ${p.partType}${assigned}${body}`);
  }
  let shown = lines;
  if (limits.maxParts !== undefined && shown.length > limits.maxParts + 1) {
    shown = [lines[0]!, ...lines.slice(lines.length - limits.maxParts)];
  }
  if (limits.maxChars !== undefined) {
    while (shown.length > 1 && shown.join('\n').length > limits.maxChars)
      shown = [shown[0]!, ...shown.slice(2)];
    if (shown.join('\n').length > limits.maxChars) shown = [shown.join('\n').slice(0, limits.maxChars) + '…'];
  }
  const capped = shown.length < lines.length || shown.join('\n').length < lines.join('\n').length;
  if (capped)
    head.push(
      `Showing ${shown.length - 1} of ${lines.length - 1} parts (the opening message and the most recent ones).`,
    );
  return { text: [...head, '', ...shown].join('\n'), partsShown: Math.max(0, shown.length - 1), capped };
}
