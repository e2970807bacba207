import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator } from '../../src/emulator/server.js';
import { call, control } from '../helpers/http.js';

const ANCHOR = 1_790_000_000;

async function snapshot(seed: string) {
  const em = await startEmulator({ conversations: 120, days: 10, seed, anchor: ANCHOR });
  try {
    const list = await call(em, 'GET', '/conversations?per_page=150');
    const one = await call(em, 'GET', `/conversations/${list.json.conversations[5].id}`);
    const admins = await call(em, 'GET', '/admins');
    return JSON.stringify({ list: list.json, one: one.json, admins: admins.json }, (k, v) =>
      k === 'request_id' ? undefined : v,
    );
  } finally {
    await em.stop();
  }
}

describe('emulator determinism', () => {
  it('the same seed gives the same workspace, a different seed a different one', async () => {
    const a = await snapshot('alpha');
    const b = await snapshot('alpha');
    const c = await snapshot('beta');
    assert.equal(a, b);
    assert.notEqual(a, c);
  });
});

describe('emulator rate limits', () => {
  it('allows the per-window share of the per-minute limit, then 429s until the reset', async () => {
    const em = await startEmulator({ conversations: 10, perMinute: 60, seed: 'rl' });
    try {
      // Start well inside a 10-second window so that the burst below cannot straddle two.
      if (Date.now() % 10_000 > 7_000)
        await new Promise((r) => setTimeout(r, 10_100 - (Date.now() % 10_000)));
      const remaining: number[] = [];
      let first429;
      for (let i = 0; i < 12 && !first429; i++) {
        const res = await call(em, 'GET', '/admins');
        assert.equal(res.headers.get('x-ratelimit-limit'), '10');
        const reset = Number(res.headers.get('x-ratelimit-reset'));
        assert.ok(reset * 1000 > Date.now() - 1000 && reset * 1000 <= Date.now() + 10_000);
        if (res.status === 429) first429 = res;
        else remaining.push(Number(res.headers.get('x-ratelimit-remaining')));
      }
      assert.ok(first429, 'a 429 after the window is used up');
      assert.deepEqual(remaining, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      assert.equal(first429.json.errors[0].code, 'rate_limit_exceeded');
      assert.match(first429.json.errors[0].message, /Exceeded rate limit of 10 in 10_seconds/);
      assert.equal(first429.headers.get('x-ratelimit-remaining'), '0');
      const unauthorized = await call(em, 'GET', '/admins', undefined, { token: 'bad' });
      assert.equal(unauthorized.status, 401);
      assert.equal(
        unauthorized.headers.get('x-ratelimit-limit'),
        null,
        'no rate headers without valid credentials',
      );
      const counts = await control(em, 'GET', '/requests');
      assert.ok(counts.json.rateLimited >= 1);
    } finally {
      await em.stop();
    }
  });
});

describe('emulator faults', () => {
  it('injects each scripted fault kind on the named route only', async () => {
    const em = await startEmulator({ conversations: 20, seed: 'faults' });
    try {
      const id = em.workspace.live()[0]!.id;
      const route = 'GET /conversations/{id}';
      for (const [kind, status] of [
        ['500', 500],
        ['503', 503],
        ['429', 429],
        ['502', 502],
      ] as const) {
        await control(em, 'POST', '/faults/scripted', { route, kind, count: 1 });
        assert.equal((await call(em, 'GET', '/admins')).status, 200, 'another route is unaffected');
        const res = await call(em, 'GET', `/conversations/${id}`);
        assert.equal(res.status, status, kind);
        if (kind === '502') assert.equal(res.json, undefined, '502 comes from a gateway, as HTML');
        else assert.equal(res.json.type, 'error.list');
        assert.equal((await call(em, 'GET', `/conversations/${id}`)).status, 200, 'the fault was used up');
      }
      await control(em, 'POST', '/faults/scripted', { route, kind: 'malformed', count: 1 });
      const malformed = await call(em, 'GET', `/conversations/${id}`);
      assert.equal(malformed.status, 200);
      assert.throws(() => JSON.parse(malformed.text));
      await control(em, 'POST', '/faults/scripted', { route, kind: 'reset', count: 1 });
      await assert.rejects(() => call(em, 'GET', `/conversations/${id}`));
      await control(em, 'PUT', '/faults', { rate: 0, hangMs: 60_000 });
      await control(em, 'POST', '/faults/scripted', { route, kind: 'hang', count: 1 });
      const started = Date.now();
      await assert.rejects(() =>
        call(em, 'GET', `/conversations/${id}`, undefined, { signal: AbortSignal.timeout(300) }),
      );
      assert.ok(Date.now() - started >= 250);
      assert.equal((await call(em, 'GET', `/conversations/${id}`)).status, 200);
    } finally {
      await em.stop();
    }
  });

  it('random faults at a rate are reproducible from the seed', async () => {
    const sequence = async () => {
      const em = await startEmulator({ conversations: 5, seed: 'repeat' });
      try {
        await control(em, 'PUT', '/faults', { rate: 0.3, kinds: ['500', '503'] });
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) statuses.push((await call(em, 'GET', '/teams')).status);
        return statuses;
      } finally {
        await em.stop();
      }
    };
    const a = await sequence();
    assert.deepEqual(a, await sequence());
    assert.ok(a.some((s) => s !== 200) && a.some((s) => s === 200));
  });
});

describe('emulator search language', () => {
  it('applies operators, nesting limits and sorting as documented', async () => {
    const em = await startEmulator({ conversations: 300, days: 10, seed: 'search', anchor: ANCHOR });
    try {
      const all = em.workspace.live();
      const search = (query: unknown, extra: object = {}) =>
        call(em, 'POST', '/conversations/search', { query, pagination: { per_page: 150 }, ...extra });
      const pivot = all[150]!.updatedAt;
      const gt = await search({ field: 'updated_at', operator: '>', value: pivot });
      assert.equal(gt.json.total_count, all.filter((s) => s.updatedAt > pivot).length, '> is strict');
      const tag = em.workspace.directory.tagByName('billing');
      const tagged = await search({ field: 'tag_ids', operator: '=', value: tag.id });
      assert.equal(tagged.json.total_count, all.filter((s) => s.tagIds.includes(tag.id)).length);
      const contact = em.workspace.directory.contact(all[3]!.index === 0 ? 0 : 0);
      const nested = await search({
        operator: 'OR',
        value: [
          {
            operator: 'AND',
            value: [
              { field: 'state', operator: '=', value: 'open' },
              { field: 'priority', operator: '!=', value: 'none' },
            ],
          },
          { field: 'contact_ids', operator: '=', value: contact.id },
        ],
      });
      assert.equal(
        nested.json.total_count,
        all.filter((s) => (s.state === 'open' && s.priority) || s.contactId === contact.id).length,
      );
      const asc = await search(
        { field: 'updated_at', operator: '>', value: 0 },
        { sort: { field: 'updated_at', order: 'ascending' } },
      );
      const times = asc.json.conversations.map((c: { updated_at: number }) => c.updated_at);
      assert.deepEqual(
        times,
        [...times].sort((a: number, b: number) => a - b),
      );

      const tooDeep = await search({
        operator: 'AND',
        value: [
          {
            operator: 'OR',
            value: [{ operator: 'AND', value: [{ field: 'state', operator: '=', value: 'open' }] }],
          },
        ],
      });
      assert.equal(tooDeep.status, 400);
      const tooMany = await search({
        operator: 'OR',
        value: Array.from({ length: 16 }, (_, i) => ({ field: 'id', operator: '=', value: String(i) })),
      });
      assert.equal(tooMany.status, 400);
      assert.equal(
        (await search({ field: 'created_at', operator: '!=', value: 1 })).status,
        400,
        'dates take = < > only',
      );
      assert.equal((await search({ field: 'tag_ids', operator: 'IN', value: [tag.id] })).status, 400);
      assert.equal((await search({ field: 'nope', operator: '=', value: 1 })).status, 400);
      assert.equal((await search({ field: 'updated_at', operator: '>', value: 'yesterday' })).status, 400);
      assert.equal((await call(em, 'POST', '/conversations/search', '{not json')).status, 400);
      assert.equal(
        (await search({ field: 'state', operator: '=', value: 'open' }, { pagination: { per_page: 151 } }))
          .status,
        400,
      );
      const badCursor = await search(
        { field: 'state', operator: '=', value: 'open' },
        { pagination: { starting_after: '%%%' } },
      );
      assert.equal(badCursor.status, 400);
      assert.equal(badCursor.json.errors[0].code, 'client_error');
    } finally {
      await em.stop();
    }
  });

  it('finds contacts by id as a scan of every contact would, unknown and repeated ids included', async () => {
    const em = await startEmulator({ conversations: 300, days: 10, seed: 'contact-ids', anchor: ANCHOR });
    try {
      const d = em.workspace.directory;
      const known = [d.contact(40), d.contact(3), d.contact(17), d.contact(3)].map((c) => c.id);
      const unknown = ['ffffffffffffffff00000003', 'not-an-id', `${known[0]!.slice(0, 16)}00ffffff`];
      const search = async (query: unknown, startingAfter?: string) =>
        (
          await call(em, 'POST', '/contacts/search', {
            query,
            pagination: { per_page: 2, ...(startingAfter ? { starting_after: startingAfter } : {}) },
          })
        ).json as {
          data: { id: string }[];
          total_count: number;
          pages: { next?: { starting_after: string } };
        };
      const pagesOf = async (query: unknown) => {
        const ids: string[] = [];
        let page = await search(query);
        const total = page.total_count;
        for (;;) {
          ids.push(...page.data.map((c) => c.id));
          const next = page.pages.next?.starting_after;
          if (!next) return { ids, total };
          page = await search(query, next);
        }
      };
      // The same ids through an OR of filters, which the emulator answers by testing every contact.
      const scanned = await pagesOf({
        operator: 'OR',
        value: [...known, ...unknown].map((id) => ({ field: 'id', operator: '=', value: id })),
      });
      const byIds = await pagesOf({ field: 'id', operator: 'IN', value: [...known, ...unknown] });
      assert.deepEqual(byIds, scanned);
      assert.deepEqual(scanned.ids, [d.contact(3).id, d.contact(17).id, d.contact(40).id]);
      assert.equal(scanned.total, 3);
      const one = await pagesOf({ field: 'id', operator: '=', value: known[1] });
      assert.deepEqual(one, { ids: [d.contact(3).id], total: 1 });
    } finally {
      await em.stop();
    }
  });

  it('pages statelessly: an update between pages shifts the rest and one record is missed', async () => {
    const em = await startEmulator({ conversations: 60, days: 10, seed: 'stateless', anchor: ANCHOR });
    try {
      const body = (cursor?: string) => ({
        query: { field: 'updated_at', operator: '>', value: 0 },
        pagination: { per_page: 20, ...(cursor ? { starting_after: cursor } : {}) },
        sort: { field: 'updated_at', order: 'ascending' },
      });
      const first = await call(em, 'POST', '/conversations/search', body());
      await control(em, 'POST', `/conversations/${first.json.conversations[0].id}/reply`, { body: 'bump' });
      const seen = new Set<string>(first.json.conversations.map((c: { id: string }) => c.id));
      let cursor = first.json.pages.next?.starting_after;
      while (cursor) {
        const page = await call(em, 'POST', '/conversations/search', body(cursor));
        for (const c of page.json.conversations) seen.add(c.id);
        cursor = page.json.pages.next?.starting_after;
      }
      assert.equal(seen.size, 59, 'one conversation was skipped by the shift');
    } finally {
      await em.stop();
    }
  });
});

describe('emulator control API', () => {
  it('moves time: new conversations, replies, state changes, deletions, token, latency, limits', async () => {
    const em = await startEmulator({ conversations: 30, days: 5, seed: 'control' });
    try {
      const created = await control(em, 'POST', '/conversations', {
        body: 'Brand new question about webhooks',
        subject: 'Webhooks',
      });
      assert.equal(created.status, 200);
      const got = await call(em, 'GET', `/conversations/${created.json.id}?display_as=plaintext`);
      assert.equal(got.json.source.body, 'Brand new question about webhooks');
      assert.equal(got.json.conversation_parts.total_count, 0);

      const target = em.workspace.live()[2]!;
      const before = target.updatedAt;
      const replied = await control(em, 'POST', `/conversations/${target.id}/reply`, {
        author: 'contact',
        body: 'Any news?',
      });
      assert.equal(replied.json.part_count, target.partCount + 1);
      assert.ok(replied.json.updated_at >= before);
      assert.equal(replied.json.state, 'open', 'a customer reply reopens the conversation');
      const thread = await call(em, 'GET', `/conversations/${target.id}?display_as=plaintext`);
      assert.equal(thread.json.conversation_parts.conversation_parts.at(-1).body, 'Any news?');

      const closed = await control(em, 'POST', `/conversations/${target.id}/state`, { state: 'closed' });
      assert.equal(closed.json.state, 'closed');
      assert.equal((await call(em, 'GET', `/conversations/${target.id}`)).json.open, false);

      const ids = em.workspace
        .live()
        .slice(5, 10)
        .map((s) => s.id);
      const bulk = await control(em, 'POST', '/conversations/bulk_state', { ids, state: 'closed' });
      assert.equal(new Set(bulk.json.conversations.map((c: { updated_at: number }) => c.updated_at)).size, 1);

      await control(em, 'DELETE', `/conversations/${target.id}`);
      assert.equal((await call(em, 'GET', `/conversations/${target.id}`)).status, 404);
      const search = await call(em, 'POST', '/conversations/search', {
        query: { field: 'id', operator: '=', value: target.id },
      });
      assert.equal(search.json.total_count, 0);

      await control(em, 'PUT', '/token', { token: 'rotated' });
      assert.equal((await call(em, 'GET', '/me')).status, 401);
      assert.equal((await call(em, 'GET', '/me', undefined, { token: 'rotated' })).status, 200);
      em.token = 'rotated';

      await control(em, 'PUT', '/latency', { fixedMs: 120, jitterMs: 0 });
      const t0 = Date.now();
      await call(em, 'GET', '/teams');
      assert.ok(Date.now() - t0 >= 110);
      await control(em, 'PUT', '/latency', { fixedMs: 0 });

      const limit = await control(em, 'PUT', '/rate_limit', { perMinute: 1000 });
      assert.equal(limit.json.perWindow, 167);
      assert.equal((await call(em, 'GET', '/teams')).headers.get('x-ratelimit-limit'), '167');

      const counts = await control(em, 'GET', '/requests');
      assert.ok(counts.json.counts['GET /conversations/{id}'] >= 3);
      assert.equal(counts.json.counts['GET /teams'], 2);
      await control(em, 'DELETE', '/requests');
      assert.equal((await control(em, 'GET', '/requests')).json.total, 0);
      assert.equal((await control(em, 'POST', '/conversations/1/reply', { body: 'x' })).status, 404);
      assert.equal((await control(em, 'POST', '/conversations', {})).status, 400);
    } finally {
      await em.stop();
    }
  });
});
