/** Compares what the store holds with what the emulator's workspace says is true. */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { renderConversation } from '../../src/emulator/render.js';
import { htmlToPlaintext } from '../../src/emulator/html-text.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { renderTicket } from '../../src/emulator/ticket-routes.js';
import type { Workspace } from '../../src/emulator/workspace.js';
import { IntercomApi } from '../../src/intercom/client.js';
import type { Store } from '../../src/store/types.js';
import { runSync } from '../../src/sync/engine.js';
import { ENGINES, freshStore, type TestEngine } from './engines.js';

interface ApiPart {
  id: string;
  part_type: string;
  body: string | null;
  created_at: number;
  author: { type: string; id: string };
}

/** Asserts that every live conversation updated since `since` is stored exactly as the API serves it. */
export async function assertMirrors(store: Store, ws: Workspace, since = 0): Promise<number> {
  const expected = ws.live().filter((s) => s.updatedAt >= since);
  for (const s of expected) {
    const api = renderConversation(ws, s, { plaintext: true }) as {
      updated_at: number;
      state: string;
      conversation_parts: { conversation_parts: ApiPart[]; total_count: number };
      contacts: { contacts: { id: string }[] };
      tags: { tags: { id: string }[] };
      source: { body: string };
    };
    const got = await store.getConversation(s.id);
    assert.ok(got, `conversation ${s.id} is stored`);
    assert.equal(got.deletedAt, null, `${s.id} is live`);
    assert.equal(got.updatedAt, api.updated_at, `${s.id} updated_at`);
    assert.equal(got.state, api.state, `${s.id} state`);
    assert.equal(got.sourceBody, api.source.body, `${s.id} source body`);
    assert.equal(got.partsTotal, api.conversation_parts.total_count, `${s.id} total_count`);
    assert.deepEqual(
      got.parts.map((p) => [p.id, p.partType, p.body, p.createdAt, p.author.type, p.author.id]),
      api.conversation_parts.conversation_parts.map((p) => [
        p.id,
        p.part_type,
        p.body,
        p.created_at,
        p.author.type,
        p.author.id,
      ]),
      `${s.id} parts in order`,
    );
    assert.deepEqual(
      got.contacts.map((c) => c.id).sort(),
      api.contacts.contacts.map((c) => c.id).sort(),
      `${s.id} contacts`,
    );
    assert.deepEqual(got.tags.map((t) => t.id).sort(), api.tags.tags.map((t) => t.id).sort(), `${s.id} tags`);
  }
  const status = await store.status();
  assert.equal(status.conversations, expected.length, 'no conversation stored that the API does not have');
  return expected.length;
}

/** An emulator and a store in a fresh workspace, already backfilled from it, for sync tests. */
export interface SyncedWorkspace {
  em: RunningEmulator;
  store: Store;
  api: IntercomApi;
}

/**
 * For a describe block: an emulator with this workspace, synced into a fresh copy on this engine
 * before the block's tests, both closed after them. The fields are set once `before` has run.
 */
export function syncedWorkspace(
  options: Parameters<typeof startEmulator>[0],
  engine: TestEngine = ENGINES[0]!,
): SyncedWorkspace {
  const w = {} as SyncedWorkspace;
  before(async () => {
    w.em = await startEmulator(options);
    w.store = (await freshStore(engine)).store;
    w.api = new IntercomApi({ baseUrl: w.em.url, token: w.em.token });
    await runSync(w.api, w.store, { defaultDays: 30 });
  });
  after(async () => {
    await w.store?.close();
    await w.em?.stop();
  });
  return w;
}

interface ApiTicketPart {
  id: string;
  part_type: string;
  body: string | null;
  created_at: number;
  ticket_state: string;
  author: { type: string; id: string };
  attachments: { name: string; url: string; content_type: string; filesize: number }[];
}

/** Asserts that every live ticket updated since `since` is stored exactly as the API serves it, and no other. */
export async function assertTicketsMirror(store: Store, ws: Workspace, since = 0): Promise<number> {
  const expected = ws.tickets.live().filter((t) => t.updatedAt >= since);
  for (const t of expected) {
    const api = renderTicket(ws, t, true) as {
      ticket_id: string;
      ticket_state: { id: string; category: string; internal_label: string };
      ticket_attributes: Record<string, unknown>;
      linked_objects: { data: { type: string; id: string }[] };
      contacts: { contacts: { id: string }[] };
      ticket_parts: { ticket_parts: ApiTicketPart[]; total_count: number };
    };
    const got = await store.getTicket(t.id);
    assert.ok(got, `ticket ${t.id} is stored`);
    assert.equal(got.number, api.ticket_id, `${t.id} number`);
    assert.equal(got.updatedAt, t.updatedAt, `${t.id} updated_at`);
    assert.deepEqual(
      [got.stateId, got.stateCategory, got.stateLabel, got.open],
      [api.ticket_state.id, api.ticket_state.category, api.ticket_state.internal_label, t.open],
      `${t.id} state`,
    );
    assert.equal(got.title, api.ticket_attributes._default_title_, `${t.id} title`);
    assert.deepEqual(got.attributes, api.ticket_attributes, `${t.id} attributes`);
    assert.deepEqual(got.adminAssignee?.id ?? null, t.adminAssigneeId, `${t.id} assignee`);
    assert.deepEqual(got.teamAssignee?.id ?? null, t.teamAssigneeId, `${t.id} team`);
    assert.deepEqual(
      got.contacts.map((c) => c.id),
      api.contacts.contacts.map((c) => c.id).sort(),
      `${t.id} contacts`,
    );
    const link = (l: { type: string; id: string }) => `${l.type} ${l.id}`;
    assert.deepEqual(
      got.linked.map(link).sort(),
      [...new Set(api.linked_objects.data.map(link))].sort(),
      `${t.id} links`,
    );
    assert.equal(got.partsTotal, api.ticket_parts.total_count, `${t.id} total_count`);
    assert.deepEqual(
      got.parts.map((p) => [
        p.id,
        p.partType,
        p.body,
        p.createdAt,
        p.stateCategory,
        p.author.type,
        p.author.id,
      ]),
      api.ticket_parts.ticket_parts.map((p) => [
        p.id,
        p.part_type,
        p.body === null ? null : htmlToPlaintext(p.body),
        p.created_at,
        p.ticket_state,
        p.author.type,
        p.author.id,
      ]),
      `${t.id} parts in order`,
    );
    assert.deepEqual(
      got.parts.flatMap((p) => p.attachments),
      api.ticket_parts.ticket_parts.flatMap((p) =>
        p.attachments.map((a) => ({
          name: a.name,
          url: a.url,
          contentType: a.content_type,
          size: a.filesize,
        })),
      ),
      `${t.id} attachments`,
    );
  }
  assert.equal(
    (await store.ticketVersions()).size,
    expected.length,
    'no ticket stored that the API does not have',
  );
  return expected.length;
}

/**
 * Asserts that the store holds every live company as the workspace has it, no other, and the
 * same contacts for each, both ways (a company's count, each contact's companies).
 */
export async function assertCompaniesMirror(store: Store, ws: Workspace): Promise<number> {
  const live = ws.companies.live();
  const page = await store.searchCompanies({ limit: 1_000_000, offset: 0 });
  assert.deepEqual(
    page.hits.map((h) => h.id).sort(),
    live.map((c) => c.id).sort(),
    'the same companies, and no other',
  );
  const stored = new Map(page.hits.map((h) => [h.id, h]));
  const memberOf = new Map<string, string[]>();
  for (const c of live) {
    const members = ws.companies.contactsOf(c).map((i) => ws.directory.contact(i).id);
    assert.deepEqual(
      stored.get(c.id),
      {
        id: c.id,
        companyId: c.companyId,
        name: c.name,
        plan: c.plan?.name ?? null,
        size: c.size,
        website: c.website,
        industry: c.industry,
        monthlySpend: c.monthlySpend,
        sessionCount: c.sessionCount,
        userCount: members.length,
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
        lastRequestAt: c.lastRequestAt,
        customAttributes: c.customAttributes,
        tags: c.tagIds.map((id) => ws.directory.tags.find((t) => t.id === id)!.name),
        contacts: members.length,
      },
      `company ${c.id}`,
    );
    for (const id of members) memberOf.set(id, [...(memberOf.get(id) ?? []), c.id]);
  }
  for (const [contactId, companies] of memberOf) {
    const contact = await store.getContact(contactId);
    assert.deepEqual(
      contact?.companies.map((c) => c.id).sort(),
      companies.sort(),
      `contact ${contactId}'s companies`,
    );
  }
  return live.length;
}
