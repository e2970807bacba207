/**
 * `doctor` against the real emulator, the real CLI and real files: every check passes on a good
 * set-up, and each one fails, with its fix and exit code 1, when the thing it checks is broken.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, openSync, writeSync, closeSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { CLI, runCli, runOtherCli, tempWorkspace, type CliResult } from '../helpers/cli.js';
import { control } from '../helpers/http.js';
import { freePort } from '../helpers/ports.js';
import { projectWithoutNativeModule } from '../helpers/project-copy.js';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  fix?: string;
}

function parse(r: CliResult): { ok: boolean; checks: Check[] } {
  assert.ok(r.stdout.endsWith('\n'), r.stdout);
  return JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
}

const check = (answer: { checks: Check[] }, name: string) => {
  const found = answer.checks.filter((c) => c.name === name);
  assert.ok(found.length > 0, `a ${name} check in ${JSON.stringify(answer.checks)}`);
  return found;
};

/** Exit 1, the named check failed with a fix, and nothing else failed. */
function failsOnly(r: CliResult, name: string, detail: RegExp): Check {
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const answer = parse(r);
  assert.equal(answer.ok, false);
  const failing = answer.checks.filter((c) => c.status === 'fail');
  assert.deepEqual(
    failing.map((c) => c.name),
    [name],
    JSON.stringify(failing),
  );
  assert.match(failing[0]!.detail, detail);
  assert.ok((failing[0]!.fix ?? '').length > 10, 'the line says how to fix it');
  return failing[0]!;
}

describe('doctor', () => {
  let em: RunningEmulator;
  let good: { workspace: string; home: string };
  const env = (extra: Record<string, string | undefined> = {}) => ({
    INTERCOM_API_BASE_URL: em.url,
    INTERCOM_ACCESS_TOKEN: em.token,
    HOME: good.home,
    ...extra,
  });
  const doctor = (workspace: string, extra: Record<string, string | undefined> = {}) =>
    runCli(['--workspace', workspace, 'doctor', '--json'], env(extra));

  /** A workspace synced from the emulator, and a HOME whose Cursor config runs this CLI. */
  async function goodSetup(): Promise<{ workspace: string; home: string }> {
    const root = tempWorkspace('fim-doctor-');
    const workspace = join(root, 'ws');
    const home = join(root, 'home');
    mkdirSync(join(home, '.cursor'), { recursive: true });
    writeFileSync(
      join(home, '.cursor', 'mcp.json'),
      JSON.stringify({ mcpServers: { intercom: { command: process.execPath, args: [CLI, 'start'] } } }),
    );
    const creds = { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, HOME: home };
    assert.equal((await runCli(['--workspace', workspace, 'init'], creds)).code, 0);
    assert.equal((await runCli(['--workspace', workspace, 'sync', '--days', '5'], creds)).code, 0);
    return { workspace, home };
  }

  before(async () => {
    em = await startEmulator({ conversations: 60, days: 5, seed: 'doctor' });
    good = await goodSetup();
  });
  after(() => em.stop());

  it('passes every check on a good set-up, one line each, exit 0', async () => {
    const r = await runCli(['--workspace', good.workspace, 'doctor'], env());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n');
    for (const name of [
      'Node.js',
      'Native module',
      'Intercom',
      'Clock',
      'Token',
      'Permissions',
      'Workspace',
      'Database',
      'MCP clients',
    ])
      assert.ok(
        lines.some((l) => l.startsWith(`✓ ${name}:`)),
        `a passing ${name} line in:\n${r.stdout}`,
      );
    assert.equal(lines.at(-1), 'All checks passed.');
    assert.match(r.stdout, /Database: .* intact, schema \d+, 60 conversations/);
    assert.match(r.stdout, new RegExp(`MCP clients: +Cursor "intercom" runs ${process.execPath}`));
    const json = parse(await doctor(good.workspace));
    assert.equal(json.ok, true);
  });

  it('Token: none, and a wrong one', async () => {
    failsOnly(
      await doctor(good.workspace, { INTERCOM_ACCESS_TOKEN: undefined }),
      'Token',
      /no Intercom access token/,
    );
    const wrong = failsOnly(
      await doctor(good.workspace, { INTERCOM_ACCESS_TOKEN: 'sk-wrong-0000' }),
      'Token',
      /401/,
    );
    assert.ok(!JSON.stringify(wrong).includes('sk-wrong-0000'), 'the token is not echoed');
  });

  it('Permissions: a token without "Read conversations"', async () => {
    await control(em, 'POST', '/faults/scripted', {
      route: 'POST /conversations/search',
      kind: '403',
      count: 1,
    });
    failsOnly(await doctor(good.workspace), 'Permissions', /Read conversations/);
  });

  it('Permissions: a token without "Read tickets" or "Read articles" warns which kind goes missing', async () => {
    await control(em, 'POST', '/faults/scripted', { route: 'POST /tickets/search', kind: '403', count: 1 });
    await control(em, 'POST', '/faults/scripted', { route: 'GET /articles', kind: '403', count: 1 });
    const r = await doctor(good.workspace);
    const answer = parse(r);
    const [permissions] = check(answer, 'Permissions');
    assert.equal(permissions!.status, 'warn', JSON.stringify(permissions));
    assert.match(
      permissions!.detail,
      /without Read tickets \(tickets will be missing\), Read articles \(the Help Center will be missing\)/,
    );
    assert.match(permissions!.fix ?? '', /"Read tickets" for tickets, "Read articles" for the Help Center/);
  });

  it('Intercom: an address nothing answers at', async () => {
    const port = await freePort();
    const r = await doctor(good.workspace, { INTERCOM_API_BASE_URL: `http://127.0.0.1:${port}` });
    assert.equal(r.code, 1);
    const answer = parse(r);
    const [reach] = check(answer, 'Intercom');
    assert.equal(reach!.status, 'fail');
    assert.equal(reach!.detail, `cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`);
    // The token cannot be checked without Intercom either: that is the same cause, said again.
    assert.deepEqual(
      answer.checks.filter((c) => c.status === 'fail').map((c) => c.name),
      ['Intercom', 'Token'],
    );
  });

  it("Clock: Intercom's clock ten minutes away from ours", async () => {
    await control(em, 'PUT', '/clock', { offsetSeconds: 600 });
    try {
      failsOnly(await doctor(good.workspace), 'Clock', /600 s behind Intercom's|(59\d|60\d) s behind/);
    } finally {
      await control(em, 'PUT', '/clock', { offsetSeconds: 0 });
    }
  });

  it('Workspace: missing, and files other users can read', async () => {
    const missing = await doctor(join(good.workspace, 'typo'));
    assert.equal(missing.code, 1);
    const answer = parse(missing);
    assert.match(check(answer, 'Workspace')[0]!.detail, /does not exist/);
    assert.equal(check(answer, 'Database')[0]!.status, 'fail');
    const { workspace } = await goodSetup();
    chmodSync(join(workspace, 'data.db'), 0o644);
    const open = failsOnly(await doctor(workspace), 'Workspace', /data\.db \(644\)/);
    assert.equal(open.fix, `chmod 600 ${join(workspace, 'data.db')}`);
    assert.equal(statSync(join(workspace, 'data.db')).mode & 0o777, 0o644, 'doctor changes nothing');
  });

  it('Database: damaged pages', async () => {
    const { workspace } = await goodSetup();
    const fd = openSync(join(workspace, 'data.db'), 'r+');
    writeSync(fd, Buffer.alloc(4096 * 8, 0x5a), 0, 4096 * 8, 4096 * 4);
    closeSync(fd);
    failsOnly(await doctor(workspace), 'Database', /damaged/);
  });

  it('MCP clients: a config pointing at a command that does not exist, and one that is not JSON', async () => {
    const home = tempWorkspace('fim-doctor-home-');
    const cursor = join(home, '.cursor');
    mkdirSync(cursor);
    writeFileSync(
      join(cursor, 'mcp.json'),
      JSON.stringify({
        mcpServers: { intercom: { command: '/opt/nowhere/fast-intercom-mcp', args: ['start'] } },
      }),
    );
    const failing = failsOnly(await doctor(good.workspace, { HOME: home }), 'MCP clients', /not found/);
    assert.match(failing.detail, /Cursor "intercom" runs `\/opt\/nowhere\/fast-intercom-mcp`/);
    const desktop = join(home, '.config', 'Claude');
    mkdirSync(desktop, { recursive: true });
    writeFileSync(join(desktop, 'claude_desktop_config.json'), '{"mcpServers": {');
    const r = await doctor(good.workspace, { HOME: home });
    const clients = check(parse(r), 'MCP clients');
    assert.deepEqual(
      clients.map((c) => c.status),
      ['fail', 'fail'],
    );
    assert.match(clients[0]!.detail, /claude_desktop_config\.json: not valid JSON/);
  });

  it('Native module: better-sqlite3 not built for this Node.js', async () => {
    const copy = projectWithoutNativeModule();
    const r = await runOtherCli(copy.cli, ['--workspace', good.workspace, 'doctor', '--json'], env());
    const failing = failsOnly(r, 'Native module', /not built for this machine/);
    assert.equal(
      failing.fix,
      `cd ${copy.root} && npm rebuild better-sqlite3 (it compiles for this Node.js; a few minutes)`,
    );
    assert.equal(check(parse(r), 'Database')[0]!.status, 'skip');
    // Any other command says the same in one line, instead of the module loader's paragraph.
    const status = await runOtherCli(copy.cli, ['--workspace', good.workspace, 'status'], env());
    assert.equal(status.code, 2);
    assert.equal(
      status.stderr,
      `error: The native module better-sqlite3 is not built for this machine (its native file is missing): run \`npm rebuild better-sqlite3\` in ${copy.root} (a few minutes), or \`fast-intercom-mcp --workspace ${good.workspace} doctor\` for the whole set-up.\n`,
    );
  });
});
