/**
 * The emulator's tickets behave as the API notes say: search filters by state category (custom
 * states under theirs), type, contact, assignee and time with the conversation query language; a
 * change through the control API is a part that moves the ticket to the top; a deleted ticket
 * answers 404 and leaves the search; a ticket holds its 500 most recent parts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { stateById } from '../../src/emulator/tickets.js';
import { call, control } from '../helpers/http.js';

type Listed = { id: string; updated_at: number; ticket_state: { id: string; category: string } };

describe('emulated tickets', () => {
  let em: RunningEmulator;
  before(async () => {
    em = await startEmulator({ conversations: 300, days: 20, seed: 'tickets', longThreadRate: 0.01 });
  });
  after(() => em.stop());

  async function search(query: unknown): Promise<Listed[]> {
    const found: Listed[] = [];
    let cursor: string | undefined;
    do {
      const res = await call(em, 'POST', '/tickets/search', {
        query,
        pagination: { per_page: 150, ...(cursor ? { starting_after: cursor } : {}) },
      });
      assert.equal(res.status, 200, res.text);
      found.push(...res.json.tickets);
      cursor = res.json.pages.next?.starting_after;
    } while (cursor);
    return found;
  }
  const ids = (list: { id: string }[]) => list.map((t) => t.id).sort();

  it('filters by state category, custom states counted under theirs', async () => {
    const live = em.workspace.tickets.live();
    const inProgress = await search({ field: 'state', operator: '=', value: 'in_progress' });
    const expected = live.filter((t) => stateById(t.stateId).category === 'in_progress');
    assert.deepEqual(ids(inProgress), ids(expected));
    assert.ok(
      inProgress.some((t) => t.ticket_state.id === '4003'),
      'a custom state among them',
    );
    assert.ok(inProgress.some((t) => t.ticket_state.id === '4002'));
    const closed = await search({ field: 'open', operator: '=', value: false });
    assert.deepEqual(ids(closed), ids(live.filter((t) => !t.open)));
  });

  it('filters by type, contact, assignee and time, combined', async () => {
    const live = em.workspace.tickets.live();
    const withContact = live.find((t) => t.contactIds.length > 0 && t.adminAssigneeId)!;
    const byContact = await search({ field: 'contact_ids', operator: '=', value: withContact.contactIds[0] });
    assert.deepEqual(
      ids(byContact),
      ids(live.filter((t) => t.contactIds.includes(withContact.contactIds[0]!))),
    );
    const since = live.map((t) => t.updatedAt).sort((a, b) => a - b)[Math.floor(live.length / 2)]!;
    const combined = await search({
      operator: 'AND',
      value: [
        { field: 'ticket_type_id', operator: '=', value: '31' },
        { field: 'admin_assignee_id', operator: '=', value: Number(withContact.adminAssigneeId) },
        { field: 'updated_at', operator: '>', value: since },
      ],
    });
    assert.deepEqual(
      ids(combined),
      ids(
        live.filter(
          (t) =>
            t.typeId === '31' && t.adminAssigneeId === withContact.adminAssigneeId && t.updatedAt > since,
        ),
      ),
    );
    const bad = await call(em, 'POST', '/tickets/search', {
      query: { field: 'priority', operator: '=', value: 'x' },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.json.errors[0].message, /not supported on field 'priority'/);
  });

  it('a change is a part that moves the ticket to the top; a deleted ticket answers 404 and leaves the search', async () => {
    const [t, gone] = em.workspace.tickets.live().slice(-2);
    const before = (await call(em, 'GET', `/tickets/${t!.id}`)).json;
    await control(em, 'POST', `/tickets/${t!.id}/change`, { kind: 'state', stateId: '4004' });
    await control(em, 'POST', `/tickets/${t!.id}/change`, {
      kind: 'reply',
      body: 'Here is the export you asked for',
    });
    const after = (await call(em, 'GET', `/tickets/${t!.id}`)).json;
    assert.equal(after.ticket_state.id, '4004');
    assert.equal(after.previous_ticket_state_id, before.ticket_state.id);
    assert.equal(after.ticket_parts.total_count, before.ticket_parts.total_count + 2);
    const last = after.ticket_parts.ticket_parts.at(-1);
    assert.equal(last.part_type, 'comment');
    assert.match(last.body, /Here is the export you asked for/);
    assert.equal(last.ticket_state, 'waiting_on_customer');
    const top = await call(em, 'POST', '/tickets/search', {
      query: { field: 'created_at', operator: '>', value: 0 },
      pagination: { per_page: 1 },
    });
    assert.equal(top.json.tickets[0].id, t!.id, 'the most recently updated first');
    const refused = await call(em, 'POST', `/_emulator/tickets/${t!.id}/change`, {
      kind: 'state',
      stateId: '9',
    });
    assert.equal(refused.status, 400);
    await control(em, 'DELETE', `/tickets/${gone!.id}`);
    assert.equal((await call(em, 'GET', `/tickets/${gone!.id}`)).status, 404);
    assert.ok(
      !(await search({ field: 'created_at', operator: '>', value: 0 })).some((x) => x.id === gone!.id),
    );
  });

  it('holds a ticket’s 500 most recent parts, and says how many it has', async () => {
    const long = em.workspace.tickets.live().find((t) => t.partCount > 500);
    assert.ok(long, 'a ticket past the cap');
    const res = (await call(em, 'GET', `/tickets/${long.id}`)).json;
    assert.equal(res.ticket_parts.ticket_parts.length, 500);
    assert.equal(res.ticket_parts.total_count, long.partCount);
    const times = res.ticket_parts.ticket_parts.map((p: { created_at: number }) => p.created_at);
    assert.equal(times.at(-1), long.updatedAt, 'the newest part is kept');
  });
});
