/**
 * The emulator's webhooks behave as Intercom's: every change with a topic is notified, signed with
 * the client secret; a failed delivery is retried; duplicates, delays (so later changes may arrive
 * first) and drops happen at the rates asked for.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { control } from '../helpers/http.js';

interface Received {
  body: string;
  signature: string | undefined;
  json: {
    type: string;
    id: string;
    topic: string;
    created_at: number;
    delivery_attempts: number;
    data: { type: string; item: { type: string; id: string; updated_at?: number } };
  };
}

describe('the emulator sends webhooks', () => {
  let em: RunningEmulator;
  let receiver: Server;
  let url: string;
  let received: Received[] = [];
  /** Answers this many deliveries with 500 before accepting. */
  let failFirst = 0;

  before(async () => {
    em = await startEmulator({ conversations: 100, days: 5, seed: 'webhooks-emulator' });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        if (failFirst > 0) {
          failFirst--;
          res.writeHead(500).end();
          return;
        }
        const signature = req.headers['x-hub-signature'];
        received.push({
          body,
          signature: typeof signature === 'string' ? signature : undefined,
          json: JSON.parse(body),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  });
  after(async () => {
    await em.stop();
    receiver.close();
  });

  const subscribe = async (options: object = {}) => {
    received = [];
    const r = await control(em, 'PUT', '/webhooks', {
      url,
      clientSecret: 'secret-1',
      retryDelayMs: 50,
      ...options,
    });
    assert.equal(r.status, 200, r.text);
  };

  it('notifies each change with its topic, in Intercom’s envelope, signed with the client secret', async () => {
    await subscribe();
    const [a, b, c] = em.workspace.live();
    await control(em, 'POST', `/conversations/${a!.id}/reply`, { author: 'contact', body: 'Hello?' });
    await control(em, 'POST', `/conversations/${b!.id}/state`, { state: 'closed' });
    await control(em, 'POST', `/conversations/${c!.id}/edit`, { addTag: em.workspace.directory.tags[0]!.id });
    await control(em, 'POST', `/conversations/${c!.id}/edit`, { read: true });
    await control(em, 'DELETE', `/conversations/${a!.id}`);
    await control(em, 'POST', '/webhooks/ping');
    await em.webhooks.settled();
    assert.deepEqual(
      received.map((r) => [r.json.topic, r.json.data.item.id ?? null]).sort(),
      [
        ['conversation.admin.closed', b!.id],
        ['conversation.deleted', a!.id],
        ['conversation.user.replied', a!.id],
        ['conversation_part.tag.created', c!.id],
        ['ping', null],
      ].sort(),
      'a read flag has no topic',
    );
    for (const r of received) {
      assert.equal(r.signature, `sha1=${createHmac('sha1', 'secret-1').update(r.body).digest('hex')}`);
      assert.equal(r.json.type, 'notification_event');
      assert.match(r.json.id, /^notif_/);
      assert.equal(r.json.delivery_attempts, 1);
    }
    const deleted = received.find((r) => r.json.topic === 'conversation.deleted')!;
    assert.deepEqual(
      deleted.json.data.item,
      { type: 'conversation', id: a!.id },
      'a deletion carries only the id',
    );
    const replied = received.find((r) => r.json.topic === 'conversation.user.replied')!;
    assert.equal(replied.json.data.type, 'notification_event_data');
    assert.equal(replied.json.data.item.type, 'conversation');
    assert.ok(replied.json.data.item.updated_at! >= replied.json.created_at - 1);
  });

  it('retries a failed delivery, counting its attempts', async () => {
    await subscribe();
    failFirst = 2;
    await control(em, 'POST', `/conversations/${em.workspace.live()[10]!.id}/reply`, {
      author: 'contact',
      body: 'again',
    });
    await em.webhooks.settled();
    assert.equal(received.length, 1);
    assert.equal(received[0]!.json.delivery_attempts, 3);
    const stats = (await control(em, 'GET', '/webhooks')).json;
    assert.equal(stats.failedAttempts, 2);
    assert.equal(stats.delivered, 1);
  });

  it('duplicates, delays out of order and drops at the rates asked for', async () => {
    await subscribe({ duplicateRate: 1, maxDelayMs: 400 });
    const ids = em.workspace
      .live()
      .slice(20, 50)
      .map((c) => c.id);
    for (const id of ids)
      await control(em, 'POST', `/conversations/${id}/reply`, { author: 'contact', body: 'x' });
    await em.webhooks.settled();
    assert.equal(received.length, 60, 'each sent twice, with one notification id');
    assert.equal(new Set(received.map((r) => r.json.id)).size, 30);
    const order = received.map((r) => ids.indexOf(r.json.data.item.id));
    assert.ok(
      order.some((x, i) => i > 0 && x < order[i - 1]!),
      'some arrive before earlier changes',
    );

    await subscribe({ dropRate: 1 });
    await control(em, 'POST', `/conversations/${ids[0]}/reply`, { author: 'contact', body: 'lost' });
    await em.webhooks.settled();
    assert.equal(received.length, 0);
    assert.equal((await control(em, 'GET', '/webhooks')).json.dropped, 1);
    await control(em, 'DELETE', '/webhooks');
  });
});
