/**
 * The emulator's write routes, as the vendored description and the API notes define them: each
 * request documented shape accepted, each answer in its documented shape, the workspace changed so
 * the next read and search show it, every write recorded (applied or not), a mistake answered 400
 * or 404 changing nothing, and a fault that lands the write before losing its answer.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OpenApiValidator } from '../../src/emulator/openapi-validator.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { call, control } from '../helpers/http.js';

interface Recorded {
  route: string;
  path: string;
  body: unknown;
  applied: boolean;
  answer: number | string;
}

describe('emulated writes', () => {
  let em: RunningEmulator;
  const validator = new OpenApiValidator();
  let admin: string;
  before(async () => {
    em = await startEmulator({ conversations: 200, days: 20, seed: 'writes' });
    admin = em.workspace.directory.humans[1]!.id;
  });
  after(() => em.stop());
  beforeEach(async () => {
    await control(em, 'DELETE', '/writes');
    await control(em, 'DELETE', '/faults');
  });

  const writes = async (): Promise<Recorded[]> => (await control(em, 'GET', '/writes')).json.writes;
  const openOne = () => em.workspace.live().find((s) => s.state === 'open')!;

  /** A documented request, answered 200 in the documented shape. */
  async function write(method: string, route: string, path: string, body: unknown) {
    assert.deepEqual(validator.validateRequest(method, route, body), [], `${method} ${route} request`);
    const res = await call(em, method, path, body);
    assert.equal(res.status, 200, `${method} ${path}: ${res.text.slice(0, 300)}`);
    assert.deepEqual(validator.validateResponse(method, route, 200, res.json), [], `${method} ${route}`);
    return res.json;
  }

  it('posts a note and a reply as an admin, each one part, recorded once', async () => {
    const c = openOne();
    const note = await write('POST', '/conversations/{id}/reply', `/conversations/${c.id}/reply`, {
      message_type: 'note',
      type: 'admin',
      admin_id: admin,
      body: 'Refund approved <b>by finance</b> & logged',
    });
    const last = note.conversation_parts.conversation_parts.at(-1);
    assert.equal(last.part_type, 'note');
    assert.equal(last.body, '<p>Refund approved &lt;b&gt;by finance&lt;/b&gt; &amp; logged</p>');
    assert.equal(last.author.id, admin);
    assert.equal(note.statistics.count_conversation_parts, c.partCount + 2);
    const reply = await write('POST', '/conversations/{id}/reply', `/conversations/${c.id}/reply`, {
      message_type: 'comment',
      type: 'admin',
      admin_id: admin,
      body: '<p>We have refunded you.</p>',
    });
    assert.equal(reply.conversation_parts.conversation_parts.at(-1).body, '<p>We have refunded you.</p>');
    assert.equal(em.workspace.find(c.id)!.partCount, c.partCount + 2);
    const log = await writes();
    assert.deepEqual(
      log.map((w) => [w.route, w.applied, w.answer]),
      [
        ['POST /conversations/{conversation_id}/reply', true, 200],
        ['POST /conversations/{conversation_id}/reply', true, 200],
      ],
    );
    assert.equal((log[0]!.body as { body: string }).body, 'Refund approved <b>by finance</b> & logged');
  });

  it('closes, snoozes, reopens and assigns through /parts, and search sees each', async () => {
    const c = openOne();
    const path = `/conversations/${c.id}/parts`;
    const route = '/conversations/{id}/parts';
    const closed = await write('POST', route, path, {
      message_type: 'close',
      type: 'admin',
      admin_id: admin,
    });
    assert.equal(closed.state, 'closed');
    const found = await call(em, 'POST', '/conversations/search', {
      query: {
        operator: 'AND',
        value: [
          { field: 'id', operator: '=', value: c.id },
          { field: 'state', operator: '=', value: 'closed' },
        ],
      },
    });
    assert.equal(found.json.total_count, 1);
    const until = em.workspace.now() + 3600;
    const snoozed = await write('POST', route, path, {
      message_type: 'snoozed',
      admin_id: admin,
      snoozed_until: until,
    });
    assert.equal(snoozed.state, 'snoozed');
    assert.equal(snoozed.snoozed_until, until);
    const opened = await write('POST', route, path, { message_type: 'open', admin_id: admin });
    assert.equal(opened.state, 'open');
    const team = em.workspace.directory.teams[1]!.id;
    const assign = (type: 'admin' | 'team', assigneeId: string) =>
      write('POST', route, path, {
        message_type: 'assignment',
        type,
        admin_id: admin,
        assignee_id: assigneeId,
      });
    const toTeam = await assign('team', team);
    assert.equal(String(toTeam.team_assignee_id), team);
    const toAdmin = await assign('admin', admin);
    assert.equal(String(toAdmin.admin_assignee_id), admin);
    const nobody = await assign('admin', '0');
    assert.equal(nobody.admin_assignee_id, 0, 'the API says 0 for nobody');
    assert.equal(String(nobody.team_assignee_id), team, 'unassigning the admin keeps the team');
    assert.equal((await writes()).filter((w) => w.applied).length, 6);
  });

  it('tags and untags: a tag applied twice is one tag, a removal of an absent tag is 404', async () => {
    const c = em.workspace.live().find((s) => s.tagIds.length === 0)!;
    const tag = em.workspace.directory.tags[2]!;
    const added = await write('POST', '/conversations/{id}/tags', `/conversations/${c.id}/tags`, {
      id: tag.id,
      admin_id: admin,
    });
    assert.deepEqual([added.id, added.name, added.applied_by.id], [tag.id, tag.name, admin]);
    const again = await write('POST', '/conversations/{id}/tags', `/conversations/${c.id}/tags`, {
      id: tag.id,
      admin_id: admin,
    });
    assert.equal(again.applied_at, added.applied_at);
    assert.deepEqual(em.workspace.find(c.id)!.tagIds, [tag.id]);
    const removed = await write(
      'DELETE',
      '/conversations/{id}/tags/{tag_id}',
      `/conversations/${c.id}/tags/${tag.id}`,
      { admin_id: admin },
    );
    assert.equal(removed.id, tag.id);
    assert.deepEqual(em.workspace.find(c.id)!.tagIds, []);
    const absent = await call(em, 'DELETE', `/conversations/${c.id}/tags/${tag.id}`, { admin_id: admin });
    assert.equal(absent.status, 404);
    assert.equal(absent.json.errors[0].code, 'tag_not_found');
    assert.deepEqual(
      (await writes()).map((w) => [w.applied, w.answer]),
      [
        [true, 200],
        [true, 200],
        [true, 200],
        [false, 404],
      ],
    );
  });

  it('updates a ticket (attributes, state, assignee in one second) and posts a note on it', async () => {
    const t = em.workspace.tickets.live().find((x) => x.open && x.contactIds.length > 0)!;
    const team = em.workspace.directory.teams[0]!.id;
    const updated = await write('PUT', '/tickets/{id}', `/tickets/${t.id}`, {
      ticket_attributes: { _default_title_: 'Refund not received' },
      ticket_state_id: '4004',
      assignee_id: team,
      admin_id: Number(admin),
    });
    assert.equal(updated.ticket_state.id, '4004');
    assert.equal(updated.ticket_attributes._default_title_, 'Refund not received');
    assert.equal(String(updated.team_assignee_id), team);
    const added = updated.ticket_parts.ticket_parts.slice(-3);
    assert.equal(new Set(added.map((p: { created_at: number }) => p.created_at)).size, 1);
    const closed = await write('PUT', '/tickets/{id}', `/tickets/${t.id}`, { open: false });
    assert.equal(closed.open, false);
    assert.equal(closed.ticket_state.category, 'resolved');
    const note = await write('POST', '/tickets/{id}/reply', `/tickets/${t.id}/reply`, {
      message_type: 'note',
      type: 'admin',
      admin_id: admin,
      body: 'Refund sent again',
    });
    assert.deepEqual(
      [note.part_type, note.body, note.author.id],
      ['note', '<p>Refund sent again</p>', admin],
    );
    assert.equal(em.workspace.tickets.find(t.id)!.partCount, t.partCount + 5);
  });

  it('answers a mistake with the API error naming it, changing nothing', async () => {
    const c = openOne();
    const t = em.workspace.tickets.live()[0]!;
    const version = em.workspace.version;
    const ticketVersion = em.workspace.tickets.version;
    const cases: [string, string, unknown, number, string][] = [
      [
        'POST',
        `/conversations/${c.id}/reply`,
        { message_type: 'note', type: 'admin', body: 'x' },
        400,
        'admin_id',
      ],
      [
        'POST',
        `/conversations/${c.id}/reply`,
        { message_type: 'note', type: 'admin', admin_id: admin },
        400,
        'body',
      ],
      [
        'POST',
        `/conversations/${c.id}/reply`,
        { message_type: 'note', type: 'admin', admin_id: '1', body: 'x' },
        404,
        'Admin',
      ],
      [
        'POST',
        `/conversations/9999999999/reply`,
        { message_type: 'note', type: 'admin', admin_id: admin, body: 'x' },
        404,
        'Conversation',
      ],
      [
        'POST',
        `/conversations/${c.id}/parts`,
        { message_type: 'snoozed', admin_id: admin, snoozed_until: 1 },
        400,
        'snoozed_until',
      ],
      [
        'POST',
        `/conversations/${c.id}/parts`,
        { message_type: 'assignment', type: 'team', admin_id: admin, assignee_id: '42' },
        404,
        'Team',
      ],
      [
        'POST',
        `/conversations/${c.id}/parts`,
        { message_type: 'reopen', admin_id: admin },
        400,
        'message_type',
      ],
      ['POST', `/conversations/${c.id}/tags`, { id: '1', admin_id: admin }, 404, 'Tag'],
      ['POST', `/conversations/${c.id}/reply`, '{"message_type": ', 400, 'JSON'],
      ['PUT', `/tickets/${t.id}`, { ticket_state_id: '9' }, 400, 'ticket_state_id'],
      ['PUT', `/tickets/${t.id}`, { snoozed_until: 1 }, 400, 'snoozed_until'],
      ['PUT', `/tickets/${t.id}`, { admin_id: admin }, 400, 'update'],
    ];
    for (const [method, path, body, status, names] of cases) {
      const res = await call(em, method, path, body);
      assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}: ${res.text}`);
      assert.match(res.json.errors[0].message + (res.json.errors[0].field ?? ''), new RegExp(names));
    }
    assert.equal(em.workspace.version, version, 'no conversation changed');
    assert.equal(em.workspace.tickets.version, ticketVersion, 'no ticket changed');
    const log = await writes();
    assert.equal(log.length, cases.length);
    assert.ok(log.every((w) => !w.applied));
    assert.equal(log.at(-4)!.body, '{"message_type": ', 'a body that is not JSON is recorded as sent');
  });

  it('a fault before the write changes nothing; one after it lands the write and loses the answer', async () => {
    const c = openOne();
    const route = 'POST /conversations/{conversation_id}/reply';
    const body = { message_type: 'note', type: 'admin', admin_id: admin, body: 'Checked the logs' };
    await control(em, 'POST', '/faults/scripted', { route, kind: '503' });
    assert.equal((await call(em, 'POST', `/conversations/${c.id}/reply`, body)).status, 503);
    assert.equal(em.workspace.find(c.id)!.partCount, c.partCount);
    await control(em, 'POST', '/faults/scripted', { route, kind: '500', applied: true });
    assert.equal((await call(em, 'POST', `/conversations/${c.id}/reply`, body)).status, 500);
    assert.equal(em.workspace.find(c.id)!.partCount, c.partCount + 1, 'the write landed');
    await control(em, 'POST', '/faults/scripted', { route, kind: 'reset', applied: true });
    await assert.rejects(call(em, 'POST', `/conversations/${c.id}/reply`, body));
    assert.equal(em.workspace.find(c.id)!.partCount, c.partCount + 2);
    assert.deepEqual(
      (await writes()).map((w) => [w.applied, w.answer]),
      [
        [false, '503'],
        [true, '500'],
        [true, 'reset'],
      ],
    );
  });
});
