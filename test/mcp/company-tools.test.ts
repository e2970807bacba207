/**
 * The company tools against the emulator's ground truth, on both engines, through a real stdio
 * client: search_companies by part of a name, by plan (any case) and through every page, an exact
 * name first; get_company by its id, its company_id and its exact name in another case, with its
 * people, open conversations and tickets counted as the workspace has them, and two companies of
 * one name refused with both ids; get_contact names a contact's companies; search_tickets takes a
 * company, and ticket_stats counts them; a token that may not read companies gets errors that say so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Company } from '../../src/emulator/companies.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { ENGINES } from '../helpers/engines.js';
import { control } from '../helpers/http.js';
import type { CheckedClient } from '../helpers/mcp.js';
import { syncedStdioServer } from '../helpers/synced-server.js';

type Hit = { id: string; name: string; plan?: string; contacts: number };

async function allPages(mcp: CheckedClient, tool: string, key: string, args: Record<string, unknown>) {
  const hits: { id: string }[] = [];
  let cursor: string | undefined;
  do {
    const r = await mcp.call(tool, { ...args, limit: 7, ...(cursor ? { cursor } : {}) });
    assert.equal(r.isError, undefined, r.content[0]!.text);
    hits.push(...r.structuredContent[key]);
    cursor = r.structuredContent.next_cursor;
  } while (cursor);
  return hits;
}

const ids = (list: { id: string }[]) => list.map((t) => t.id).sort();

for (const engine of ENGINES)
  describe(`the company tools (${engine.name})`, () => {
    let em: RunningEmulator;
    let mcp: CheckedClient;
    let twins: string[];
    const members = (c: Company) =>
      new Set(em.workspace.companies.contactsOf(c).map((i) => em.workspace.directory.contact(i).id));
    const largest = () =>
      em.workspace.companies
        .live()
        .reduce((a, b) =>
          em.workspace.companies.userCount(a) >= em.workspace.companies.userCount(b) ? a : b,
        );
    before(async () => {
      em = await startEmulator({
        conversations: 300,
        contacts: 600,
        days: 10,
        seed: `company-tools-${engine.name}`,
        companies: 30,
        tickets: 120,
      });
      twins = [
        (await control(em, 'POST', '/companies', { name: 'Twin Peaks Co' })).json.id,
        (await control(em, 'POST', '/companies', { name: 'Twin Peaks Co' })).json.id,
      ];
      mcp = await syncedStdioServer(em, engine, 10);
    });
    after(async () => {
      await mcp?.close();
      await em?.stop();
    });

    it('finds companies by part of a name, company_id, website or industry, through every page', async () => {
      const word = 'labs';
      const expected = em.workspace.companies
        .live()
        .filter((c) => [c.name, c.companyId, c.website, c.industry].join('\n').toLowerCase().includes(word));
      assert.ok(expected.length > 1 && expected.length < 32, `${expected.length} companies match`);
      assert.deepEqual(
        ids(await allPages(mcp, 'search_companies', 'companies', { query: 'LABS' })),
        ids(expected),
      );
      const all = await allPages(mcp, 'search_companies', 'companies', {});
      assert.equal(all.length, 32);
      const none = await mcp.call('search_companies', { query: 'zzzz-no-such-company' });
      assert.equal(none.isError, undefined);
      assert.equal(none.structuredContent.total, 0);
      assert.match(none.content[0]!.text, /No company matches "zzzz-no-such-company"/);
    });

    it('filters by plan in any case and puts an exact name first', async () => {
      const enterprise = em.workspace.companies.live().filter((c) => c.plan?.name === 'Enterprise');
      assert.ok(enterprise.length > 0);
      const hits = (await allPages(mcp, 'search_companies', 'companies', { plan: 'enterprise' })) as Hit[];
      assert.deepEqual(ids(hits), ids(enterprise));
      const target = em.workspace.companies.live()[4]!;
      const first = await mcp.call('search_companies', { query: target.name.toUpperCase() });
      assert.equal(first.structuredContent.companies[0].id, target.id);
      assert.match(first.content[0]!.text, new RegExp(`<customer_text>${target.name}</customer_text>`));
    });

    it('gets a company by id, company_id or exact name, with its people and open work counted', async () => {
      const big = largest();
      const people = members(big);
      for (const ref of [big.id, big.companyId, big.name.toLowerCase()]) {
        const r = await mcp.call('get_company', { company: ref });
        assert.equal(r.isError, undefined, `${ref}: ${r.content[0]!.text}`);
        assert.equal(r.structuredContent.company.id, big.id);
      }
      const s = (await mcp.call('get_company', { company: big.id })).structuredContent;
      assert.equal(s.company.contacts, people.size);
      assert.equal(s.company.user_count, people.size);
      assert.equal(s.company.plan, big.plan?.name);
      assert.deepEqual(s.company.custom_attributes, big.customAttributes);
      assert.equal(s.people.length, Math.min(20, people.size));
      assert.ok(s.people.every((p: { id: string }) => people.has(p.id)));
      const open = em.workspace.live().filter((c) => c.state === 'open' && people.has(c.contactId));
      assert.ok(open.length > 0, 'the largest account has open conversations');
      assert.equal(s.open_conversation_total, open.length);
      assert.ok(s.open_conversations.every((o: { id: string }) => open.some((c) => c.id === o.id)));
      const tickets = em.workspace.tickets.live().filter((t) => t.contactIds.some((k) => people.has(k)));
      assert.equal(s.ticket_total, tickets.length);
      assert.deepEqual(
        ids(await allPages(mcp, 'search_tickets', 'tickets', { company: big.companyId })),
        ids(tickets),
      );
      const stats = await mcp.call('ticket_stats', { company: big.name });
      assert.equal(stats.structuredContent.total, tickets.length);
    });

    it('refuses a name two companies share, naming both, and a company it does not have', async () => {
      const r = await mcp.call('get_company', { company: 'twin peaks co' });
      assert.equal(r.isError, true);
      for (const id of twins) assert.match(r.content[0]!.text, new RegExp(id));
      const missing = await mcp.call('get_company', { company: 'Nobody Inc' });
      assert.equal(missing.isError, true);
      assert.match(missing.content[0]!.text, /No company "Nobody Inc"/);
    });

    it("names a contact's companies", async () => {
      const big = largest();
      const contactId = [...members(big)][0]!;
      const r = await mcp.call('get_contact', { contact: contactId });
      assert.equal(r.isError, undefined, r.content[0]!.text);
      const theirs = em.workspace.companies.companiesOf(em.workspace.directory.contactById(contactId)!.index);
      assert.deepEqual(ids(r.structuredContent.companies), ids(theirs));
      assert.match(r.content[0]!.text, new RegExp(`Companies: .*${big.id}`));
    });
  });

for (const engine of ENGINES)
  describe(`a token that may not read companies (${engine.name})`, () => {
    let em: RunningEmulator;
    let mcp: CheckedClient;
    before(async () => {
      em = await startEmulator({ conversations: 30, days: 5, seed: `companies-403-${engine.name}` });
      await control(em, 'POST', '/faults/scripted', { route: 'GET /companies/scroll', kind: '403' });
      mcp = await syncedStdioServer(em, engine, 5);
    });
    after(async () => {
      await mcp?.close();
      await em?.stop();
    });

    it('says so instead of answering empty', async () => {
      for (const [tool, args] of [
        ['search_companies', { query: 'acme' }],
        ['get_company', { company: 'Acme Labs' }],
      ] as const) {
        const r = await mcp.call(tool, args);
        assert.equal(r.isError, true, `${tool}: ${r.content[0]!.text}`);
        assert.match(
          r.content[0]!.text,
          /the access token may not read companies \(.*403.*\)\. Give it the "Read and list users and companies" permission/,
        );
      }
      const status = await mcp.call('get_server_status', {});
      assert.match(
        status.content[0]!.text,
        /Companies: not synced, the access token may not read them \(.*403.*\)\./,
      );
    });
  });
