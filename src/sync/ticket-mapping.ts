/**
 * Ticket records from Intercom's shapes. A ticket's title and description are its `_default_title_`
 * and `_default_description_` attributes; part bodies are HTML (the ticket API has no plaintext
 * rendering), made text as articles are (html-text.ts). A user's part author is a `user`.
 */
import type { ApiTicket, ApiTicketTypeList } from '../intercom/schemas.js';
import type { TicketPartRecord, TicketRecord, TicketTypeRecord } from '../store/types.js';
import { htmlText } from './html-text.js';
import { assigned, toAttachment, toPerson } from './mapping.js';

const attributeText = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;

export function toTicketRecord(t: ApiTicket): TicketRecord {
  const attributes = t.ticket_attributes ?? {};
  const parts: TicketPartRecord[] = (t.ticket_parts?.ticket_parts ?? []).map((p) => {
    const value = p.updated_attribute_data?.value.label;
    return {
      id: p.id,
      partType: p.part_type,
      body: p.body ? htmlText(p.body) || null : null,
      createdAt: p.created_at,
      author: toPerson(p.author),
      stateCategory: p.ticket_state ?? null,
      assignedTo: p.assigned_to?.id ? { type: p.assigned_to.type, id: p.assigned_to.id } : null,
      attribute: p.updated_attribute_data
        ? {
            name: p.updated_attribute_data.attribute.label,
            value: Array.isArray(value) ? value.join(', ') : (value ?? ''),
          }
        : null,
      attachments: (p.attachments ?? []).map(toAttachment),
    };
  });
  const state = t.ticket_state;
  return {
    id: t.id,
    number: t.ticket_id ?? null,
    typeId: t.ticket_type?.id ?? null,
    category: t.category,
    stateId: state?.id ?? null,
    // A ticket without a state object is taken by its open flag.
    stateCategory: state?.category ?? (t.open === false ? 'resolved' : 'submitted'),
    stateLabel: state?.internal_label ?? null,
    previousStateId: t.previous_ticket_state_id ?? null,
    open: t.open ?? state?.category !== 'resolved',
    title: attributeText(attributes._default_title_),
    description: attributeText(attributes._default_description_),
    attributes,
    adminAssigneeId: assigned(t.admin_assignee_id),
    teamAssigneeId: assigned(t.team_assignee_id),
    snoozedUntil: t.snoozed_until ?? null,
    isShared: t.is_shared ?? false,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    contactIds: (t.contacts?.contacts ?? []).map((c) => c.id),
    linked: (t.linked_objects?.data ?? [])
      .filter((l) => l.type === 'conversation' || l.type === 'ticket')
      .map((l) => ({ type: l.type as 'conversation' | 'ticket', id: l.id })),
    partsTotal: t.ticket_parts?.total_count ?? parts.length,
    parts,
  };
}

export const toTicketTypeRecords = (list: ApiTicketTypeList): TicketTypeRecord[] =>
  list.data.map((t) => ({
    id: t.id,
    category: t.category,
    name: t.name,
    description: t.description ?? null,
    archived: t.archived ?? false,
  }));
