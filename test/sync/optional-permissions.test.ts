/**
 * A token without "Read admins" and "Read tags": the lists of admins, teams and tags answer 403,
 * as Intercom answers an app without those permissions. They only name things, so everything else
 * syncs, the copy says once which names are missing, answers show ids where names would be, and
 * tags are known by the names conversations carry. A notification naming an admin the copy cannot
 * know is applied, and so is the one after it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderConversation } from '../../src/emulator/render.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { Logger } from '../../src/config/logger.js';
import type { StoreTarget } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { runSync } from '../../src/sync/engine.js';
import { NotificationProcessor } from '../../src/sync/notifications.js';
import { forbiddenReferenceLists } from '../../src/sync/reference-data.js';
import { ENGINES, freshStore, targetEnv } from '../helpers/engines.js';
import { runCli } from '../helpers/cli.js';
import { control } from '../helpers/http.js';

const LISTS = ['GET /admins', 'GET /teams', 'GET /tags'];

async function forbidLists(em: RunningEmulator): Promise<void> {
  for (const route of LISTS)
    await control(em, 'POST', '/faults/scripted', { route, kind: '403', count: 10_000 });
}

for (const engine of ENGINES)
  describe(`a token without "Read admins" and "Read tags" (${engine.name})`, () => {
    let em: RunningEmulator;
    let store: Store;
    let target: StoreTarget;
    let api: IntercomApi;
    before(async () => {
      em = await startEmulator({ conversations: 150, days: 10, seed: `permissions-${engine.name}` });
      await forbidLists(em);
      ({ store, target } = await freshStore(engine));
      api = new IntercomApi({ baseUrl: em.url, token: em.token });
    });
    after(async () => {
      await store?.close();
      await em?.stop();
    });

    it('syncs everything else, and says which names are missing', async () => {
      const result = await runSync(api, store, { defaultDays: 30 });
      assert.equal(result.complete, true);
      const status = await store.status();
      assert.equal(status.conversations, em.workspace.live().length);
      assert.ok(
        ((await control(em, 'GET', '/requests')).json.faultsInjected as number) >= 3,
        'the lists were refused',
      );
      assert.deepEqual(await forbiddenReferenceLists(store), ['admins', 'teams', 'tags']);
      const tagged = em.workspace.live().find((s) => s.tagIds.length > 0)!;
      const view = await store.getConversation(tagged.id);
      assert.deepEqual(
        view!.tags.map((t) => t.id).sort(),
        [...tagged.tagIds].sort(),
        'tags are known from the conversations that carry them',
      );
      assert.ok(view!.tags.every((t) => t.name.length > 0));
      const assigned = em.workspace.live().find((s) => s.adminAssigneeId !== null)!;
      const page = await store.searchConversations({
        adminAssigneeId: assigned.adminAssigneeId!,
        sort: 'newest',
        limit: 5,
        offset: 0,
      });
      assert.ok(page.hits.length > 0);
      // Named when the admin wrote in a stored thread (authors carry names), else by id: never blank.
      const admin = em.workspace.directory.admin(assigned.adminAssigneeId!)!;
      assert.ok(
        [admin.id, admin.name].includes(page.hits[0]!.assignee!),
        `the assignee is shown (${page.hits[0]!.assignee})`,
      );
    });

    it('applies a notification naming an admin it cannot know, and the ordinary one after it', async () => {
      const [first, second] = em.workspace.live().slice(3, 5);
      const tag = em.workspace.directory.tags.find((t) => !first!.tagIds.includes(t.id))!;
      await control(em, 'POST', `/conversations/${first!.id}/edit`, { addTag: tag.id });
      await control(em, 'POST', `/conversations/${second!.id}/edit`, { priority: true });
      const now = Math.floor(Date.now() / 1000);
      for (const [i, s] of [first!, second!].entries()) {
        const item = renderConversation(em.workspace, em.workspace.find(s.id)!, { plaintext: false });
        await store.enqueueNotification({
          id: `notif_perm_${i}`,
          topic: 'conversation.admin.assigned',
          createdAt: now,
          receivedAt: now,
          payload: JSON.stringify({
            type: 'notification_event',
            data: { item: { ...(item as object), admin_assignee_id: 'unknown-admin-9' } },
          }),
        });
      }
      const processor = new NotificationProcessor(
        store,
        api,
        new Logger({ level: 'ERROR', stderr: false }),
        0,
      );
      await processor.drain();
      processor.stop();
      const q = await store.notificationStats();
      assert.equal(q.pending, 0);
      assert.equal(q.parked, 0);
      assert.ok((await store.getConversation(first!.id))!.tags.some((t) => t.id === tag.id));
      assert.equal((await store.getConversation(second!.id))!.adminAssignee?.id, 'unknown-admin-9');
      const page = await store.searchConversations({
        adminAssigneeId: 'unknown-admin-9',
        sort: 'newest',
        limit: 5,
        offset: 0,
      });
      assert.deepEqual(
        page.hits.map((h) => h.assignee),
        ['unknown-admin-9', 'unknown-admin-9'],
        'the id stands where the name would',
      );
    });

    it('the sync and status commands say it once, in words, and exit 0', async () => {
      const env = { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(target) };
      const sync = await runCli(['sync'], env);
      assert.equal(sync.code, 0, sync.stderr.slice(-400));
      const notes = sync.stderr.split('\n').filter((l) => l.startsWith('note: '));
      assert.deepEqual(notes, [
        'note: The access token may not read admins, teams, tags: answers show their ids instead of names. Give the app "Read admins" and "Read tags" in the Intercom Developer Hub for names.',
      ]);
      const status = await runCli(['status'], env);
      assert.equal(status.code, 0);
      assert.match(status.stdout, /Names: +The access token may not read admins, teams, tags/);
    });
  });
