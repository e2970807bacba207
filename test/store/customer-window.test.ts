/**
 * A customer filter whose text names more than CUSTOMER_CONTACTS_BOUND contacts keeps their
 * CUSTOMER_WINDOW most recently updated conversations that pass the other filters, on every engine,
 * and says so; a narrower text is exact; the insights, which count, are never narrowed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CUSTOMER_CONTACTS_BOUND,
  CUSTOMER_WINDOW,
  type SearchParams,
  type Store,
} from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { conversationRecord } from '../helpers/records.js';

const T0 = 1_760_000_000;
const CONTACTS = CUSTOMER_CONTACTS_BOUND + 1;
/** More conversations than the window, each of its own contact; all but every tenth closed. */
const CONVERSATIONS = CUSTOMER_WINDOW + 300;

for (const engine of ENGINES)
  describe(`a customer filter naming thousands of contacts (${engine.name})`, () => {
    let store: Store;
    before(async () => {
      store = (await freshStore(engine)).store;
      await store.saveContacts(
        Array.from({ length: CONTACTS }, (_, i) => ({
          id: `k${i}`,
          name: `Customer ${i}`,
          email: `customer${i}@bigcorp.example`,
          role: 'user' as const,
          externalId: null,
          createdAt: T0,
        })),
      );
      await store.saveConversations(
        Array.from({ length: CONVERSATIONS }, (_, i) => {
          const r = conversationRecord(
            `conv-${i}`,
            { createdAt: T0 + i, updatedAt: T0 + i },
            { subject: `invoice question ${i}`, body: i % 2 ? 'refund please' : 'hello' },
            i % 10 === 0 ? 'open' : 'closed',
          );
          r.conversation.contactIds = [`k${i}`];
          return r;
        }),
      );
    });
    after(() => store.close());
    /** The oldest few of a customer's conversations the search keeps. */
    const oldest = (p: Omit<SearchParams, 'sort' | 'limit' | 'offset'>) =>
      store.searchConversations({ ...p, sort: 'oldest', limit: 5, offset: 0 });

    it('searches the newest window of their conversations that pass the other filters, and says so', async () => {
      const page = await oldest({ customer: 'bigcorp' });
      assert.equal(page.customerWindow, CUSTOMER_WINDOW);
      // The oldest of the newest CUSTOMER_WINDOW.
      assert.equal(page.hits[0]!.id, `conv-${CONVERSATIONS - CUSTOMER_WINDOW}`);
      const closed = await oldest({ customer: 'bigcorp', state: 'closed', text: 'refund' });
      assert.equal(closed.customerWindow, CUSTOMER_WINDOW);
      // The window is the newest CUSTOMER_WINDOW closed ones; "refund" is in the odd ones.
      const closedIds = Array.from({ length: CONVERSATIONS }, (_, i) => i).filter((i) => i % 10 !== 0);
      const windowStart = closedIds[closedIds.length - CUSTOMER_WINDOW]!;
      const expected = closedIds.filter((i) => i >= windowStart && i % 2 === 1);
      assert.equal(closed.hits[0]!.id, `conv-${expected[0]}`);
      assert.equal(closed.total, Math.min(expected.length, 1000));
    });

    it('a text naming few contacts, and the insights, are exact', async () => {
      const one = await oldest({ customer: 'customer7@' });
      assert.equal(one.customerWindow, undefined);
      assert.deepEqual(
        one.hits.map((h) => h.id),
        ['conv-7'],
      );
      const stats = await store.conversationStats({
        from: T0 - 1,
        to: T0 + CONVERSATIONS + 1,
        buckets: [T0 - 1],
        filters: { customer: 'bigcorp' },
      });
      assert.equal(stats.total, CONVERSATIONS);
    });
  });
