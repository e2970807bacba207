import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { openStore } from '../../src/store/open.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { runCli, startCli, tempWorkspace } from '../helpers/cli.js';
import { ENGINES, targetEnv } from '../helpers/engines.js';
import { control } from '../helpers/http.js';

describe('CLI errors a user will hit', () => {
  let em: RunningEmulator;
  before(async () => {
    em = await startEmulator({ conversations: 50, days: 5, seed: 'cli' });
  });
  after(() => em.stop());

  it('missing token: one line naming what to set, exit 2', async () => {
    const r = await runCli(['--workspace', tempWorkspace(), 'sync'], { INTERCOM_API_BASE_URL: em.url });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: No Intercom access token: set INTERCOM_ACCESS_TOKEN/m);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  });

  it('wrong token: the 401 advice, exit 3, and the token appears nowhere', async () => {
    const dir = tempWorkspace();
    const token = 'sk-wrong-token-1234567';
    const r = await runCli(['--workspace', dir, 'sync'], {
      INTERCOM_API_BASE_URL: em.url,
      INTERCOM_ACCESS_TOKEN: token,
    });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /401 Unauthorized/);
    const init = await runCli(['--workspace', dir, '--verbose', 'init', '--token', token], {
      INTERCOM_API_BASE_URL: em.url,
    });
    assert.equal(init.code, 3);
    const log = readFileSync(join(dir, 'logs', 'fast-intercom-mcp.log'), 'utf8');
    for (const text of [r.stdout, r.stderr, init.stdout, init.stderr, log]) assert.ok(!text.includes(token));
    assert.ok(!existsSync(join(dir, 'config.json')), 'a failed init writes no config');
  });

  it('sync --json reports a failure as one JSON line, and --since in the future is refused', async () => {
    const dir = tempWorkspace();
    const wrong = await runCli(['--workspace', dir, 'sync', '--json'], {
      INTERCOM_API_BASE_URL: em.url,
      INTERCOM_ACCESS_TOKEN: 'sk-wrong-token-7654321',
    });
    assert.equal(wrong.code, 3);
    assert.ok(wrong.stdout.endsWith('\n'));
    const answer = JSON.parse(wrong.stdout) as { error: { message: string; exit_code: number } };
    assert.equal(answer.error.exit_code, 3);
    assert.match(answer.error.message, /401 Unauthorized/);
    const future = await runCli(['--workspace', dir, 'sync', '--since', 'tomorrow'], {
      INTERCOM_API_BASE_URL: em.url,
      INTERCOM_ACCESS_TOKEN: em.token,
    });
    assert.equal(future.code, 2, 'a usage error');
    assert.match(future.stderr, /--since: "since tomorrow" lies wholly in the future/);
    for (const since of ['2999-01-01T00:00:00Z', '1969-12-31T00:00:00Z', '1960']) {
      const refused = await runCli(['--workspace', dir, 'sync', '--since', since], {
        INTERCOM_API_BASE_URL: em.url,
        INTERCOM_ACCESS_TOKEN: em.token,
      });
      assert.equal(refused.code, 2, `${since}: ${refused.stderr}`);
      assert.match(refused.stderr, /--since: .*(in the future|before 1970)/);
    }
  });

  for (const engine of ENGINES)
    it(`an upstream error that quotes the token leaves it in no sink (${engine.name})`, async () => {
      const target = await engine.fresh();
      const dir = target.workspaceDir;
      const env = { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(target) };
      await control(em, 'POST', '/faults/scripted', {
        route: 'POST /conversations/search',
        kind: 'echo',
        // Every search of the run: a backfill's count may take the first one beside its first page.
        count: 10,
      });
      const sync = await runCli(['--workspace', dir, '--verbose', 'sync'], env);
      await control(em, 'DELETE', '/faults');
      assert.notEqual(sync.code, 0);
      assert.match(sync.stderr, /Authorization: Bearer \[REDACTED\]/);
      const status = await runCli(['--workspace', dir, 'status'], env);
      const json = await runCli(['--workspace', dir, 'status', '--json'], env);
      assert.match(json.stdout, /REDACTED/, 'the failure is reported, redacted');
      const store = await openStore(target);
      const stored = (await store.status()).lastRun?.error ?? '';
      await store.close();
      assert.match(stored, /REDACTED/);
      const log = readFileSync(join(dir, 'logs', 'fast-intercom-mcp.log'), 'utf8');
      for (const text of [sync.stdout, sync.stderr, status.stdout, status.stderr, json.stdout, stored, log])
        assert.ok(!text.includes(em.token), text.slice(0, 200));
    });

  it('keeps the SQLite database and its WAL files owner-only', async () => {
    const dir = tempWorkspace();
    const env = { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token };
    writeFileSync(join(dir, 'data.db-wal'), '');
    const r = await runCli(['--workspace', dir, 'sync'], env);
    assert.equal(r.code, 0, r.stderr);
    const store = new SqliteStore(join(dir, 'data.db'));
    try {
      for (const file of ['data.db', 'data.db-wal', 'data.db-shm'])
        assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600, file);
    } finally {
      await store.close();
    }
  });

  it('a sync with 40 requests in flight prints no runtime warning', async () => {
    // Each request listens to the run's abort signal; Node warns past 10 listeners unless told.
    const slow = await startEmulator({ conversations: 150, days: 5, seed: 'cli-slow', latencyMs: 100 });
    try {
      const r = await runCli(['--workspace', tempWorkspace(), 'sync', '--days', '5'], {
        INTERCOM_ACCESS_TOKEN: slow.token,
        INTERCOM_API_BASE_URL: slow.url,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /\(node:\d+\) \w*Warning/);
    } finally {
      await slow.stop();
    }
  });

  it('init saves the token with mode 0600 and sync then works without the env', async () => {
    const dir = tempWorkspace();
    const init = await runCli(['--workspace', dir, 'init', '--token', em.token, '--api-url', em.url]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, new RegExp(`workspace '${em.workspace.name}'`));
    assert.equal(statSync(join(dir, 'config.json')).mode & 0o777, 0o600);
    const sync = await runCli(['--workspace', dir, 'sync', '--days', '10']);
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(sync.stdout, /Sync complete/);
    const status = await runCli(['--workspace', dir, 'status', '--json']);
    assert.equal(
      JSON.parse(status.stdout).conversations,
      em.workspace.live().filter((s) => s.updatedAt >= Date.now() / 1000 - 10 * 86400).length,
    );
  });

  it('network unreachable: exit 4 with the address', async () => {
    const r = await runCli(['--workspace', tempWorkspace(), 'sync'], {
      INTERCOM_API_BASE_URL: 'http://127.0.0.1:9',
      INTERCOM_ACCESS_TOKEN: 'x-token',
    });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /Cannot reach Intercom at http:\/\/127\.0\.0\.1:9/);
  });

  it('corrupt SQLite database: detected with what to do, exit 5, nothing overwritten', async () => {
    const dir = tempWorkspace();
    const env = { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token };
    assert.equal((await runCli(['--workspace', dir, 'sync', '--days', '10'], env)).code, 0);
    const db = join(dir, 'data.db');
    for (const suffix of ['-wal', '-shm']) if (existsSync(db + suffix)) writeFileSync(db + suffix, '');
    const bytes = readFileSync(db);
    bytes.fill(0x5a, 0, 100);
    writeFileSync(db, bytes);
    const status = await runCli(['--workspace', dir, 'status'], env);
    assert.equal(status.code, 5);
    assert.match(status.stderr, /damaged .*reset --yes.*sync/);
    const sync = await runCli(['--workspace', dir, 'sync'], env);
    assert.equal(sync.code, 5);
    assert.deepEqual(readFileSync(db), bytes, 'the damaged file is left for inspection');
    assert.equal((await runCli(['--workspace', dir, 'reset', '--yes'], env)).code, 0);
    assert.equal((await runCli(['--workspace', dir, 'sync', '--days', '10'], env)).code, 0);
  });
});

describe('an upstream that does not answer', () => {
  it('is said within 10 s and given up on within 60 s, exit 4', async () => {
    const held: Socket[] = [];
    // Measured from the request's arrival: starting the process is not what is being timed.
    let askedAt: number | undefined;
    const silent = createServer((socket) => {
      askedAt ??= Date.now();
      held.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const started = Date.now();
      let saidAt: number | undefined;
      const { child, done } = startCli(['--workspace', tempWorkspace(), 'sync'], {
        INTERCOM_API_BASE_URL: `http://127.0.0.1:${port}`,
        INTERCOM_ACCESS_TOKEN: 'x-token-silent',
      });
      child.stderr!.on('data', (d: Buffer) => {
        if (
          saidAt === undefined &&
          /has not answered GET \/\w+ for 10 s; still waiting \(giving up within 30 s\)/.test(d.toString())
        )
          saidAt = Date.now();
      });
      const r = await done;
      const elapsed = Date.now() - started;
      assert.equal(r.code, 4, r.stderr);
      assert.ok(
        saidAt !== undefined && askedAt !== undefined && saidAt - askedAt < 12_000,
        `said ${saidAt! - askedAt!} ms after the request`,
      );
      assert.ok(elapsed < 60_000, `gave up after ${elapsed} ms`);
      assert.match(r.stderr, /^error: Cannot reach Intercom at .*got no answer in \d+ s over 2 attempts/m);
    } finally {
      for (const s of held) s.destroy();
      silent.close();
    }
  });

  it('a base URL with a path gets a hint', async () => {
    const em = await startEmulator({ conversations: 5, days: 2, seed: 'cli-path' });
    try {
      const r = await runCli(['--workspace', tempWorkspace(), 'sync'], {
        INTERCOM_API_BASE_URL: `${em.url}/v2`,
        INTERCOM_ACCESS_TOKEN: em.token,
      });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /has a path \(\/v2\); Intercom's API is at the host's root/);
    } finally {
      await em.stop();
    }
  });
});
