/**
 * The testing procedures' settings do what the procedures say, through the real CLI against a
 * real emulator: FASTINTERCOM_TEST_WORKSPACE keeps the test's workspace and its logs,
 * FASTINTERCOM_TEST_LOG_LEVEL and --verbose set what its processes log, FASTINTERCOM_TEST_TIMEOUT
 * ends the whole run with a clear failure, and a bad value is refused before anything runs.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import type { IntegrationReport } from '../../src/integration/report.js';
import { runCli, tempWorkspace } from '../helpers/cli.js';

describe('the integration test’s settings', () => {
  let em: RunningEmulator;
  before(async () => {
    em = await startEmulator({ conversations: 120, days: 14, seed: 'settings' });
  });
  after(() => em.stop());
  const api = () => ({ INTERCOM_ACCESS_TOKEN: em.token, INTERCOM_API_BASE_URL: em.url });

  async function integrationTest(env: Record<string, string>, args: string[] = []) {
    const out = join(tempWorkspace(), 'report.json');
    const r = await runCli(['integration-test', '--days', '3', '--output', out, ...args], {
      ...api(),
      ...env,
    });
    const report = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as IntegrationReport) : undefined;
    return { r, report };
  }

  it('runs in FASTINTERCOM_TEST_WORKSPACE and keeps it with its logs, at the level asked, twice', async () => {
    const workspace = join(tempWorkspace(), 'kept');
    const log = join(workspace, 'logs', 'fast-intercom-mcp.log');
    for (const run of [1, 2]) {
      const { r, report } = await integrationTest({
        FASTINTERCOM_TEST_WORKSPACE: workspace,
        FASTINTERCOM_TEST_LOG_LEVEL: 'debug',
      });
      assert.notEqual(report?.verdict, 'FAILED', `run ${run}: ${r.stdout}`);
      assert.match(r.stdout, new RegExp(`Test Workspace: .*${workspace}`));
      assert.ok(existsSync(join(workspace, 'data.db')), `run ${run}: the copy is kept`);
      // The sync's and the server's requests and tool calls, at DEBUG.
      const lines = readFileSync(log, 'utf8');
      assert.match(lines, /DEBUG +GET \/conversations\/\{id\} 200 in \d+ ms/);
      assert.match(lines, /DEBUG +tool get_server_status: answered in/);
    }
  });

  it('relays its processes’ debug lines with --verbose', async () => {
    const { r, report } = await integrationTest({}, ['--verbose']);
    assert.notEqual(report?.verdict, 'FAILED', r.stdout);
    assert.match(r.stderr, /DEBUG +POST \/conversations\/search 200 in \d+ ms/);
    assert.match(r.stderr, /DEBUG +tool search_conversations: answered in/);
  });

  it('ends the whole run at FASTINTERCOM_TEST_TIMEOUT, FAILED, saying why', async () => {
    // Every answer takes 2 s: the run cannot finish within 3 s.
    await fetch(`${em.url}/_emulator/latency`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fixedMs: 2000, jitterMs: 0 }),
    });
    try {
      const { r, report } = await integrationTest({ FASTINTERCOM_TEST_TIMEOUT: '3' });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(report?.verdict, 'FAILED');
      assert.equal(report?.timedOutAfterSeconds, 3);
      assert.match(r.stdout, /did not finish within 3 s \(FASTINTERCOM_TEST_TIMEOUT\)/);
    } finally {
      await fetch(`${em.url}/_emulator/latency`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fixedMs: 0, jitterMs: 0 }),
      });
    }
  });

  const refusals: [string, Record<string, string>, RegExp][] = [
    [
      'a log level',
      { FASTINTERCOM_TEST_LOG_LEVEL: 'LOUD' },
      /FASTINTERCOM_TEST_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, got 'LOUD'/,
    ],
    [
      'a timeout',
      { FASTINTERCOM_TEST_TIMEOUT: '5m' },
      /FASTINTERCOM_TEST_TIMEOUT must be a whole number of seconds, got '5m'/,
    ],
    [
      'a timeout of zero',
      { FASTINTERCOM_TEST_TIMEOUT: '0' },
      /FASTINTERCOM_TEST_TIMEOUT must be a whole number of seconds/,
    ],
  ];
  for (const [what, env, message] of refusals)
    it(`refuses ${what} it cannot read, before anything runs (exit 2)`, async () => {
      const before = (await (await fetch(`${em.url}/_emulator/requests`)).json()) as { total: number };
      const { r, report } = await integrationTest(env);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.equal(report, undefined, 'no report');
      const afterwards = (await (await fetch(`${em.url}/_emulator/requests`)).json()) as { total: number };
      assert.equal(afterwards.total, before.total, 'no request reached Intercom');
    });

  it('reads FASTINTERCOM_TEST_LOG_LEVEL in --test-mode, and refuses a bad one', async () => {
    const ws = tempWorkspace();
    const env = { FASTINTERCOM_TEST_WORKSPACE: ws, ...api() };
    const bad = await runCli(['--test-mode', 'status'], { ...env, FASTINTERCOM_TEST_LOG_LEVEL: 'chatty' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /FASTINTERCOM_TEST_LOG_LEVEL must be one of/);
    const sync = await runCli(['--test-mode', 'sync', '--days', '1'], {
      ...env,
      FASTINTERCOM_TEST_LOG_LEVEL: 'DEBUG',
    });
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(readFileSync(join(ws, 'logs', 'fast-intercom-mcp.log'), 'utf8'), /DEBUG +GET \/me 200/);
  });

  it('names --test-mode in the hints of a test-mode command', async () => {
    const ws = tempWorkspace();
    const env = { FASTINTERCOM_TEST_WORKSPACE: ws, ...api() };
    const status = await runCli(['--test-mode', 'status'], env);
    assert.match(status.stdout, /run `fast-intercom-mcp --test-mode sync` to fill it/);
    assert.equal((await runCli(['--test-mode', 'sync', '--days', '1'], env)).code, 0);
    const reset = await runCli(['--test-mode', 'reset', '--yes'], env);
    assert.match(reset.stdout, /Run `fast-intercom-mcp --test-mode sync` to rebuild it\./);
  });
});
