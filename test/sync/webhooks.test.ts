/**
 * Intercom's webhooks, end to end: the emulator's signed notifications to a real `serve` process,
 * its durable queue in a real store on each engine, and the copy read back. Each test fails if its
 * promise breaks: a forged or missing signature changes nothing; a duplicate is applied once; an
 * older notification arriving late does not overwrite a newer copy; a deletion leaves search; a
 * notification accepted just before kill -9 is applied after the restart; with a fifth of the
 * notifications dropped, polling brings the copy to the workspace; tickets and companies follow
 * their topics. Other topics are acknowledged and counted.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderConversation } from '../../src/emulator/render.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import type { ConversationSummary } from '../../src/emulator/workspace.js';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { openStore, type StoreTarget } from '../../src/store/open.js';
import { runSync } from '../../src/sync/engine.js';
import { ENGINES, freshStore, targetEnv } from '../helpers/engines.js';
import { control, rawRequest } from '../helpers/http.js';
import { assertMirrors } from '../helpers/mirror.js';

const TOKEN = 'webhooks-test-token-1234';
const SECRET = 'app-client-secret-5678';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sign = (body: string, secret = SECRET) =>
  `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const threadFetches = (em: RunningEmulator) =>
  [...em.settings.requestCounts]
    .filter(([route]) => /^GET \/conversations\/\{[^/]+\}$/.test(route))
    .reduce((n, [, v]) => n + v, 0);

for (const engine of ENGINES)
  describe(`webhooks into a running server (${engine.name})`, () => {
    let em: RunningEmulator;
    let target: StoreTarget;
    let serve: ServeProcess;
    let hookUrl: string;
    const env = () => ({
      INTERCOM_API_BASE_URL: em.url,
      INTERCOM_ACCESS_TOKEN: em.token,
      FASTINTERCOM_WEBHOOK_SECRET: SECRET,
      // No scheduled polling: what reaches the copy here comes through the webhooks.
      FASTINTERCOM_BACKGROUND_SYNC_INTERVAL: '0',
      // A failed notification is tried again at once: its five tries follow one another.
      FASTINTERCOM_WEBHOOK_RETRY_SECONDS: '0',
      ...targetEnv(target),
    });
    const start = async () => {
      serve = await startServeProcess(target.workspaceDir, env(), TOKEN, [], false);
      hookUrl = new URL('/webhooks/intercom', serve.url).toString();
    };
    const subscribe = (options: object = {}) =>
      control(em, 'PUT', '/webhooks', { url: hookUrl, clientSecret: SECRET, ...options });
    const post = (body: string, signature?: string) =>
      rawRequest(hookUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(signature ? { 'X-Hub-Signature': signature } : {}),
        },
        body,
      });
    const stored = async (id: string) => {
      const store = await openStore(target);
      try {
        return await store.getConversation(id);
      } finally {
        await store.close();
      }
    };
    const queue = async () => {
      const store = await openStore(target);
      try {
        return await store.notificationStats();
      } finally {
        await store.close();
      }
    };
    /** A sync_conversations call through a real client, which must succeed. */
    const syncThroughMcp = async () => {
      const client = await serve.connect();
      try {
        const r = (await client.callTool({
          name: 'sync_conversations',
          arguments: { wait_seconds: 60 },
        })) as {
          isError?: boolean;
        };
        assert.equal(r.isError, undefined);
      } finally {
        await client.close();
      }
    };
    const envelope = (id: string, topic: string, item: unknown) =>
      JSON.stringify({
        type: 'notification_event',
        id,
        topic,
        app_id: 'test',
        created_at: Math.floor(Date.now() / 1000),
        data: { type: 'notification_event_data', item },
      });

    before(async () => {
      em = await startEmulator({ conversations: 300, days: 10, seed: `webhooks-${engine.name}` });
      const fresh = await freshStore(engine);
      target = fresh.target;
      await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), fresh.store, { defaultDays: 30 });
      await fresh.store.close();
      await start();
    });
    after(async () => {
      await serve?.stop();
      await em?.stop();
    });

    it('refuses a missing or forged signature with 401 and queues nothing; answers a ping', async () => {
      const c = em.workspace.live()[0]!;
      const body = envelope(
        'notif_forged',
        'conversation.admin.closed',
        renderConversation(em.workspace, c, { plaintext: false }),
      );
      assert.equal((await post(body)).status, 401);
      assert.equal((await post(body, sign(body, 'not-the-secret'))).status, 401);
      assert.equal((await post(body, sign(`${body} `))).status, 401, 'a signature of other bytes');
      assert.equal((await queue()).received, 0);
      const ping = JSON.stringify({
        type: 'notification_event',
        id: 'notif_ping',
        topic: 'ping',
        created_at: 1,
        data: { item: {} },
      });
      const r = await post(ping, sign(ping));
      assert.equal(r.status, 200);
      assert.equal((await queue()).received, 0, 'a ping is not queued');
      const log = readFileSync(join(target.workspaceDir, 'logs', 'fast-intercom-mcp.log'), 'utf8');
      assert.match(log, /webhooks: a notification from .* refused: wrong X-Hub-Signature/);
      assert.ok(!log.includes(SECRET), 'the secret is in no log line');
      const other = envelope('notif_contact', 'contact.user.created', { type: 'contact', id: 'c-1' });
      assert.equal(
        (await post(other, sign(other))).status,
        200,
        'a topic without a conversation is acknowledged',
      );
      await until('it counted and done', async () => {
        const q = await queue();
        return q.byTopic['contact.user.created'] === 1 && q.pending === 0 ? true : undefined;
      });
    });

    it('applies a change within seconds, and a duplicate delivery once', async () => {
      await subscribe({ duplicateRate: 1 });
      const c = em.workspace.live()[5]!;
      const before = threadFetches(em);
      await control(em, 'POST', `/conversations/${c.id}/reply`, {
        author: 'contact',
        body: 'Webhook reply: the export is stuck again',
      });
      await em.webhooks.settled();
      assert.equal(em.webhooks.stats.duplicated, 1);
      assert.equal(em.webhooks.stats.delivered, 2, 'both copies were delivered');
      const got = await until('the reply in the copy', async () => {
        const s = await stored(c.id);
        return s?.parts.some((p) => p.body?.includes('export is stuck again')) ? s : undefined;
      });
      assert.ok(got);
      await until('the queue to empty', async () => ((await queue()).pending === 0 ? true : undefined));
      const q = await queue();
      assert.equal(q.byTopic['conversation.user.replied'], 1, 'one notification stored for two deliveries');
      assert.equal(threadFetches(em) - before, 1, 'one thread fetch for the two deliveries');
      await control(em, 'DELETE', '/webhooks');
    });

    it('reads a ticket whole when its notification says it changed', async () => {
      await subscribe();
      const t = em.workspace.tickets.live().find((x) => x.contactIds.length > 0)!;
      await control(em, 'POST', `/tickets/${t.id}/change`, {
        kind: 'reply',
        body: 'Webhook reply on a ticket',
      });
      await control(em, 'POST', `/tickets/${t.id}/change`, { kind: 'state', stateId: '4005' });
      await em.webhooks.settled();
      const ticket = await until('the ticket closed in the copy', async () => {
        const store = await openStore(target);
        try {
          const got = await store.getTicket(t.id);
          return got?.stateCategory === 'resolved' ? got : undefined;
        } finally {
          await store.close();
        }
      });
      assert.ok(ticket.parts.some((p) => p.body === 'Webhook reply on a ticket'));
      await until('the queue to empty', async () => ((await queue()).pending === 0 ? true : undefined));
      const q = await queue();
      assert.equal(q.byTopic['ticket.contact.replied'], 1);
      assert.equal(q.byTopic['ticket.closed'], 1);
      await control(em, 'DELETE', '/webhooks');
    });

    it("applies a company's change, creation and deletion from their notifications", async () => {
      await subscribe();
      const [changed, deleted] = em.workspace.companies.live().slice(2, 4);
      const plan = changed!.plan?.name === 'Enterprise' ? 'Starter' : 'Enterprise';
      await control(em, 'POST', `/companies/${changed!.id}/change`, { kind: 'plan', plan });
      await control(em, 'DELETE', `/companies/${deleted!.id}`);
      const created = (await control(em, 'POST', '/companies', { name: 'Webhook Made Ltd' })).json;
      await em.webhooks.settled();
      const companyIds = async () => {
        const store = await openStore(target);
        try {
          const page = await store.searchCompanies({ limit: 1000, offset: 0 });
          return new Map(page.hits.map((h) => [h.id, h]));
        } finally {
          await store.close();
        }
      };
      const copy = await until('the three changes in the copy', async () => {
        const got = await companyIds();
        return got.get(changed!.id)?.plan === plan && !got.has(deleted!.id) && got.has(created.id)
          ? got
          : undefined;
      });
      assert.equal(copy.size, em.workspace.companies.live().length);
      await until('the queue to empty', async () => ((await queue()).pending === 0 ? true : undefined));
      const q = await queue();
      for (const topic of ['company.updated', 'company.deleted', 'company.created'])
        assert.equal(q.byTopic[topic], 1, topic);
      await control(em, 'DELETE', '/webhooks');
    });

    it('applies a change that added no part (a tag) from the notification itself, with no API call', async () => {
      await subscribe();
      const c = em.workspace.live()[7]!;
      const tag = em.workspace.directory.tags.find((t) => !c.tagIds.includes(t.id))!;
      const calls = () => [...em.settings.requestCounts.values()].reduce((a, b) => a + b, 0);
      const before = calls();
      await control(em, 'POST', `/conversations/${c.id}/edit`, { addTag: tag.id });
      await em.webhooks.settled();
      await until('the tag in the copy', async () =>
        (await stored(c.id))?.tags.some((t) => t.id === tag.id) ? true : undefined,
      );
      assert.equal(calls(), before, 'no request reached the API');
      await control(em, 'DELETE', '/webhooks');
    });

    it('does not let an older notification, arriving late, overwrite a newer copy', async () => {
      const c = em.workspace.live()[9]!;
      const old = renderConversation(em.workspace, c, { plaintext: false }) as { updated_at: number };
      await sleep(1100);
      await control(em, 'POST', `/conversations/${c.id}/reply`, {
        author: 'admin',
        body: 'Newer: refunded in full',
      });
      const summary = em.workspace.find(c.id)!;
      const newer = renderConversation(em.workspace, summary, { plaintext: false }) as { updated_at: number };
      assert.ok(newer.updated_at > old.updated_at);
      const first = envelope('notif_newer', 'conversation.admin.replied', newer);
      assert.equal((await post(first, sign(first))).status, 200);
      await until('the newer copy', async () =>
        (await stored(c.id))?.updatedAt === newer.updated_at ? true : undefined,
      );
      const fetchesBefore = threadFetches(em);
      const late = envelope('notif_older', 'conversation.user.replied', old);
      assert.equal((await post(late, sign(late))).status, 200);
      await until('the late one processed', async () => ((await queue()).pending === 0 ? true : undefined));
      const after = await stored(c.id);
      assert.equal(after!.updatedAt, newer.updated_at, 'the copy keeps the newer version');
      assert.ok(after!.parts.some((p) => p.body?.includes('refunded in full')));
      assert.equal(threadFetches(em), fetchesBefore, 'the older one cost no API call');
    });

    it('applies a notification whose title holds a NUL, and the ones after it', async () => {
      const [c, d] = em.workspace.live().slice(14, 16) as [ConversationSummary, ConversationSummary];
      const retitled = async (id: string, title: string, notif: string) => {
        await control(em, 'POST', `/conversations/${id}/edit`, { title });
        const body = envelope(
          notif,
          'conversation.admin.assigned',
          renderConversation(em.workspace, em.workspace.find(id)!, { plaintext: false }),
        );
        assert.equal((await post(body, sign(body))).status, 200);
      };
      await retitled(c.id, 'Refund\u0000 request', 'notif_nul');
      await retitled(d.id, 'After the NUL', 'notif_after_nul');
      await until('both applied', async () => ((await queue()).pending === 0 ? true : undefined));
      assert.equal((await stored(c.id))?.title, 'Refund request');
      assert.equal((await stored(d.id))?.title, 'After the NUL');
      assert.equal((await queue()).parked, 0);
    });

    it('goes on past a notification that cannot be applied, parks it after five tries, and the next sync reads it', async () => {
      const poisoned = em.workspace.live()[16]!;
      // A new part upstream (no subscription yet): its notification needs the thread, which fails.
      await control(em, 'POST', `/conversations/${poisoned.id}/reply`, {
        author: 'contact',
        body: 'Poisoned: still waiting on the refund',
      });
      await control(em, 'POST', '/faults/scripted', {
        route: 'GET /conversations/{id}',
        kind: '403',
        count: 5,
      });
      const poison = envelope(
        'notif_poison',
        'conversation.user.replied',
        renderConversation(em.workspace, em.workspace.find(poisoned.id)!, { plaintext: false }),
      );
      assert.equal((await post(poison, sign(poison))).status, 200);
      await subscribe();
      const ordinary = em.workspace.live()[17]!;
      const tag = em.workspace.directory.tags.find((t) => !ordinary.tagIds.includes(t.id))!;
      await control(em, 'POST', `/conversations/${ordinary.id}/edit`, { addTag: tag.id });
      await em.webhooks.settled();
      await control(em, 'DELETE', '/webhooks');
      await until('the ordinary one applied', async () =>
        (await stored(ordinary.id))?.tags.some((t) => t.id === tag.id) ? true : undefined,
      );
      const parked = await until('the poison parked', async () => {
        const q = await queue();
        return q.parked === 1 && q.pending === 0 ? q : undefined;
      });
      assert.equal(parked.parked, 1);
      assert.ok(!(await stored(poisoned.id))?.parts.some((p) => p.body?.includes('Poisoned')));
      const client = await serve.connect();
      try {
        const status = (await client.callTool({ name: 'get_server_status', arguments: {} })) as unknown as {
          structuredContent: { webhooks: { parked: number } };
          content: { text: string }[];
        };
        assert.equal(status.structuredContent.webhooks.parked, 1);
        assert.match(status.content[0]!.text, /1 parked after failing/);
      } finally {
        await client.close();
      }
      await syncThroughMcp();
      assert.equal((await queue()).parked, 0, 'the sync settled the parked one');
      assert.ok((await stored(poisoned.id))?.parts.some((p) => p.body?.includes('Poisoned')));
    });

    it('removes a deleted conversation from search', async () => {
      await subscribe();
      const c = em.workspace.live()[12]!;
      await control(em, 'POST', `/conversations/${c.id}/reply`, {
        author: 'contact',
        body: 'zanzibarquux appears once',
      });
      const client = await serve.connect();
      try {
        const search = async () =>
          (
            (await client.callTool({
              name: 'search_conversations',
              arguments: { query: 'zanzibarquux' },
            })) as {
              structuredContent?: { total: number };
            }
          ).structuredContent?.total;
        await until('the new words searchable', async () => ((await search()) === 1 ? true : undefined));
        await control(em, 'DELETE', `/conversations/${c.id}`);
        await until('the deletion applied', async () => ((await search()) === 0 ? true : undefined));
        assert.equal((await stored(c.id))?.deletedAt !== null, true);
      } finally {
        await client.close();
        await control(em, 'DELETE', '/webhooks');
      }
    });

    it('applies after a restart a notification accepted just before kill -9', async () => {
      await subscribe();
      // Slow threads: the server has answered 200 and is still fetching when it is killed.
      await control(em, 'PUT', '/latency', { fixedMs: 4000 });
      const c = em.workspace.live()[20]!;
      await control(em, 'POST', `/conversations/${c.id}/reply`, {
        author: 'contact',
        body: 'Accepted before the crash',
      });
      await until('the delivery', async () => (em.webhooks.stats.delivered >= 1 ? true : undefined));
      serve.child.kill('SIGKILL');
      await serve.exited;
      assert.equal((await queue()).pending, 1, 'the notification is in the queue, not lost');
      await control(em, 'PUT', '/latency', { fixedMs: 0 });
      await control(em, 'DELETE', '/webhooks');
      await start();
      await until(
        'the restarted server to apply it',
        async () => ((await queue()).pending === 0 ? true : undefined),
        20_000,
      );
      assert.ok((await stored(c.id))?.parts.some((p) => p.body?.includes('Accepted before the crash')));
    });

    it('with a fifth of the notifications dropped, polling brings the copy to the workspace', async () => {
      await subscribe({ dropRate: 0.2, maxDelayMs: 300 });
      const live = em.workspace.live();
      for (let i = 0; i < 40; i++)
        await control(em, 'POST', `/conversations/${live[30 + i]!.id}/reply`, {
          author: 'contact',
          body: `Change ${i}`,
        });
      await em.webhooks.settled();
      const dropped = em.webhooks.stats.dropped;
      assert.ok(dropped > 0 && dropped < 40, `${dropped} of 40 dropped`);
      await until('the delivered ones applied', async () =>
        (await queue()).pending === 0 ? true : undefined,
      );
      const store = await openStore(target);
      try {
        const behind = await assertMirrors(store, em.workspace).then(
          () => undefined,
          (e: unknown) => (e as Error).message,
        );
        assert.ok(behind, 'the dropped changes are missing before polling');
        await syncThroughMcp();
        await assertMirrors(store, em.workspace);
      } finally {
        await store.close();
        await control(em, 'DELETE', '/webhooks');
      }
    });
  });
