/**
 * Companies synced exactly on every engine: the first run stores every company with its contacts
 * both ways in one scroll; a pass reads the contacts of only the companies that changed (a contact
 * attached without a new `updated_at` included), adds new ones and deletes those Intercom no longer
 * has; a network error mid-scroll restarts it; a run stopped mid-scroll leaves a scroll open that
 * the next run waits out instead of opening a second (the emulator counts refusals: none); a token
 * that may not read companies syncs the rest and says why.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPANIES_FORBIDDEN_KEY, COMPANIES_WAITING_KEY } from '../../src/sync/companies.js';
import { runSync, SyncInterrupted } from '../../src/sync/engine.js';
import { ENGINES } from '../helpers/engines.js';
import { control, untilInjected } from '../helpers/http.js';
import { assertCompaniesMirror, syncedWorkspace, type SyncedWorkspace } from '../helpers/mirror.js';

const requests = async (w: SyncedWorkspace) =>
  (await control(w.em, 'GET', '/requests')).json.counts as Record<string, number>;
const scrolls = async (w: SyncedWorkspace) =>
  (await control(w.em, 'GET', '/companies')).json.scrolls as {
    opened: number;
    refused: number;
    finished: number;
  };
/** A pass whenever asked, and the emulator's short scroll expiry. */
const everyRun = { companies: { passSeconds: 0, scrollExpirySeconds: 5 } };

for (const engine of ENGINES)
  describe(`companies synced exactly (${engine.name})`, () => {
    const w = syncedWorkspace(
      {
        conversations: 150,
        contacts: 900,
        days: 10,
        seed: 'company-sync',
        companies: 60,
        scrollExpirySeconds: 5,
      },
      engine,
    );

    it('stores every company and its contacts both ways from one scroll', async () => {
      assert.equal(await assertCompaniesMirror(w.store, w.em.workspace), 60);
      assert.deepEqual(await scrolls(w), { opened: 1, refused: 0, finished: 1 });
      assert.equal((await w.store.status()).companies, 60);
    });

    it('does not scroll again within the hour', async () => {
      await control(w.em, 'DELETE', '/requests');
      const result = await runSync(w.api, w.store, { defaultDays: 10 });
      assert.equal(result.companies, 0);
      assert.equal((await requests(w))['GET /companies/scroll'], undefined);
    });

    it('reads the contacts of only the companies that changed, adds new ones and deletes gone ones', async () => {
      const [a, b, , d] = w.em.workspace.companies.live();
      await control(w.em, 'POST', `/companies/${a!.id}/change`, { kind: 'plan', plan: 'Starter' });
      const outsider = Array.from({ length: 900 }, (_, i) => w.em.workspace.directory.contact(i)).find(
        (k) =>
          k.role === 'user' && !w.em.workspace.companies.companiesOf(k.index).some((c) => c.id === b!.id),
      )!;
      await control(w.em, 'POST', `/companies/${b!.id}/change`, { kind: 'attach', contactId: outsider.id });
      await control(w.em, 'POST', '/companies', { name: 'Fresh Start Ltd' });
      await control(w.em, 'DELETE', `/companies/${d!.id}`);
      await control(w.em, 'DELETE', '/requests');
      const result = await runSync(w.api, w.store, { defaultDays: 10, ...everyRun });
      assert.equal(result.companies, 3, 'the changed, the attached-to and the new');
      assert.equal(result.companiesDeleted, 1);
      const calls = await requests(w);
      const contactPages = calls['GET /companies/{company_id}/contacts'] ?? 0;
      assert.ok(
        contactPages >= 2 && contactPages <= 4,
        `contacts read for two companies (${contactPages} pages)`,
      );
      assert.equal(
        calls['GET /companies/{company_id}'],
        1,
        'the unlisted one retrieved before it is deleted',
      );
      await assertCompaniesMirror(w.store, w.em.workspace);
      const contact = await w.store.getContact(outsider.id);
      assert.ok(contact!.companies.some((c) => c.id === b!.id));
    });

    it('restarts a scroll that a network error ended', async () => {
      await control(w.em, 'POST', '/companies/scroll/break', { pages: 1 });
      await control(w.em, 'POST', `/companies/${w.em.workspace.companies.live()[5]!.id}/change`, {
        kind: 'attribute',
        name: 'region',
        value: 'NA',
      });
      const before = await scrolls(w);
      const result = await runSync(w.api, w.store, { defaultDays: 10, ...everyRun });
      assert.equal(result.companies, 1);
      const after = await scrolls(w);
      assert.equal(after.opened, before.opened + 2, 'the broken scroll and its restart');
      assert.equal(after.refused, 0);
      await assertCompaniesMirror(w.store, w.em.workspace);
    });

    it('waits out a scroll a stopped run left open instead of opening a second', async () => {
      const injected = (await control(w.em, 'GET', '/requests')).json.faultsInjected as number;
      await control(w.em, 'POST', '/faults/scripted', {
        route: 'GET /companies/scroll',
        kind: 'hang',
        after: 1,
      });
      const stop = new AbortController();
      const stopped = runSync(w.api, w.store, { defaultDays: 10, ...everyRun, signal: stop.signal });
      await untilInjected(w.em, injected + 1);
      stop.abort();
      await assert.rejects(stopped, SyncInterrupted);
      await control(w.em, 'DELETE', '/faults');
      const changed = w.em.workspace.companies.live()[9]!;
      await control(w.em, 'POST', `/companies/${changed.id}/change`, { kind: 'plan', plan: 'Pro' });

      // The API's minute of expiry here, not the emulator's 5 s: the run waits whatever the time its
      // conversations took, so the verdict does not depend on the machine's speed.
      const waiting = await runSync(w.api, w.store, { defaultDays: 10, companies: { passSeconds: 0 } });
      assert.equal(waiting.companies, 0);
      assert.match((await w.store.getMeta(COMPANIES_WAITING_KEY))!, /scroll/);
      assert.equal((await scrolls(w)).refused, 0, 'no second scroll was tried');

      // The emulator's scroll expires 5 s after its last use; the sync waits 5 s more to be sure,
      // counted from the whole second it noted the use in: 11 s from the use is always past that.
      await new Promise((r) => setTimeout(r, 11_500));
      const done = await runSync(w.api, w.store, { defaultDays: 10, ...everyRun });
      assert.equal(done.companies, 1);
      assert.equal(await w.store.getMeta(COMPANIES_WAITING_KEY), '');
      assert.equal((await scrolls(w)).refused, 0);
      await assertCompaniesMirror(w.store, w.em.workspace);
    });

    it('syncs the rest when the token may not read companies, and says why', async () => {
      await control(w.em, 'POST', '/faults/scripted', { route: 'GET /companies/scroll', kind: '403' });
      const stored = (await w.store.status()).companies;
      const result = await runSync(w.api, w.store, { defaultDays: 10, ...everyRun });
      assert.equal(result.companies, 0);
      assert.match((await w.store.getMeta(COMPANIES_FORBIDDEN_KEY))!, /403/);
      assert.equal((await w.store.status()).companies, stored, 'nothing stored is lost');
      await runSync(w.api, w.store, { defaultDays: 10, ...everyRun });
      assert.equal(await w.store.getMeta(COMPANIES_FORBIDDEN_KEY), '');
    });
  });
