import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OpenApiValidator } from '../../src/emulator/openapi-validator.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { call } from '../helpers/http.js';

describe('emulator responses validate against the official OpenAPI description', () => {
  let em: RunningEmulator;
  const validator = new OpenApiValidator();

  before(async () => {
    em = await startEmulator({ conversations: 400, days: 20, seed: 'schema', longThreadRate: 0.02 });
  });
  after(() => em.stop());

  async function expectValid(method: string, route: string, path: string, status: number, body?: unknown) {
    const res = await call(em, method, path, body);
    assert.equal(res.status, status, `${method} ${path}: ${res.text.slice(0, 300)}`);
    assert.deepEqual(
      validator.validateResponse(method, route, res.status, res.json),
      [],
      `${method} ${path}`,
    );
    return res;
  }

  it('serves /me, /admins, /admins/{id}, /teams and /tags in their documented shapes', async () => {
    const me = await expectValid('GET', '/me', '/me', 200);
    assert.equal(me.json.app.name, em.workspace.name);
    const admins = await expectValid('GET', '/admins', '/admins', 200);
    assert.equal(admins.json.admins.length, em.workspace.directory.admins.length);
    await expectValid('GET', '/admins/{id}', `/admins/${admins.json.admins[0].id}`, 200);
    const teams = await expectValid('GET', '/teams', '/teams', 200);
    assert.ok(teams.json.teams.length >= 2);
    const tags = await expectValid('GET', '/tags', '/tags', 200);
    assert.ok(tags.json.data.some((t: { name: string }) => t.name === 'billing'));
  });

  it('validates every conversation, in HTML and plaintext, list and retrieve', async () => {
    let cursor: string | undefined;
    let seen = 0;
    do {
      const res = await expectValid(
        'GET',
        '/conversations',
        `/conversations?per_page=150${cursor ? `&starting_after=${cursor}` : ''}`,
        200,
      );
      seen += res.json.conversations.length;
      cursor = res.json.pages.next?.starting_after;
    } while (cursor);
    assert.equal(seen, 400);
    for (const s of em.workspace.live()) {
      const plain = await expectValid(
        'GET',
        '/conversations/{id}',
        `/conversations/${s.id}?display_as=plaintext`,
        200,
      );
      assert.ok(!/<p>/.test(plain.json.source.body), 'plaintext bodies carry no HTML');
      if (s.index % 20 === 0) {
        const html = await expectValid('GET', '/conversations/{id}', `/conversations/${s.id}`, 200);
        assert.match(html.json.source.body, /^<p>/);
      }
    }
  });

  it('caps threads at the 500 most recent parts and reports the full count', async () => {
    const long = em.workspace.live().find((s) => s.partCount > 500);
    assert.ok(long, 'the seeded workspace has a thread over 500 parts');
    const res = await expectValid('GET', '/conversations/{id}', `/conversations/${long.id}`, 200);
    const parts = res.json.conversation_parts;
    assert.equal(parts.conversation_parts.length, 500);
    assert.equal(parts.total_count, long.partCount);
    assert.equal(res.json.statistics.count_conversation_parts, long.partCount + 1);
    assert.equal(parts.conversation_parts.at(-1).created_at, long.updatedAt);
    const times = parts.conversation_parts.map((p: { created_at: number }) => p.created_at);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'parts are in chronological order',
    );
  });

  it('validates search results and contacts', async () => {
    const search = await expectValid('POST', '/conversations/search', '/conversations/search', 200, {
      query: {
        operator: 'AND',
        value: [
          { field: 'state', operator: '=', value: 'closed' },
          { field: 'open', operator: '=', value: false },
        ],
      },
      pagination: { per_page: 50 },
    });
    assert.ok(search.json.total_count > 0);
    const contactId = search.json.conversations[0].contacts.contacts[0].id;
    const contact = await expectValid('GET', '/contacts/{id}', `/contacts/${contactId}`, 200);
    assert.equal(contact.json.id, contactId);
    const found = await expectValid('POST', '/contacts/search', '/contacts/search', 200, {
      query: { field: 'id', operator: 'IN', value: [contactId] },
    });
    assert.equal(found.json.total_count, 1);
  });

  it('serves the Help Center: every article page by page, each retrieved, searched by state, and the collections', async () => {
    const articles = em.workspace.helpCenter.list();
    assert.ok(articles.length >= 12, 'the workspace has a Help Center');
    const listed: { id: string; updated_at: number; state: string }[] = [];
    for (let page = 1; ; page++) {
      const res = await expectValid('GET', '/articles', `/articles?per_page=5&page=${page}`, 200);
      assert.equal(res.json.total_count, articles.length);
      listed.push(...res.json.data);
      if (page >= res.json.pages.total_pages) break;
    }
    assert.deepEqual(
      listed.map((a) => a.id),
      articles.map((a) => a.id),
      'every article once, the most recently updated first',
    );
    assert.ok(listed.some((a) => a.state === 'draft') && listed.some((a) => a.state === 'published'));
    const translated = articles.find((a) => Object.keys(a.translations).length > 0);
    assert.ok(translated, 'some articles are translated');
    const one = await expectValid('GET', '/articles/{article_id}', `/articles/${translated.id}`, 200);
    const locale = Object.keys(translated.translations)[0]!;
    assert.equal(one.json.translated_content[locale].title, translated.translations[locale]!.title);
    assert.equal(one.json.translated_content.en.title, translated.title);
    const word = translated.title
      .split(/[^A-Za-z]+/)
      .reduce((a, b) => (b.length > a.length ? b : a))
      .toLowerCase();
    for (const state of ['published', 'draft', 'all'] as const) {
      const found = await expectValid(
        'GET',
        '/articles/search',
        `/articles/search?phrase=${encodeURIComponent(word)}&state=${state}&per_page=150`,
        200,
      );
      const ids = found.json.data.articles.map((a: { id: string }) => a.id);
      assert.equal(found.json.total_count, ids.length);
      assert.ok(
        found.json.data.articles.every((a: { state: string }) => state === 'all' || a.state === state),
      );
      if (state === 'all' || state === translated.state) assert.ok(ids.includes(translated.id), state);
    }
    const collections = await expectValid('GET', '/help_center/collections', '/help_center/collections', 200);
    assert.equal(collections.json.data.length, em.workspace.helpCenter.collections.length);
    await expectValid('GET', '/articles/{article_id}', '/articles/1', 404);
    await expectValid('GET', '/articles/search', '/articles/search?state=archived', 400);
  });

  it('serves tickets: types, states, every ticket searched page by page and retrieved with its parts', async () => {
    const types = await expectValid('GET', '/ticket_types', '/ticket_types', 200);
    assert.deepEqual(
      types.json.data.map((t: { category: string }) => t.category),
      ['Customer', 'Back-office', 'Tracker'],
    );
    const states = await expectValid('GET', '/ticket_states', '/ticket_states', 200);
    assert.ok(states.json.data.length > 4, 'custom states beside the four categories');
    const tickets = em.workspace.tickets.live();
    assert.equal(tickets.length, 80, 'one for every five conversations');
    const listed: { id: string; ticket_id: string; ticket_parts?: unknown }[] = [];
    let cursor: string | undefined;
    do {
      const res = await expectValid('POST', '/tickets/search', '/tickets/search', 200, {
        query: { field: 'created_at', operator: '>', value: 0 },
        pagination: { per_page: 25, ...(cursor ? { starting_after: cursor } : {}) },
      });
      assert.equal(res.json.total_count, tickets.length);
      listed.push(...res.json.tickets);
      cursor = res.json.pages.next?.starting_after;
    } while (cursor);
    assert.deepEqual(listed.map((t) => t.id).sort(), tickets.map((t) => t.id).sort());
    assert.ok(
      listed.every((t) => t.ticket_parts === undefined),
      'search results carry no parts',
    );
    assert.ok(
      listed.every((t) => t.id !== t.ticket_id),
      'the API id is never the inbox number',
    );
    let parts = 0;
    let attachments = 0;
    for (const t of tickets) {
      const one = await expectValid('GET', '/tickets/{ticket_id}', `/tickets/${t.id}`, 200);
      assert.equal(one.json.ticket_parts.total_count, t.partCount);
      parts += one.json.ticket_parts.ticket_parts.length;
      attachments += one.json.ticket_parts.ticket_parts.filter(
        (p: { attachments: unknown[] }) => p.attachments.length,
      ).length;
    }
    assert.ok(parts > tickets.length, `${parts} parts`);
    assert.ok(attachments > 0, 'customers attach files to tickets too');
    await expectValid('GET', '/tickets/{ticket_id}', `/tickets/${tickets[0]!.ticketId}`, 404);
  });

  it('validates error bodies: 401, 404, 400', async () => {
    const unauthorized = await call(em, 'GET', '/conversations', undefined, { token: 'wrong' });
    assert.equal(unauthorized.status, 401);
    assert.deepEqual(validator.validateResponse('GET', '/conversations', 401, unauthorized.json), []);
    assert.equal(unauthorized.json.errors[0].code, 'unauthorized');
    await expectValid('GET', '/conversations/{id}', '/conversations/999', 404);
    await expectValid('GET', '/contacts/{id}', '/contacts/ffffffffffffffffffffffff', 404);
    const bad = await expectValid('POST', '/conversations/search', '/conversations/search', 400, {
      query: { field: 'created_at', operator: '~', value: 'x' },
    });
    assert.equal(bad.json.errors[0].code, 'parameter_invalid');
  });
});
