/**
 * Tickets in the store, on every engine: saved whole with their parts, contacts and links, read
 * back by the API's id or the inbox number, searched over the title, description and every part
 * with each filter, replaced when they change (their old text leaves the index), and deleted with
 * everything that was theirs; ticket types listed with their counts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store, TicketPartRecord, TicketRecord, TicketSearchParams } from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const T0 = 1_760_000_000;
const DAY = 86400;

const part = (n: number, over: Partial<TicketPartRecord> = {}): TicketPartRecord => ({
  id: `p${n}`,
  partType: 'comment',
  body: null,
  createdAt: T0 + n,
  author: { type: 'admin', id: 'a1', name: 'Ana Agent', email: 'ana@example.com' },
  stateCategory: 'in_progress',
  assignedTo: null,
  attribute: null,
  attachments: [],
  ...over,
});

function ticket(id: string, over: Partial<TicketRecord> = {}): TicketRecord {
  return {
    id,
    number: String(Number(id) - 1000),
    typeId: 'bug',
    category: 'Customer',
    stateId: '2',
    stateCategory: 'in_progress',
    stateLabel: 'In progress',
    previousStateId: '1',
    open: true,
    title: `Ticket ${id}`,
    description: null,
    attributes: { _default_title_: `Ticket ${id}`, Severity: 'High' },
    adminAssigneeId: 'a1',
    teamAssigneeId: 't1',
    snoozedUntil: null,
    isShared: true,
    createdAt: T0,
    updatedAt: T0 + DAY,
    contactIds: ['c1'],
    linked: [],
    partsTotal: 0,
    parts: [],
    ...over,
  };
}

const TICKETS: TicketRecord[] = [
  ticket('1001', {
    title: 'Export fails with a timeout',
    description: 'The CSV export of invoices never finishes.',
    linked: [{ type: 'conversation', id: '215468084' }],
    partsTotal: 3,
    parts: [
      part(1, { partType: 'assignment', assignedTo: { type: 'team', id: 't1' } }),
      part(2, { partType: 'note', body: 'Reproduced: the worker runs out of memory.' }),
      part(3, {
        body: 'Here is the screenshot.',
        author: { type: 'user', id: 'c1', name: 'Cleo Customer', email: 'cleo@acme.test' },
        attachments: [
          { name: 'shot.png', url: 'https://files.example/shot.png', contentType: 'image/png', size: 2048 },
        ],
      }),
    ],
  }),
  ticket('1002', {
    title: 'Refund for a duplicate charge',
    typeId: 'refund',
    category: 'Back-office',
    stateId: '4',
    stateCategory: 'waiting_on_customer',
    stateLabel: 'Waiting on customer',
    adminAssigneeId: 'a2',
    teamAssigneeId: 't2',
    contactIds: ['c2'],
    createdAt: T0 + 2 * DAY,
    updatedAt: T0 + 3 * DAY,
    partsTotal: 1,
    parts: [part(1, { body: 'Approved the refund of the duplicate charge.' })],
  }),
  ticket('1003', {
    title: 'Outage in the EU region',
    typeId: 'incident',
    category: 'Tracker',
    stateId: '6',
    stateCategory: 'resolved',
    stateLabel: "Won't fix",
    open: false,
    adminAssigneeId: null,
    teamAssigneeId: null,
    contactIds: [],
    updatedAt: T0 + 5 * DAY,
  }),
];

for (const engine of ENGINES)
  describe(`tickets in the store (${engine.name})`, () => {
    let store: Store;
    before(async () => {
      store = (await freshStore(engine)).store;
      await store.saveAdmins([
        { id: 'a1', type: 'admin', name: 'Ana Agent', email: 'ana@example.com' },
        { id: 'a2', type: 'admin', name: 'Bo Billing', email: 'bo@example.com' },
      ]);
      await store.saveTeams([
        { id: 't1', name: 'Technical', adminIds: ['a1'] },
        { id: 't2', name: 'Billing', adminIds: ['a2'] },
      ]);
      await store.saveContacts([
        {
          id: 'c1',
          role: 'user',
          name: 'Cleo Customer',
          email: 'cleo@acme.test',
          externalId: null,
          createdAt: T0,
        },
        {
          id: 'c2',
          role: 'user',
          name: 'Dan Doe',
          email: 'dan@globex.test',
          externalId: null,
          createdAt: T0,
        },
      ]);
      await store.saveTicketTypes([
        { id: 'bug', category: 'Customer', name: 'Bug report', description: null, archived: false },
        {
          id: 'refund',
          category: 'Back-office',
          name: 'Refund approval',
          description: null,
          archived: false,
        },
        { id: 'incident', category: 'Tracker', name: 'Incident', description: null, archived: false },
      ]);
      await store.saveTickets(TICKETS);
    });
    after(() => store.close());

    const ids = async (p: Partial<TicketSearchParams>) => {
      const page = await store.searchTickets({ sort: 'newest', limit: 10, offset: 0, ...p });
      assert.equal(page.total, page.hits.length, 'every match fits the page here');
      return page.hits.map((h) => h.id);
    };

    it('reads a ticket back whole by its id or its inbox number', async () => {
      const byId = await store.getTicket('1001');
      const byNumber = await store.getTicket('1');
      assert.deepEqual(byNumber, byId);
      const t = byId!;
      assert.equal(t.title, 'Export fails with a timeout');
      assert.deepEqual(t.type, { id: 'bug', name: 'Bug report' });
      assert.deepEqual(t.adminAssignee, { id: 'a1', name: 'Ana Agent' });
      assert.deepEqual(t.teamAssignee, { id: 't1', name: 'Technical' });
      assert.deepEqual(t.contacts, [{ id: 'c1', name: 'Cleo Customer', email: 'cleo@acme.test' }]);
      assert.deepEqual(t.linked, [{ type: 'conversation', id: '215468084' }]);
      assert.deepEqual(t.attributes, { _default_title_: 'Ticket 1001', Severity: 'High' });
      assert.equal(t.open, true);
      assert.equal(t.partsTotal, 3);
      assert.deepEqual(
        t.parts.map((p) => [p.id, p.partType, p.body]),
        TICKETS[0]!.parts.map((p) => [p.id, p.partType, p.body]),
      );
      assert.deepEqual(t.parts[0]!.assignedTo, { type: 'team', id: 't1', name: 'Technical' });
      assert.deepEqual(t.parts[2]!.attachments, TICKETS[0]!.parts[2]!.attachments);
      assert.deepEqual(t.parts[2]!.author, TICKETS[0]!.parts[2]!.author);
      assert.equal(await store.getTicket('999'), undefined);
    });

    it('searches the title, the description and every part, the title first', async () => {
      assert.deepEqual(await ids({ text: 'timeout' }), ['1001'], 'the title');
      assert.deepEqual(await ids({ text: 'invoices' }), ['1001'], 'the description');
      assert.deepEqual(await ids({ text: 'memory' }), ['1001'], 'a note');
      assert.deepEqual(await ids({ text: 'screenshot' }), ['1001'], 'a customer’s reply');
      assert.deepEqual(await ids({ text: 'zzqq' }), []);
      await store.saveTickets([
        ticket('1004', {
          title: 'Charges look odd',
          parts: [part(1, { body: 'A duplicate again.' })],
          partsTotal: 1,
        }),
      ]);
      const page = await store.searchTickets({ text: 'duplicate', sort: 'relevance', limit: 10, offset: 0 });
      assert.deepEqual(
        page.hits.map((h) => h.id),
        ['1002', '1004'],
        'a match in the title above one in a reply, whatever their age',
      );
      assert.match(page.hits[0]!.snippet, /\*\*duplicate\*\*/i);
      await store.deleteTickets(['1004']);
    });

    it('filters by state category or label, type, assignee, team, customer, open and time', async () => {
      assert.deepEqual(await ids({ stateCategory: 'in_progress' }), ['1001']);
      assert.deepEqual(await ids({ stateCategory: 'resolved' }), ['1003']);
      assert.deepEqual(await ids({ stateLabel: "won't FIX" }), ['1003']);
      assert.deepEqual(await ids({ typeId: 'refund' }), ['1002']);
      assert.deepEqual(await ids({ adminAssigneeId: 'a1' }), ['1001']);
      assert.deepEqual(await ids({ teamAssigneeId: 't2' }), ['1002']);
      assert.deepEqual(await ids({ customer: 'ACME' }), ['1001']);
      assert.deepEqual(await ids({ customer: 'dan doe' }), ['1002']);
      assert.deepEqual(await ids({ open: false }), ['1003']);
      assert.deepEqual(await ids({}), ['1003', '1002', '1001'], 'the most recently updated first');
      assert.deepEqual(await ids({ sort: 'oldest' }), ['1001', '1002', '1003']);
      // Active in the window: created before its end, updated at or after its start.
      assert.deepEqual(await ids({ from: T0 + 4 * DAY, to: T0 + 6 * DAY }), ['1003']);
      assert.deepEqual(await ids({ from: T0, to: T0 + DAY }), ['1003', '1001']);
      assert.deepEqual(await ids({ text: 'refund', stateCategory: 'in_progress' }), []);
      const hit = (await store.searchTickets({ typeId: 'refund', sort: 'newest', limit: 1, offset: 0 }))
        .hits[0]!;
      assert.deepEqual(
        [hit.number, hit.type, hit.stateLabel, hit.adminAssignee, hit.teamAssignee],
        [
          '2',
          'Refund approval',
          'Waiting on customer',
          { id: 'a2', name: 'Bo Billing' },
          { id: 't2', name: 'Billing' },
        ],
      );
    });

    it('replaces a changed ticket whole: its old text leaves the index, its versions move', async () => {
      const before = await store.ticketVersions();
      assert.deepEqual([...before.keys()].sort(), ['1001', '1002', '1003']);
      await store.saveTickets([
        ticket('1001', {
          title: 'Export fixed',
          updatedAt: T0 + 9 * DAY,
          contactIds: ['c2'],
          partsTotal: 1,
          parts: [part(1, { body: 'Deployed the fix.' })],
        }),
      ]);
      assert.equal((await store.ticketVersions()).get('1001'), T0 + 9 * DAY);
      assert.deepEqual(await ids({ text: 'memory' }), [], 'the old parts are gone from the index');
      assert.deepEqual(await ids({ text: 'timeout' }), [], 'the old title too');
      assert.deepEqual(await ids({ text: 'deployed' }), ['1001']);
      assert.deepEqual(await ids({ customer: 'acme' }), [], 'the old contact link is gone');
      const t = await store.getTicket('1001');
      assert.equal(t!.parts.length, 1);
      assert.deepEqual(t!.linked, []);
    });

    it('deletes tickets with their parts, contacts and links, and counts types', async () => {
      const types = await store.ticketTypes();
      assert.deepEqual(
        types.map((t) => [t.name, t.tickets, t.open]),
        [
          ['Bug report', 1, 1],
          ['Incident', 1, 0],
          ['Refund approval', 1, 1],
        ],
      );
      await store.deleteTickets(['1001', '1003']);
      assert.deepEqual([...(await store.ticketVersions()).keys()], ['1002']);
      assert.equal(await store.getTicket('1001'), undefined);
      assert.deepEqual(await ids({ text: 'deployed' }), [], 'its text leaves the index');
      assert.deepEqual(await ids({ customer: 'dan' }), ['1002']);
    });
  });
