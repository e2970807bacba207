/** search_contacts: customers by a part of their name or email. */
import { count } from '../../wording.js';
import { z } from 'zod';
import { answering } from '../deps.js';
import { customerArg, freshnessShape } from '../shapes.js';
import { quote } from '../../wording.js';
import { contactLine, contactOut, contactShape } from './contacts.js';
import { defineTool, READ_ONLY } from './tool.js';

export const searchContacts = defineTool({
  name: 'search_contacts',
  title: 'Search contacts',
  description:
    'Customers (users and leads) whose name or email contains the text (taken literally, % and _ included), most recently active first, ' +
    'with how many conversations each has had. At most 100 per answer.',
  input: { query: customerArg, limit: z.number().int().min(1).max(100).default(20) },
  output: { contacts: z.array(contactShape), freshness: freshnessShape },
  annotations: READ_ONLY,
  run: async (args, deps) => {
    const a = await answering(deps);
    const contacts = (await deps.store.searchContacts(args.query.trim(), args.limit)).map((c) =>
      contactOut(c, a),
    );
    const fresh = await a.freshness();
    const text =
      contacts.length === 0
        ? `No contact matches ${quote(args.query)}. ${fresh.note}`
        : [`${count(contacts.length, 'contact')} match. ${fresh.note}`, ...contacts.map(contactLine)].join(
            '\n',
          );
    return { text, structured: { contacts, freshness: fresh }, empty: contacts.length === 0 };
  },
});
