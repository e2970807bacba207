/**
 * A sync killed with SIGKILL while it reads companies, three times at different depths (while a
 * company's contacts hang, twice, and while a scroll page hangs, which leaves the scroll open), with
 * companies changing between the kills; then syncs until the open scroll has expired: the copy's
 * companies and their contacts equal the workspace's, and no second scroll was ever tried. Where
 * each kill lands is set by counts (a scripted hang after N requests), not by timing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { openStore, type StoreTarget } from '../../src/store/open.js';
import { SCROLL_USED_AT_KEY } from '../../src/sync/companies.js';
import { runSync } from '../../src/sync/engine.js';
import { ENGINES, targetEnv } from '../helpers/engines.js';
import { control, until } from '../helpers/http.js';
import { killSyncAt } from '../helpers/kill-sync.js';
import { assertCompaniesMirror } from '../helpers/mirror.js';

const CONTACTS = 'GET /companies/{company_id}/contacts';
const KILLS = [
  { route: CONTACTS, after: 5 },
  { route: CONTACTS, after: 40 },
  { route: 'GET /companies/scroll', after: 1 },
];
const SCROLL_EXPIRY_SECONDS = 5;

for (const engine of ENGINES)
  describe(`a sync killed while it reads companies, then syncs (${engine.name})`, () => {
    let em: RunningEmulator;
    let target: StoreTarget;
    before(async () => {
      em = await startEmulator({
        conversations: 100,
        contacts: 1200,
        days: 10,
        seed: `company-crash-${engine.name}`,
        companies: 150,
        scrollExpirySeconds: SCROLL_EXPIRY_SECONDS,
      });
      target = await engine.fresh();
    });
    after(() => em?.stop());

    it('ends with every company and its contacts as the workspace has them', async () => {
      const env = { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(target) };
      for (const [round, kill] of KILLS.entries()) {
        // Contacts are read while the scroll goes on: a kill meant for the contacts waits for the
        // scroll to end, as the run saw it, so that the next run is not one that waits it out.
        const finished = em.workspace.companies.scrolls.finished;
        const ready = () => scrollEnded(target, () => em.workspace.companies.scrolls.finished > finished);
        await killSyncAt(em, env, ['--days', '10'], kill.route === CONTACTS ? { ...kill, ready } : kill);
        const live = em.workspace.companies.live();
        await control(em, 'POST', `/companies/${live[round * 7]!.id}/change`, { kind: 'plan', plan: 'Pro' });
        if (round === 1) await control(em, 'DELETE', `/companies/${live[60]!.id}`);
      }
      const store = await openStore(target);
      try {
        const api = new IntercomApi({ baseUrl: em.url, token: em.token });
        const schedule = { companies: { passSeconds: 0, scrollExpirySeconds: SCROLL_EXPIRY_SECONDS } };
        // The API's minute of expiry here, not the emulator's 5 s: the run waits whatever the time
        // the kills and its conversations took, so the verdict does not depend on the machine's speed.
        const waited = await runSync(api, store, { defaultDays: 10, companies: { passSeconds: 0 } });
        assert.equal(waited.companies, 0, 'the scroll the killed run left open is waited out');
        // The emulator's scroll expires 5 s after its last use; the sync waits 5 s more to be sure,
        // counted from the whole second it noted the use in: one second more is always past that.
        await new Promise((r) => setTimeout(r, (2 * SCROLL_EXPIRY_SECONDS + 1) * 1000 + 500));
        await runSync(api, store, { defaultDays: 10, ...schedule });
        assert.equal(await assertCompaniesMirror(store, em.workspace), em.workspace.companies.live().length);
        assert.equal((await control(em, 'GET', '/companies')).json.scrolls.refused, 0);
      } finally {
        await store.close();
      }
    });
  });

/** Resolves once the emulator served a scroll's last page and the run noted its scroll closed. */
async function scrollEnded(target: StoreTarget, served: () => boolean): Promise<void> {
  const store = await openStore(target);
  try {
    await until(
      async () => served() && (await store.getMeta(SCROLL_USED_AT_KEY)) === '',
      'the scroll ending before the kill',
    );
  } finally {
    await store.close();
  }
}
