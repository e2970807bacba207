import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IntercomClient } from 'intercom-client';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';

describe('the official intercom-client SDK against the emulator', () => {
  let em: RunningEmulator;
  let client: IntercomClient;

  before(async () => {
    em = await startEmulator({ conversations: 700, days: 30, seed: 'sdk' });
    client = new IntercomClient({ token: em.token, baseUrl: em.url, version: '2.14', maxRetries: 0 });
  });
  after(() => em.stop());

  it('lists every conversation, paginating to the end', async () => {
    const ids = new Set<string>();
    const page = await client.conversations.list({ per_page: 150 });
    for await (const conversation of page) ids.add(conversation.id);
    assert.equal(ids.size, em.workspace.live().length);
  });

  it('searches with the query language, paginating to the end', async () => {
    const since = em.workspace.anchor - 7 * 86400;
    const expected = em.workspace.live().filter((s) => s.updatedAt > since).length;
    const page = await client.conversations.search({
      query: { field: 'updated_at', operator: '>', value: String(since) },
      pagination: { per_page: 100 },
    });
    const ids = new Set<string>();
    for await (const conversation of page) ids.add(conversation.id);
    assert.ok(expected > 100, 'more than one page');
    assert.equal(ids.size, expected);
  });

  it('retrieves conversations with their parts', async () => {
    for (const s of em.workspace.live().slice(0, 25)) {
      const conversation = await client.conversations.find({
        conversation_id: s.id,
        display_as: 'plaintext',
      });
      assert.equal(conversation.id, s.id);
      assert.equal(conversation.updated_at, s.updatedAt);
      assert.equal(conversation.conversation_parts?.total_count, s.partCount);
    }
  });

  it('reads admins, teams, tags and contacts', async () => {
    const admins = await client.admins.list();
    assert.equal(admins.admins?.length, em.workspace.directory.admins.length);
    const teams = await client.teams.list();
    assert.equal(teams.teams?.length, em.workspace.directory.teams.length);
    const tags = await client.tags.list();
    assert.equal(tags.data?.length, em.workspace.directory.tags.length);
    const contactId = em.workspace.live()[0]!.contactId;
    const contact = await client.contacts.find({ contact_id: contactId });
    assert.equal(contact.id, contactId);
  });

  it('surfaces a wrong token as the SDK’s 401 error', async () => {
    const bad = new IntercomClient({ token: 'nope', baseUrl: em.url, maxRetries: 0 });
    await assert.rejects(
      () => bad.admins.identify(),
      (e: { statusCode?: number }) => e.statusCode === 401,
    );
  });
});
