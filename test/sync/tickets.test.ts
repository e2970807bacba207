/**
 * Tickets synced exactly on every engine: a backfill stores every ticket of the window whole
 * (parts, states, links, attachments, the 500-part cap); the next run reads only what changed,
 * a bulk change of more than a page in one second included; a full pass deletes what Intercom no
 * longer has, after asking for each; a storm of 404s deletes nothing; a token that may not read
 * tickets syncs the rest and says why.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SyncOutage } from '../../src/sync/deletions.js';
import { runSync } from '../../src/sync/engine.js';
import pLimit from 'p-limit';
import { syncTickets, TICKETS_FORBIDDEN_KEY } from '../../src/sync/tickets.js';
import { ENGINES } from '../helpers/engines.js';
import { control } from '../helpers/http.js';
import { assertTicketsMirror, syncedWorkspace, type SyncedWorkspace } from '../helpers/mirror.js';

const requests = async (w: SyncedWorkspace) =>
  (await control(w.em, 'GET', '/requests')).json.counts as Record<string, number>;

for (const engine of ENGINES)
  describe(`tickets synced exactly (${engine.name})`, () => {
    const w = syncedWorkspace(
      { conversations: 150, days: 10, seed: 'ticket-sync', tickets: 400, longThreadRate: 0.01 },
      engine,
    );

    it('stores every ticket of the window whole, the 500 most recent parts of a long one, and the types', async () => {
      const stored = await assertTicketsMirror(w.store, w.em.workspace);
      assert.equal(stored, 400);
      const long = w.em.workspace.tickets.live().find((t) => t.partCount > 500)!;
      const got = await w.store.getTicket(long.id);
      assert.equal(got!.parts.length, 500);
      assert.equal(got!.partsTotal, long.partCount);
      assert.deepEqual(
        (await w.store.ticketTypes()).map((t) => t.name),
        ['Bug report', 'Incident', 'Refund approval'],
      );
    });

    it('reads at the next run only the tickets that changed', async () => {
      const [a, b, c, d] = w.em.workspace.tickets.live().slice(10, 14);
      await control(w.em, 'POST', `/tickets/${a!.id}/change`, { kind: 'state', stateId: '4006' });
      await control(w.em, 'POST', `/tickets/${b!.id}/change`, {
        kind: 'reply',
        body: 'It works again, thanks',
      });
      await control(w.em, 'POST', `/tickets/${c!.id}/change`, {
        kind: 'assign',
        assigneeId: w.em.workspace.directory.humans[1]!.id,
      });
      await control(w.em, 'POST', `/tickets/${d!.id}/change`, {
        kind: 'attribute',
        name: 'Severity',
        value: 'Low',
      });
      await control(w.em, 'DELETE', '/requests');
      const result = await runSync(w.api, w.store, { defaultDays: 10 });
      assert.equal(result.tickets, 4);
      assert.equal((await requests(w))['GET /tickets/{ticket_id}'], 4, 'one retrieve per changed ticket');
      await assertTicketsMirror(w.store, w.em.workspace);
      assert.equal((await w.store.getTicket(a!.id))!.stateLabel, "Won't fix");
    });

    it('reads a ticket changed again in the second the last run listed up to', async () => {
      // Two changes in one second, the second after a run read the first: the runs' clock is set
      // to that second (the ticket sync takes it), so the two land in the second they listed up to.
      const t = w.em.workspace.tickets.live()[30]!;
      const second = w.em.workspace.now();
      const change = (body: string) =>
        control(w.em, 'POST', `/tickets/${t.id}/change`, { kind: 'reply', body, at: second });
      const sync = (now: number) =>
        syncTickets(w.api, w.store, { now, windowStart: now - 86400, limit: pLimit(4) });
      assert.equal((await change('First, in this second')).status, 200);
      await sync(second);
      assert.equal((await w.store.ticketVersions([t.id])).get(t.id), second);
      assert.equal((await change('Second, in the same second')).status, 200);
      await sync(second);
      const got = await w.store.getTicket(t.id);
      assert.ok(got!.parts.some((p) => p.body === 'Second, in the same second'));
    });

    it('reads whole a bulk change of more than a page in one second', async () => {
      const many = w.em.workspace.tickets.live().slice(0, 200);
      await control(w.em, 'POST', `/tickets/${many.map((t) => t.id).join(',')}/change`, {
        kind: 'state',
        stateId: '4005',
      });
      assert.equal(
        new Set(
          w.em.workspace.tickets
            .live()
            .slice(0, 200)
            .map((t) => t.updatedAt),
        ).size,
        1,
      );
      await control(w.em, 'DELETE', '/requests');
      const result = await runSync(w.api, w.store, { defaultDays: 10 });
      assert.equal(result.tickets, 200);
      assert.equal((await requests(w))['GET /tickets/{ticket_id}'], 200);
      await assertTicketsMirror(w.store, w.em.workspace);
    });

    it('deletes at a full pass what Intercom no longer has, after asking for each', async () => {
      const [gone1, gone2] = w.em.workspace.tickets.live().slice(-2);
      await control(w.em, 'DELETE', `/tickets/${gone1!.id}`);
      await control(w.em, 'DELETE', `/tickets/${gone2!.id}`);
      await runSync(w.api, w.store, { defaultDays: 10 });
      assert.ok(await w.store.getTicket(gone1!.id), 'an incremental run lists no deletion');
      await control(w.em, 'DELETE', '/requests');
      const result = await runSync(w.api, w.store, { defaultDays: 10, tickets: { fullPassSeconds: 0 } });
      assert.equal(result.ticketsDeleted, 2);
      assert.equal(
        (await requests(w))['GET /tickets/{ticket_id}'],
        2,
        'each unlisted ticket asked for first',
      );
      await assertTicketsMirror(w.store, w.em.workspace);
    });

    it('believes no storm of 404s: the run stops as an outage and every stored ticket stays', async () => {
      const changed = w.em.workspace.tickets.live().slice(20, 40);
      await control(w.em, 'POST', `/tickets/${changed.map((t) => t.id).join(',')}/change`, {
        kind: 'reply',
        body: 'Any news?',
      });
      await control(w.em, 'POST', '/faults/scripted', {
        route: 'GET /tickets/{ticket_id}',
        kind: '404',
        count: 20,
      });
      const before = (await w.store.ticketVersions()).size;
      await assert.rejects(runSync(w.api, w.store, { defaultDays: 10 }), SyncOutage);
      assert.equal((await w.store.ticketVersions()).size, before);
      await runSync(w.api, w.store, { defaultDays: 10 });
      await assertTicketsMirror(w.store, w.em.workspace);
    });

    it('syncs the rest when the token may not read tickets, and records why', async () => {
      await control(w.em, 'POST', '/faults/scripted', { route: 'POST /tickets/search', kind: '403' });
      w.em.workspace.addConversation({ body: 'A new question' });
      const result = await runSync(w.api, w.store, { defaultDays: 10 });
      assert.equal(result.tickets, 0);
      assert.equal(result.fetched, 1, 'the conversations are synced');
      assert.match((await w.store.getMeta(TICKETS_FORBIDDEN_KEY)) ?? '', /403/);
      await runSync(w.api, w.store, { defaultDays: 10 });
      assert.equal(await w.store.getMeta(TICKETS_FORBIDDEN_KEY), '', 'readable again: the note goes');
    });
  });
