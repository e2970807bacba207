/**
 * The emulator's companies behave as the API documents them: every route answers in its
 * documented shape; the scroll is one per app (a second is refused and counted), walks every
 * company once, ends with an empty page that closes it, expires unused, and after a network error
 * can only be restarted; the list stops at 10,000; contacts are the same both ways.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SCROLL_RESTART_MESSAGE } from '../../src/emulator/company-scroll.js';
import { OpenApiValidator } from '../../src/emulator/openapi-validator.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { call, control } from '../helpers/http.js';

type Listed = { id: string; name: string; company_id: string; user_count: number; updated_at: number };

describe('emulated companies', () => {
  let em: RunningEmulator;
  const validator = new OpenApiValidator();
  before(async () => {
    em = await startEmulator({
      conversations: 300,
      contacts: 1500,
      days: 20,
      seed: 'companies',
      companies: 120,
    });
  });
  after(() => em.stop());

  async function valid(method: string, route: string, path: string, status = 200) {
    const res = await call(em, method, path);
    assert.equal(res.status, status, `${method} ${path}: ${res.text.slice(0, 300)}`);
    assert.deepEqual(
      validator.validateResponse(method, route, res.status, res.json),
      [],
      `${method} ${path}`,
    );
    return res.json;
  }

  async function scrollAll(): Promise<Listed[]> {
    const seen: Listed[] = [];
    let param: string | undefined;
    for (;;) {
      const page = await valid(
        'GET',
        '/companies/scroll',
        `/companies/scroll${param ? `?scroll_param=${param}` : ''}`,
      );
      if (page.data.length === 0) return seen;
      seen.push(...page.data);
      param = page.scroll_param;
    }
  }

  it('scrolls over every company once, and the empty last page closes the scroll', async () => {
    const first = await scrollAll();
    assert.equal(first.length, 120);
    assert.equal(new Set(first.map((c) => c.id)).size, 120);
    // Closed by its end: a new scroll opens without a refusal.
    assert.equal((await scrollAll()).length, 120);
    const state = (await control(em, 'GET', '/companies')).json;
    assert.equal(state.scrolls.refused, 0);
    assert.equal(state.scrolls.opened, 2);
  });

  it('refuses, and counts, a second scroll while one is open', async () => {
    const open = await valid('GET', '/companies/scroll', '/companies/scroll');
    const second = await call(em, 'GET', '/companies/scroll');
    assert.equal(second.status, 400);
    assert.match(second.json.errors[0].message, /already open/);
    assert.equal((await control(em, 'GET', '/companies')).json.scrolls.refused, 1);
    // The open one goes on where it was.
    const next = await valid(
      'GET',
      '/companies/scroll',
      `/companies/scroll?scroll_param=${open.scroll_param}`,
    );
    assert.notEqual(next.data[0].id, open.data[0].id);
    while (
      (await call(em, 'GET', `/companies/scroll?scroll_param=${open.scroll_param}`)).json.data.length > 0
    );
  });

  it('ends a scroll with a network error that only a restart gets past', async () => {
    await control(em, 'POST', '/companies/scroll/break', { pages: 1 });
    const open = await valid('GET', '/companies/scroll', '/companies/scroll');
    const broken = await call(em, 'GET', `/companies/scroll?scroll_param=${open.scroll_param}`);
    assert.equal(broken.status, 500);
    assert.equal(broken.json.errors[0].message, SCROLL_RESTART_MESSAGE);
    const again = await call(em, 'GET', `/companies/scroll?scroll_param=${open.scroll_param}`);
    assert.equal(again.status, 400, 'the broken scroll cannot go on');
    assert.equal((await scrollAll()).length, 120, 'a restart walks everything');
  });

  it('expires a scroll left unused', async () => {
    const quick = await startEmulator({
      conversations: 60,
      days: 10,
      seed: 'companies',
      scrollExpirySeconds: 0,
    });
    try {
      const open = await call(quick, 'GET', '/companies/scroll');
      assert.equal(open.status, 200);
      assert.equal(
        (await call(quick, 'GET', `/companies/scroll?scroll_param=${open.json.scroll_param}`)).status,
        400,
      );
      assert.equal(
        (await call(quick, 'GET', '/companies/scroll')).status,
        200,
        'an expired scroll holds nothing open',
      );
    } finally {
      await quick.stop();
    }
  });

  it('retrieves by id, company_id and name, and lists pages up to the 10,000 limit', async () => {
    const c = em.workspace.companies.live()[7]!;
    assert.equal((await valid('GET', '/companies/{company_id}', `/companies/${c.id}`)).name, c.name);
    const byCompanyId = await valid('GET', '/companies', `/companies?company_id=${c.companyId}`);
    assert.deepEqual(
      byCompanyId.data.map((x: Listed) => x.id),
      [c.id],
    );
    const byName = await valid('GET', '/companies', `/companies?name=${encodeURIComponent(c.name)}`);
    assert.deepEqual(
      byName.data.map((x: Listed) => x.id),
      [c.id],
    );
    await valid('GET', '/companies/{company_id}', '/companies/000000000000000000000000', 404);
    const list = await call(em, 'POST', '/companies/list?per_page=50&page=3');
    assert.equal(list.status, 200);
    assert.deepEqual(validator.validateResponse('POST', '/companies/list', 200, list.json), []);
    assert.equal(list.json.data.length, 20);
    assert.equal(list.json.total_count, 120);
    const deep = await call(em, 'POST', '/companies/list?per_page=100&page=101');
    assert.equal(deep.status, 400);
  });

  it('names the same contacts both ways, user_count included, across pages', async () => {
    const companies = em.workspace.companies.live();
    const big = companies.reduce((a, b) =>
      em.workspace.companies.userCount(a) >= em.workspace.companies.userCount(b) ? a : b,
    );
    assert.ok(em.workspace.companies.userCount(big) > 50, 'a large account spans several pages of contacts');
    const members: string[] = [];
    for (let page = 1; ; page++) {
      const res = await valid(
        'GET',
        '/companies/{company_id}/contacts',
        `/companies/${big.id}/contacts?page=${page}`,
      );
      members.push(...res.data.map((k: { id: string }) => k.id));
      if (page >= res.pages.total_pages) break;
    }
    const company = await valid('GET', '/companies/{company_id}', `/companies/${big.id}`);
    assert.equal(members.length, company.user_count);
    for (const id of members.slice(0, 5)) {
      const contact = await valid('GET', '/contacts/{id}', `/contacts/${id}`);
      assert.ok(contact.companies.data.some((d: { id: string }) => d.id === big.id));
      const theirs = await valid('GET', '/contacts/{contact_id}/companies', `/contacts/${id}/companies`);
      assert.ok(theirs.companies.some((x: Listed) => x.id === big.id));
    }
  });

  it('changes, attaches and deletes through the control API, with webhook topics', async () => {
    const c = em.workspace.companies.live()[3]!;
    const before = em.workspace.companies.userCount(c);
    const changed = (
      await control(em, 'POST', `/companies/${c.id}/change`, { kind: 'plan', plan: 'Enterprise' })
    ).json;
    assert.equal(changed.plan.name, 'Enterprise');
    assert.ok(changed.updatedAt >= c.updatedAt);
    const user = Array.from({ length: 200 }, (_, i) => em.workspace.directory.contact(i)).find(
      (k) => k.role === 'user' && !em.workspace.companies.companiesOf(k.index).some((x) => x.id === c.id),
    )!;
    await control(em, 'POST', `/companies/${c.id}/change`, { kind: 'attach', contactId: user.id });
    const after = await valid('GET', '/companies/{company_id}', `/companies/${c.id}`);
    assert.equal(after.user_count, before + 1);
    assert.equal(after.updated_at, changed.updatedAt, 'attaching a contact leaves updated_at');
    const created = (await control(em, 'POST', '/companies', { name: 'Brand New Co' })).json;
    assert.equal(
      (await valid('GET', '/companies/{company_id}', `/companies/${created.id}`)).name,
      'Brand New Co',
    );
    await control(em, 'DELETE', `/companies/${created.id}`);
    await valid('GET', '/companies/{company_id}', `/companies/${created.id}`, 404);
  });
});
