/**
 * Writes to Intercom, on both engines, against the emulator over HTTP: for every write, the preview
 * changes nothing (not the emulator, not the copy), the confirmation makes exactly one write that
 * the emulator records and the copy shows at once, the handle used again or after it expired is
 * refused without writing, a dry run writes nothing, and a write whose answer is lost (a 5xx after
 * it landed, or before it did) is sent so that it lands once. Another caller's handle, and a caller
 * without the permission, are refused.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { LOCAL_CALLER, type Caller, type Permission } from '../../src/actions/permissions.js';
import { HANDLE_TTL_SECONDS, WriteDesk, WriteRefused } from '../../src/actions/write-desk.js';
import { targetNow } from '../../src/actions/target-now.js';
import type { WriteAction } from '../../src/actions/write-plan.js';
import { Logger } from '../../src/config/logger.js';
import { OpenApiValidator } from '../../src/emulator/openapi-validator.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import type { Store } from '../../src/store/types.js';
import { runSync } from '../../src/sync/engine.js';
import { maskedApi } from '../../src/sync/masked-at-sync.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { control } from '../helpers/http.js';

interface Recorded {
  route: string;
  body: Record<string, unknown>;
  applied: boolean;
  answer: number | string;
}

const DAYS = 20;

for (const engine of ENGINES)
  describe(`writes to Intercom, previewed and confirmed (${engine.name})`, () => {
    let em: RunningEmulator;
    let store: Store;
    let desk: WriteDesk;
    let clock = 0;
    const validator = new OpenApiValidator();
    const logger = new Logger({ level: 'ERROR', stderr: false });

    before(async () => {
      em = await startEmulator({ conversations: 150, days: DAYS, seed: 'write-desk' });
      ({ store } = await freshStore(engine));
      const api = new IntercomApi({
        baseUrl: em.url,
        token: em.token,
        requestOptions: { baseBackoffMs: 1, maxBackoffMs: 2 },
      });
      await runSync(api, store, { defaultDays: DAYS });
      desk = new WriteDesk(store, api, logger, { now: () => clock || Math.floor(Date.now() / 1000) });
    });
    after(async () => {
      await store?.close();
      await em?.stop();
    });
    beforeEach(async () => {
      clock = 0;
      await control(em, 'DELETE', '/writes');
      await control(em, 'DELETE', '/faults');
    });

    const writes = async (): Promise<Recorded[]> => (await control(em, 'GET', '/writes')).json.writes;
    const applied = async () => (await writes()).filter((w) => w.applied);
    const conversation = (pick: (s: ReturnType<RunningEmulator['workspace']['live']>[number]) => boolean) =>
      em.workspace.live().find((s) => pick(s))!.id;

    async function preview(
      type: 'conversation' | 'ticket',
      id: string,
      action: WriteAction,
      caller = LOCAL_CALLER,
    ) {
      const target = await targetNow(store, type, id);
      assert.ok(target, `the copy holds ${type} ${id}`);
      return desk.preview(caller, target, action, false);
    }

    /** The copy's view of a conversation, as an answer would read it. */
    const stored = async (id: string) => (await store.getConversation(id))!;
    /** Conversations and tickets one test changed, which the next leaves alone. */
    const used = new Set<string>();

    /**
     * Each write: a dry run and a preview write nothing and leave the copy as it was; a preview
     * confirmed after it expired is refused; one confirmed in time makes exactly one write of that
     * route (its body valid by the description), also when its answer is lost after it landed
     * (`lost`: a 500 once it is applied, and the write is not sent again); the copy shows it at once;
     * the handle used again is refused.
     */
    async function roundTrip(
      type: 'conversation' | 'ticket',
      id: string,
      action: WriteAction,
      route: string,
      shows: () => Promise<boolean>,
      lost: boolean,
    ) {
      await control(em, 'DELETE', '/writes');
      const read = () => (type === 'conversation' ? stored(id) : store.getTicket(id));
      const before = await read();
      const target = (await targetNow(store, type, id))!;
      const dry = await desk.preview(LOCAL_CALLER, target, action, true);
      assert.equal(dry.handle, undefined, 'a dry run has no handle');
      clock = Math.floor(Date.now() / 1000);
      const stale = await preview(type, id, action);
      clock += HANDLE_TTL_SECONDS;
      await assert.rejects(desk.confirm(LOCAL_CALLER, stale.handle!), /expired at .*preview the write again/);
      clock = 0;
      const p = await preview(type, id, action);
      assert.equal(p.plan.unchanged, null, `${p.plan.name} changes something`);
      assert.ok(p.handle);
      assert.deepEqual(await writes(), [], 'no write from a dry run, a preview or an expired handle');
      assert.deepEqual(await read(), before, 'the copy as it was');
      if (lost) await control(em, 'POST', '/faults/scripted', { route, kind: '500', applied: true });
      const done = await desk.confirm(LOCAL_CALLER, p.handle);
      assert.equal(done.recovered, lost);
      assert.equal(done.copyUpdated, true);
      const log = await writes();
      assert.deepEqual(
        log.map((w) => [w.route, w.applied, w.answer]),
        [[route, true, lost ? '500' : 200]],
        `${p.plan.name}: one write${lost ? ', not sent again after its answer was lost' : ''}`,
      );
      const [method, template] = route.split(' ') as [string, string];
      assert.deepEqual(validator.validateRequest(method, template, log[0]!.body), [], `${route} body`);
      assert.ok(await shows(), `the copy shows ${p.plan.name} at once`);
      await assert.rejects(desk.confirm(LOCAL_CALLER, p.handle), (e: Error) => {
        assert.ok(e instanceof WriteRefused);
        assert.match(e.message, /already used: the write \(audit \d+\) was done/);
        return true;
      });
      assert.equal((await writes()).length, 1, 'a replayed handle writes nothing');
      return done;
    }

    for (const lost of [false, true])
      it(`adds a note, tags and untags, assigns, closes, snoozes, reopens and replies on a conversation${lost ? ', each answer lost' : ''}`, async () => {
        const id = conversation(
          (s) =>
            s.state === 'open' &&
            s.tagIds.length === 0 &&
            s.teamAssigneeId !== em.workspace.directory.teams[2]!.id &&
            !used.has(s.id),
        );
        used.add(id);
        const parts = (await stored(id)).parts.length;
        const note = `Refund approved by finance${lost ? ' (lost answer)' : ''}.`;
        await roundTrip(
          'conversation',
          id,
          { target: 'conversation', kind: 'note', text: note },
          'POST /conversations/{conversation_id}/reply',
          async () => {
            const c = await stored(id);
            const last = c.parts.at(-1)!;
            return c.parts.length === parts + 1 && last.partType === 'note' && last.body === note;
          },
          lost,
        );
        const tag = (await store.findReference('tag', 'billing'))[0]!;
        await roundTrip(
          'conversation',
          id,
          { target: 'conversation', kind: 'tag', tag },
          'POST /conversations/{conversation_id}/tags',
          async () => (await stored(id)).tags.some((t) => t.id === tag.id),
          lost,
        );
        await roundTrip(
          'conversation',
          id,
          { target: 'conversation', kind: 'untag', tag },
          'DELETE /conversations/{conversation_id}/tags/{tag_id}',
          async () => !(await stored(id)).tags.some((t) => t.id === tag.id),
          lost,
        );
        const team = em.workspace.directory.teams[2]!;
        await roundTrip(
          'conversation',
          id,
          {
            target: 'conversation',
            kind: 'assign',
            to: { type: 'team', who: { id: team.id, name: team.name } },
          },
          'POST /conversations/{conversation_id}/parts',
          async () => (await stored(id)).teamAssignee?.id === team.id,
          lost,
        );
        await roundTrip(
          'conversation',
          id,
          { target: 'conversation', kind: 'close' },
          'POST /conversations/{conversation_id}/parts',
          async () => (await stored(id)).state === 'closed',
          lost,
        );
        const until = Math.floor(Date.now() / 1000) + 86_400;
        await roundTrip(
          'conversation',
          id,
          { target: 'conversation', kind: 'snooze', until },
          'POST /conversations/{conversation_id}/parts',
          async () => (await stored(id)).state === 'snoozed' && (await stored(id)).snoozedUntil === until,
          lost,
        );
        await roundTrip(
          'conversation',
          id,
          { target: 'conversation', kind: 'reopen' },
          'POST /conversations/{conversation_id}/parts',
          async () => (await stored(id)).state === 'open',
          lost,
        );
        const reply = `We have refunded you${lost ? ' (lost answer)' : ''}.`;
        const done = await roundTrip(
          'conversation',
          id,
          { target: 'conversation', kind: 'reply', text: reply },
          'POST /conversations/{conversation_id}/reply',
          async () => (await stored(id)).parts.at(-1)!.body === reply,
          lost,
        );
        assert.equal((done.entry.preview as { customerVisible: boolean }).customerVisible, true);
        assert.equal(
          em.workspace.find(id)!.partCount,
          (await stored(id)).parts.length,
          'no part posted twice',
        );
        const entries = await store.auditEntries({ limit: 8, previews: false });
        assert.deepEqual(
          entries.map((e) => [e.action, e.status, e.principal, e.targetId]).reverse(),
          ['note', 'tag', 'untag', 'assign', 'close', 'snooze', 'reopen', 'reply'].map((k) => [
            `conversation.${k}`,
            'done',
            'local stdio user',
            id,
          ]),
        );
      });

    for (const lost of [false, true])
      it(`changes a ticket's state and assignee, adds a note and replies${lost ? ', each answer lost' : ''}`, async () => {
        const ticket = em.workspace.tickets
          .live()
          .find((t) => t.open && t.stateId !== '4004' && t.contactIds.length > 0 && !used.has(t.id))!;
        used.add(ticket.id);
        const waiting = { id: '4004', label: 'Waiting on customer', category: 'waiting_on_customer' };
        await roundTrip(
          'ticket',
          ticket.id,
          { target: 'ticket', kind: 'state', state: waiting },
          'PUT /tickets/{ticket_id}',
          async () => (await store.getTicket(ticket.id))!.stateId === '4004',
          lost,
        );
        const admin = em.workspace.directory.humans[3]!;
        await roundTrip(
          'ticket',
          ticket.id,
          {
            target: 'ticket',
            kind: 'assign',
            to: { type: 'admin', who: { id: admin.id, name: admin.name } },
          },
          'PUT /tickets/{ticket_id}',
          async () => (await store.getTicket(ticket.id))!.adminAssignee?.id === admin.id,
          lost,
        );
        for (const kind of ['note', 'reply'] as const)
          await roundTrip(
            'ticket',
            ticket.id,
            { target: 'ticket', kind, text: `A ${kind} on the ticket` },
            'POST /tickets/{ticket_id}/reply',
            async () =>
              (await store.getTicket(ticket.id))!.parts.some(
                (p) =>
                  p.partType === (kind === 'note' ? 'note' : 'comment') && /on the ticket/.test(p.body ?? ''),
              ),
            lost,
          );
        assert.equal(
          em.workspace.tickets.find(ticket.id)!.partCount,
          (await store.getTicket(ticket.id))!.partsTotal,
        );
      });

    it('counts the writes in the status', async () => {
      const { writes: counted } = await store.status();
      assert.deepEqual(counted, { done: 24, failed: 0 });
    });

    it('says when a write would change nothing, and gives no handle for it or for a dry run', async () => {
      const id = conversation((s) => s.state === 'closed');
      const p = await preview('conversation', id, { target: 'conversation', kind: 'close' });
      assert.equal(p.plan.unchanged, 'it is already closed');
      assert.equal(p.handle, undefined);
      const target = (await targetNow(store, 'conversation', id))!;
      const dry = await desk.preview(LOCAL_CALLER, target, { target: 'conversation', kind: 'reopen' }, true);
      assert.equal(dry.handle, undefined);
      assert.deepEqual(dry.plan.changes, [{ field: 'state', from: 'closed', to: 'open' }]);
      assert.deepEqual(await writes(), []);
      assert.equal(
        (await store.auditEntries({ limit: 50, previews: true })).filter((e) => e.targetId === id).length,
        0,
      );
    });

    it('refuses an expired handle, another caller’s and an unknown one, writing nothing', async () => {
      const id = conversation((s) => s.state === 'open');
      const note = { target: 'conversation', kind: 'note', text: 'Expiring' } as const;
      clock = Math.floor(Date.now() / 1000);
      const p = await preview('conversation', id, note);
      clock += 10 * 60;
      await assert.rejects(desk.confirm(LOCAL_CALLER, p.handle!), /expired at .*preview the write again/);
      clock = 0;
      const q = await preview('conversation', id, note);
      const other: Caller = {
        principal: 'https://issuer someone-else',
        permissions: new Set(['write', 'reply']),
      };
      await assert.rejects(desk.confirm(other, q.handle!), /no preview has this confirmation handle for you/);
      await assert.rejects(
        desk.confirm(LOCAL_CALLER, 'wr_notahandle'),
        /no preview has this confirmation handle/,
      );
      assert.deepEqual(await writes(), []);
      const done = await desk.confirm(LOCAL_CALLER, q.handle!);
      assert.equal(done.entry.status, 'done', 'the handle refused to another caller still works for its own');
    });

    it('refuses a caller without the permission, naming it', async () => {
      const id = conversation((s) => s.state === 'open');
      const readOnly: Caller = { principal: 'https://issuer reader', permissions: new Set<Permission>() };
      await assert.rejects(
        preview('conversation', id, { target: 'conversation', kind: 'note', text: 'x' }, readOnly),
        /needs the 'write' permission.*intercom:write/,
      );
      const internal: Caller = {
        principal: 'https://issuer agent',
        permissions: new Set<Permission>(['write']),
      };
      await assert.rejects(
        preview('conversation', id, { target: 'conversation', kind: 'reply', text: 'x' }, internal),
        /needs the 'reply' permission.*intercom:reply/,
      );
      assert.deepEqual(await writes(), []);
    });

    it('refuses, recording nothing, when Intercom will not say who writes', async () => {
      const id = conversation((s) => s.state === 'open');
      const fresh = new WriteDesk(store, new IntercomApi({ baseUrl: em.url, token: em.token }), logger);
      await control(em, 'POST', '/faults/scripted', { route: 'GET /me', kind: '403' });
      const before = (await store.auditEntries({ limit: 100, previews: true })).length;
      const target = (await targetNow(store, 'conversation', id))!;
      await assert.rejects(
        fresh.preview(LOCAL_CALLER, target, { target: 'conversation', kind: 'close' }, false),
        (e: Error) =>
          e instanceof WriteRefused &&
          /Cannot read the admin writes are made as from Intercom: .*403/.test(e.message),
      );
      assert.equal((await store.auditEntries({ limit: 100, previews: true })).length, before);
      assert.deepEqual(await writes(), []);
    });

    it('posts once when the answer is lost after the write landed, and sends again when it had not', async () => {
      const route = 'POST /conversations/{conversation_id}/reply';
      const id = conversation((s) => s.state === 'open');
      const parts = (await stored(id)).parts.length;
      await control(em, 'POST', '/faults/scripted', { route, kind: '500', applied: true });
      const lost = await preview('conversation', id, {
        target: 'conversation',
        kind: 'note',
        text: 'Landed once',
      });
      const done = await desk.confirm(LOCAL_CALLER, lost.handle!);
      assert.equal(done.recovered, true);
      assert.deepEqual(
        (await writes()).map((w) => [w.applied, w.answer]),
        [[true, '500']],
        'not sent again: reading back found it',
      );
      assert.equal((await stored(id)).parts.filter((p) => p.body === 'Landed once').length, 1);
      await control(em, 'DELETE', '/writes');
      await control(em, 'POST', '/faults/scripted', { route, kind: '503' });
      const refused = await preview('conversation', id, {
        target: 'conversation',
        kind: 'note',
        text: 'Sent twice',
      });
      await desk.confirm(LOCAL_CALLER, refused.handle!);
      assert.deepEqual(
        (await writes()).map((w) => [w.applied, w.answer]),
        [
          [false, '503'],
          [true, 200],
        ],
      );
      assert.equal((await stored(id)).parts.length, parts + 2);
      assert.equal(em.workspace.find(id)!.partCount, (await stored(id)).parts.length);
    });

    it('records a write Intercom refuses as failed, and two confirmations racing on one handle write once', async () => {
      const id = conversation((s) => s.state === 'open');
      await control(em, 'POST', '/faults/scripted', {
        route: 'POST /conversations/{conversation_id}/reply',
        kind: '403',
      });
      const p = await preview('conversation', id, {
        target: 'conversation',
        kind: 'note',
        text: 'Forbidden',
      });
      await assert.rejects(desk.confirm(LOCAL_CALLER, p.handle!), /The write failed: .*403/);
      const [failed] = await store.auditEntries({ limit: 1, previews: false });
      assert.equal(failed!.status, 'failed');
      assert.match(failed!.error!, /403/);
      await control(em, 'DELETE', '/writes');
      const q = await preview('conversation', id, { target: 'conversation', kind: 'note', text: 'Raced' });
      const outcomes = await Promise.allSettled([
        desk.confirm(LOCAL_CALLER, q.handle!),
        desk.confirm(LOCAL_CALLER, q.handle!),
      ]);
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
      assert.equal((await applied()).length, 1);
    });
  });

describe('writes on a copy that keeps customers’ personal data out', () => {
  let em: RunningEmulator;
  let store: Store;
  let desk: WriteDesk;
  let replica: WriteDesk;
  const kinds = new Set(['emails', 'phones', 'cards'] as const);
  const TEXT = 'Called Ana on +1 415-555-0199; she confirmed ana.lopez@example.com for the refund.';

  before(async () => {
    em = await startEmulator({ conversations: 60, days: DAYS, seed: 'write-desk-masked' });
    ({ store } = await freshStore(ENGINES[0]!));
    const api = maskedApi(
      new IntercomApi({
        baseUrl: em.url,
        token: em.token,
        requestOptions: { baseBackoffMs: 1, maxBackoffMs: 2 },
      }),
      kinds,
    );
    await runSync(api, store, { defaultDays: DAYS });
    const logger = new Logger({ level: 'ERROR', stderr: false });
    desk = new WriteDesk(store, api, logger, { masking: kinds });
    replica = new WriteDesk(store, api, logger, { masking: kinds });
  });
  after(async () => {
    await store?.close();
    await em?.stop();
  });

  it('sends the text as written, once even when its answer is lost, and keeps it masked in the trail and the copy', async () => {
    const id = em.workspace.live().find((s) => s.state === 'open')!.id;
    const target = (await targetNow(store, 'conversation', id))!;
    const p = await desk.preview(
      LOCAL_CALLER,
      target,
      { target: 'conversation', kind: 'note', text: TEXT },
      false,
    );
    await assert.rejects(replica.confirm(LOCAL_CALLER, p.handle!), /kept only by the server that showed it/);
    await control(em, 'POST', '/faults/scripted', {
      route: 'POST /conversations/{conversation_id}/reply',
      kind: '502',
      applied: true,
    });
    const done = await desk.confirm(LOCAL_CALLER, p.handle!);
    assert.equal(done.recovered, true, 'the masked read back was recognised as the write');
    const sent = (await control(em, 'GET', '/writes')).json.writes as Recorded[];
    assert.deepEqual(
      sent.map((w) => [w.applied, w.body.body]),
      [[true, TEXT]],
    );
    const trail = JSON.stringify(await store.auditEntries({ limit: 10, previews: true }));
    assert.ok(!trail.includes('ana.lopez@example.com') && !trail.includes('555-0199'), trail.slice(0, 400));
    assert.match(trail, /\[email 1\]/);
    const note = (await store.getConversation(id))!.parts.at(-1)!;
    assert.match(note.body ?? '', /Called Ana on \[phone 1\]; she confirmed \[email 1\]/);
  });
});
