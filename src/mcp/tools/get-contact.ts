/** get_contact: one customer and their most recent conversations. */
import { z } from 'zod';
import { answering } from '../deps.js';
import { fenceConversation, fenceCustomer } from '../fence.js';
import { parseContactRef } from '../ids.js';
import { freshnessShape, idText, time } from '../shapes.js';
import { quote } from '../../wording.js';
import { ToolInputError } from '../tool-result.js';
import { contactLine, contactOut, contactShape } from './contacts.js';
import { defineTool, READ_ONLY } from './tool.js';

export const getContact = defineTool({
  name: 'get_contact',
  title: 'Get a contact',
  description:
    'One customer by id, exact email or Intercom contact URL, with their companies and 20 most recent conversations.',
  input: { contact: idText(500).describe('Contact id, exact email or Intercom contact URL') },
  output: {
    contact: contactShape,
    companies: z.array(z.object({ id: z.string(), name: z.string().optional() })),
    recent: z.array(
      z.object({
        id: z.string(),
        url: z.string().optional(),
        subject: z.string(),
        state: z.string(),
        updated_at: time,
      }),
    ),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  run: async (args, deps) => {
    const a = await answering(deps);
    const c = await deps.store.getContact(parseContactRef(args.contact));
    if (!c)
      throw new ToolInputError(
        `No contact ${quote(args.contact)} in the local copy (search_contacts finds partial matches).`,
      );
    const contact = contactOut(c, a);
    const recent = c.recent.map((r) => ({
      id: r.id,
      url: a.url(r.id),
      subject: r.subject,
      state: r.state,
      updated_at: a.clock(r.updatedAt),
    }));
    const fresh = await a.freshness();
    const companies = c.companies.map((k) => ({ id: k.id, name: k.name }));
    const text = [
      `${contactLine(contact)}. ${fresh.note}`,
      ...(companies.length
        ? [
            `Companies: ${companies.map((k) => `${fenceCustomer(k.name ?? '(no name)')} (${k.id})`).join(', ')}`,
          ]
        : []),
      ...recent.map((r) => `  #${r.id} [${r.state}] ${r.updated_at} ${fenceConversation(r.subject)}`),
    ].join('\n');
    return { text, structured: { contact, companies, recent, freshness: fresh } };
  },
});
