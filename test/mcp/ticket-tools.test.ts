/**
 * The ticket tools against the emulator's ground truth, on both engines, through a real stdio
 * client: search_tickets by words (in a reply), state (a category or a custom state's name), type,
 * assignee, team, customer, timeframe and pages; get_ticket by its id, its inbox number and
 * ticket_<id>, with the thread, attachments and a budget; search and fetch round-trip a ticket;
 * list_workspace names the ticket types; a token that may not read tickets gets errors that say so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { stateById, type TicketSummary } from '../../src/emulator/tickets.js';
import { ENGINES } from '../helpers/engines.js';
import { control } from '../helpers/http.js';
import type { CheckedClient } from '../helpers/mcp.js';
import { syncedStdioServer } from '../helpers/synced-server.js';

const WORD = 'flibbertigibbet';

type Hit = { id: string; ticket_id: string; state: string; state_label: string };

async function allPages(mcp: CheckedClient, args: Record<string, unknown>): Promise<Hit[]> {
  const hits: Hit[] = [];
  let cursor: string | undefined;
  do {
    const r = await mcp.call('search_tickets', { ...args, limit: 25, ...(cursor ? { cursor } : {}) });
    assert.equal(r.isError, undefined, r.content[0]!.text);
    hits.push(...r.structuredContent.tickets);
    cursor = r.structuredContent.next_cursor;
  } while (cursor);
  return hits;
}

const ids = (list: { id: string }[]) => list.map((t) => t.id).sort();

for (const engine of ENGINES)
  describe(`the ticket tools (${engine.name})`, () => {
    let em: RunningEmulator;
    let mcp: CheckedClient;
    let live: () => TicketSummary[];
    let replied: TicketSummary;
    before(async () => {
      em = await startEmulator({
        conversations: 100,
        days: 10,
        seed: `ticket-tools-${engine.name}`,
        tickets: 60,
      });
      live = () => em.workspace.tickets.live();
      replied = live().find((t) => t.contactIds.length > 0)!;
      await control(em, 'POST', `/tickets/${replied.id}/change`, {
        kind: 'reply',
        body: `The ${WORD} is back`,
      });
      mcp = await syncedStdioServer(em, engine, 10);
    });
    after(async () => {
      await mcp?.close();
      await em?.stop();
    });

    it('finds words in a reply, and names the ticket both ways', async () => {
      const r = await mcp.call('search_tickets', { query: WORD });
      assert.equal(r.isError, undefined, r.content[0]!.text);
      assert.deepEqual(ids(r.structuredContent.tickets), [replied.id]);
      assert.equal(r.structuredContent.tickets[0].ticket_id, replied.ticketId);
      assert.match(r.content[0]!.text, new RegExp(`Ticket #${replied.ticketId} \\(id ${replied.id}\\)`));
    });

    it('filters by state category, a custom state’s name, type, assignee, team and customer', async () => {
      const t = live();
      const inProgress = await allPages(mcp, { state: 'in progress' });
      assert.deepEqual(
        ids(inProgress),
        ids(t.filter((x) => stateById(x.stateId).category === 'in_progress')),
      );
      const investigating = await allPages(mcp, { state: 'investigating' });
      assert.deepEqual(ids(investigating), ids(t.filter((x) => x.stateId === '4003')));
      assert.ok(investigating.length > 0 && investigating.length < inProgress.length);
      const bugs = await allPages(mcp, { ticket_type: 'bug REPORT' });
      assert.deepEqual(ids(bugs), ids(t.filter((x) => x.typeId === '31')));
      const admin = em.workspace.directory.admin(t.find((x) => x.adminAssigneeId)!.adminAssigneeId!)!;
      assert.deepEqual(
        ids(await allPages(mcp, { assignee: admin.id })),
        ids(t.filter((x) => x.adminAssigneeId === admin.id)),
      );
      const team = em.workspace.directory.teams.find((x) => t.some((y) => y.teamAssigneeId === x.id))!;
      assert.deepEqual(
        ids(await allPages(mcp, { team: team.name })),
        ids(t.filter((x) => x.teamAssigneeId === team.id)),
      );
      const contact = em.workspace.directory.contactById(replied.contactIds[0]!)!;
      assert.deepEqual(
        ids(await allPages(mcp, { customer: contact.email ?? contact.name! })),
        ids(t.filter((x) => x.contactIds.includes(contact.id))),
      );
      const unknown = await mcp.call('search_tickets', { ticket_type: 'no such type' });
      assert.equal(unknown.isError, true);
      assert.match(unknown.content[0]!.text, /No ticket type "no such type"; the closest are/);
    });

    it('pages through every ticket once, and reads a timeframe', async () => {
      const every = await allPages(mcp, {});
      assert.equal(every.length, live().length);
      assert.deepEqual(ids(every), ids(live()));
      const week = await allPages(mcp, { timeframe: 'last 3 days' });
      const from = Date.now() / 1000 - 3 * 86400;
      assert.deepEqual(ids(week), ids(live().filter((x) => x.updatedAt >= from - 1)));
    });

    it('reads a ticket by its id, inbox number or ticket_<id>, with its thread, links and attachments', async () => {
      const withFile = live().find((x) => {
        const plan = em.workspace.tickets.plan(x.index);
        return plan.linkedConversations.length > 0 && plan.parts.length > 3;
      })!;
      for (const form of [
        withFile.id,
        `#${withFile.ticketId}`,
        `ticket_${withFile.id}`,
        Number(withFile.id),
      ]) {
        const r = await mcp.call('get_ticket', { ticket_id: form });
        assert.equal(r.isError, undefined, `${form}: ${r.content[0]!.text}`);
        assert.equal(r.structuredContent.id, withFile.id);
        assert.equal(r.structuredContent.ticket_id, withFile.ticketId);
      }
      const r = await mcp.call('get_ticket', { ticket_id: withFile.id });
      const s = r.structuredContent;
      const plan = em.workspace.tickets.plan(withFile.index);
      assert.equal(s.title, plan.attributes._default_title_);
      assert.equal(s.state_label, stateById(withFile.stateId).internalLabel);
      assert.equal(s.parts_total, plan.parts.length);
      assert.equal(s.parts_shown, plan.parts.length);
      assert.deepEqual(
        s.linked.map((l: { id: string }) => l.id),
        [...plan.linkedConversations].sort(),
      );
      const reply = await mcp.call('get_ticket', { ticket_id: replied.id });
      assert.match(reply.content[0]!.text, new RegExp(`<customer_text>The ${WORD} is back</customer_text>`));
      const cut = await mcp.call('get_ticket', { ticket_id: withFile.id, max_chars: 600 });
      assert.ok(cut.content[0]!.text.length <= 600, `${cut.content[0]!.text.length}`);
      assert.ok(cut.structuredContent.parts_shown < plan.parts.length);
      assert.match(cut.content[0]!.text, /earlier parts? not shown/);
      const missing = await mcp.call('get_ticket', { ticket_id: '99999999' });
      assert.equal(missing.isError, true);
      assert.match(missing.content[0]!.text, /No ticket with id or number 99999999/);
    });

    it('names every attachment of the thread', async () => {
      let named = 0;
      for (const t of live()) {
        const r = await mcp.call('get_ticket', { ticket_id: t.id });
        for (const f of r.structuredContent.attachments) {
          assert.match(
            r.content[0]!.text,
            new RegExp(`\\[attachment: ${f.name.replace(/[.()]/g, '\\$&')} \\(`),
          );
          assert.equal(typeof f.size, 'number');
          named += 1;
        }
      }
      assert.ok(named > 0, 'some tickets carry attachments');
    });

    it('search and fetch round-trip a ticket', async () => {
      const found = await mcp.call('search', { query: WORD });
      const hit = (found.structuredContent.results as { id: string }[]).find(
        (h) => h.id === `ticket_${replied.id}`,
      );
      assert.ok(hit, JSON.stringify(found.structuredContent.results));
      const fetched = await mcp.call('fetch', { id: hit.id });
      assert.equal(fetched.isError, undefined, fetched.content[0]!.text);
      const doc = JSON.parse(fetched.content[0]!.text);
      assert.equal(doc.metadata.kind, 'ticket');
      assert.match(doc.text, new RegExp(WORD));
    });

    it('ticket_stats counts by state (custom states by their own name) and by type, with the filters', async () => {
      const t = live();
      const r = await mcp.call('ticket_stats', {});
      assert.equal(r.isError, undefined, r.content[0]!.text);
      assert.equal(r.structuredContent.total, t.length);
      const byLabel = new Map<string, number>();
      for (const x of t)
        byLabel.set(
          stateById(x.stateId).internalLabel,
          (byLabel.get(stateById(x.stateId).internalLabel) ?? 0) + 1,
        );
      assert.deepEqual(
        new Map(
          r.structuredContent.by_state.map((s: { label: string; count: number }) => [s.label, s.count]),
        ),
        byLabel,
      );
      const bugs = await mcp.call('ticket_stats', { ticket_type: 'Bug report', state: 'resolved' });
      const want = t.filter((x) => x.typeId === '31' && stateById(x.stateId).category === 'resolved').length;
      assert.equal(bugs.structuredContent.total, want);
      assert.deepEqual(bugs.structuredContent.by_type, want ? [{ type: 'Bug report', count: want }] : []);
    });

    it('get_server_status counts the tickets and articles', async () => {
      const r = await mcp.call('get_server_status');
      assert.equal(r.structuredContent.tickets, live().length);
      assert.equal(r.structuredContent.articles, em.workspace.helpCenter.list().length);
      const open = live().filter((x) => x.open).length;
      assert.match(r.content[0]!.text, new RegExp(`Tickets: ${live().length} tickets, ${open} open\\.`));
    });

    it('list_workspace names the ticket types with their tickets', async () => {
      const r = await mcp.call('list_workspace');
      assert.deepEqual(
        r.structuredContent.ticket_types
          .map((t: { id: string; tickets: number }) => [t.id, t.tickets])
          .sort(),
        ['31', '32', '33'].map((id) => [id, live().filter((x) => x.typeId === id).length]),
      );
    });
  });

for (const engine of ENGINES)
  describe(`the ticket tools with a token that may not read tickets (${engine.name})`, () => {
    let em: RunningEmulator;
    let mcp: CheckedClient;
    before(async () => {
      em = await startEmulator({ conversations: 30, days: 5, seed: `tickets-403-${engine.name}` });
      await control(em, 'POST', '/faults/scripted', { route: 'POST /tickets/search', kind: '403' });
      mcp = await syncedStdioServer(em, engine, 5);
    });
    after(async () => {
      await mcp?.close();
      await em?.stop();
    });

    it('says so instead of answering empty', async () => {
      const t = em.workspace.tickets.live()[0]!;
      for (const [tool, args] of [
        ['search_tickets', { query: 'invoice' }],
        ['ticket_stats', {}],
        ['get_ticket', { ticket_id: t.id }],
        ['fetch', { id: `ticket_${t.id}` }],
      ] as const) {
        const r = await mcp.call(tool, args);
        assert.equal(r.isError, true, `${tool}: ${r.content[0]!.text}`);
        assert.match(
          r.content[0]!.text,
          /the access token may not read tickets \(.*403.*\)\. Give it the "Read tickets" permission/,
        );
      }
      const status = await mcp.call('get_server_status');
      assert.match(
        status.content[0]!.text,
        /Tickets: not synced, the access token may not read them \(.*403.*\)\./,
      );
    });
  });
