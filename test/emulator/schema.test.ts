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
