/**
 * A ticket's service-level facts as the store sets them from its parts (TICKET_FACTS_SQL), on both
 * engines, through the real writer and the service-levels read: the first teammate comment (not a
 * note or a bot); the start of the last resolved stretch as its close; a return from resolved as a
 * reopen; fewer parts stored than it has as unknown; and a ticket written again gets new facts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LevelsRequest, Store, TicketPartRecord, TicketRecord } from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

/** A part at `at`, of a type, by an author, leaving the ticket in a state. */
type Part = [number, string, 'admin' | 'bot' | 'user', string | null];

function ticket(
  id: string,
  state: TicketRecord['stateCategory'],
  parts: Part[],
  partsTotal = parts.length,
): TicketRecord {
  return {
    id,
    number: id,
    typeId: null,
    category: 'Customer',
    stateId: null,
    stateCategory: state,
    stateLabel: null,
    previousStateId: null,
    open: state !== 'resolved',
    title: `ticket ${id}`,
    description: null,
    attributes: {},
    adminAssigneeId: null,
    teamAssigneeId: null,
    snoozedUntil: null,
    isShared: false,
    createdAt: 1000,
    updatedAt: 5000,
    contactIds: [],
    linked: [],
    partsTotal,
    parts: parts.map(
      ([at, partType, type, stateCategory], i): TicketPartRecord => ({
        id: `${id}-${i}`,
        partType,
        body: partType === 'comment' || partType === 'note' ? 'text' : null,
        createdAt: at,
        author: { type, id: `${type}1`, name: null, email: null },
        stateCategory,
        assignedTo: null,
        attribute: null,
        attachments: [],
      }),
    ),
  };
}

const cases: {
  name: string;
  ticket: TicketRecord;
  /** first response, time to close (seconds; null: none), ever closed, reopened, unknown. */
  want: [number | null, number | null, number, number, number];
}[] = [
  {
    name: 'the first teammate comment answers, not a note or a bot',
    ticket: ticket('1', 'in_progress', [
      [1100, 'note', 'admin', 'submitted'],
      [1200, 'comment', 'bot', 'submitted'],
      [1300, 'comment', 'admin', 'in_progress'],
      [1400, 'comment', 'admin', 'in_progress'],
    ]),
    want: [300, null, 0, 0, 0],
  },
  {
    name: 'closed at the start of its last resolved stretch; a return from resolved is a reopen',
    ticket: ticket('2', 'resolved', [
      [1500, 'ticket_state_updated_by_admin', 'admin', 'resolved'],
      [2000, 'comment', 'user', 'in_progress'],
      [3000, 'ticket_state_updated_by_admin', 'admin', 'resolved'],
      [3500, 'note', 'admin', 'resolved'],
    ]),
    want: [null, 2000, 1, 1, 0],
  },
  {
    name: 'resolved, reopened and in progress now: no time to close',
    ticket: ticket('3', 'in_progress', [
      [1500, 'ticket_state_updated_by_admin', 'admin', 'resolved'],
      [2000, 'ticket_state_updated_by_admin', 'admin', 'in_progress'],
    ]),
    want: [null, null, 1, 1, 0],
  },
  {
    name: 'resolved without a state part, parts without states between',
    ticket: ticket('4', 'resolved', [[1200, 'comment', 'admin', null]]),
    want: [200, null, 1, 0, 0],
  },
  {
    name: 'fewer parts stored than it has: first response and reopens unknown',
    ticket: ticket('5', 'resolved', [[9000, 'ticket_state_updated_by_admin', 'admin', 'resolved']], 600),
    want: [null, 8000, 0, 0, 1],
  },
];

const request: LevelsRequest = {
  from: 0,
  to: 10_000,
  buckets: [0],
  filters: {},
  of: 'tickets',
  sample: 1000,
};

for (const engine of ENGINES)
  describe(`ticket service-level facts (${engine.name})`, () => {
    let store: Store;
    before(async () => {
      ({ store } = await freshStore(engine));
    });
    after(async () => store?.close());

    for (const c of cases)
      it(c.name, async () => {
        await store.deleteTickets(cases.map((x) => x.ticket.id));
        await store.saveTickets([c.ticket]);
        const l = (await store.serviceLevels(request)).overall;
        assert.equal(l.count, 1);
        assert.deepEqual(
          [l.firstResponse.p50, l.timeToClose.p50, l.everClosed, l.reopened, l.unknown],
          c.want,
        );
      });

    it('a ticket written again gets the facts of its new parts', async () => {
      await store.deleteTickets(cases.map((x) => x.ticket.id));
      await store.saveTickets([cases[2]!.ticket]);
      await store.saveTickets([{ ...cases[2]!.ticket, parts: cases[0]!.ticket.parts }]);
      const l = (await store.serviceLevels(request)).overall;
      assert.deepEqual([l.firstResponse.p50, l.reopened, l.everClosed], [300, 0, 0]);
    });
  });
