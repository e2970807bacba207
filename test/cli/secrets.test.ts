/**
 * Every way a secret reaches the command line, and every place it could come out. A token read
 * from a file or standard input is in no process's arguments (`ps` reads /proc/PID/cmdline); one
 * given as a flag still works, with a warning. A token saved by `init` and echoed by Intercom in a
 * 403's error code (as given, percent-encoded and base64-encoded forms all count) is in no stderr,
 * `--json` answer or log line; a PostgreSQL password given in a URL's query is not in `doctor`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { CLI, runCli, tempWorkspace } from '../helpers/cli.js';
import { control } from '../helpers/http.js';

/** The token in each form an upstream or a proxy may echo it. */
const forms = (token: string) => [token, encodeURIComponent(token), Buffer.from(token).toString('base64')];

function assertNoSecret(texts: Record<string, string>, secret: string): void {
  for (const [where, text] of Object.entries(texts))
    for (const form of forms(secret))
      assert.ok(!text.includes(form), `${where} holds the secret: ${text.slice(0, 300)}`);
}

/** Starts the CLI and reads its arguments as `ps` shows them, then waits for it to end. */
async function argsAndResult(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<{ cmdline: string; code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, INTERCOM_ACCESS_TOKEN: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  await new Promise((r) => child.once('spawn', r));
  // Read before anything is written to its standard input: the command is still waiting for it.
  const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(stdin ?? '');
  const code = await new Promise<number | null>((r) => child.once('close', r));
  return { cmdline, code, stdout, stderr };
}

describe('secrets on the command line and in every output', () => {
  let em: RunningEmulator;
  before(async () => {
    em = await startEmulator({
      conversations: 60,
      days: 5,
      seed: 'secrets',
      token: 'tok+en/with=odd~chars.1234',
    });
  });
  after(() => em?.stop());

  it('init --token-file and --token-file - keep the token out of the arguments; --token warns', async () => {
    const dir = tempWorkspace();
    const file = join(dir, '..', `token-${process.pid}`);
    writeFileSync(file, `${em.token}\n`, { mode: 0o600 });
    const fromFile = await argsAndResult(
      ['--workspace', dir, 'init', '--api-url', em.url, '--token-file', file],
      {},
    );
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.ok(!fromFile.cmdline.includes(em.token), fromFile.cmdline);
    assert.doesNotMatch(fromFile.stderr, /warning/);
    const config = join(dir, 'config.json');
    assert.equal(JSON.parse(readFileSync(config, 'utf8')).access_token, em.token);
    assert.equal(statSync(config).mode & 0o777, 0o600);

    const other = tempWorkspace();
    const fromStdin = await argsAndResult(
      ['--workspace', other, 'init', '--api-url', em.url, '--token-file', '-'],
      {},
      `${em.token}\n`,
    );
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.ok(!fromStdin.cmdline.includes(em.token));
    assert.equal(JSON.parse(readFileSync(join(other, 'config.json'), 'utf8')).access_token, em.token);

    const plain = await runCli([
      '--workspace',
      tempWorkspace(),
      'init',
      '--api-url',
      em.url,
      '--token',
      em.token,
    ]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stderr, /warning: --token on the command line is visible to every local user \(ps\)/);

    const both = await runCli(['--workspace', tempWorkspace(), 'init', '--token', 'x', '--token-file', file]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /Give --token or --token-file, not both/);
  });

  it('a saved token echoed in a 403 error code is in no stderr, --json answer or log', async () => {
    const dir = tempWorkspace();
    // Not spawnSync: the emulator answers from this process's event loop.
    const init = await argsAndResult(
      ['--workspace', dir, 'init', '--api-url', em.url, '--token-file', '-'],
      {},
      em.token,
    );
    assert.equal(init.code, 0, init.stderr);
    for (const json of [false, true]) {
      await control(em, 'POST', '/faults/scripted', {
        route: 'POST /conversations/search',
        kind: 'echo-403',
        // Every search of the run: a backfill's count may take the first one beside its first page.
        count: 10,
      });
      const sync = await runCli(['--workspace', dir, 'sync', ...(json ? ['--json'] : [])]);
      await control(em, 'DELETE', '/faults');
      assert.notEqual(sync.code, 0);
      assert.match(sync.stderr, /Intercom refused access \(403 forbidden_for_Bearer \[REDACTED\]\)/);
      const status = await runCli(['--workspace', dir, 'status', '--json']);
      assertNoSecret(
        {
          stdout: sync.stdout,
          stderr: sync.stderr,
          status: status.stdout,
          log: readFileSync(join(dir, 'logs', 'fast-intercom-mcp.log'), 'utf8'),
        },
        em.token,
      );
    }
  });

  it('serve --auth-token-file keeps the bearer token out of the arguments', async () => {
    const dir = tempWorkspace();
    const secret = 'serve-bearer-token-0123456789';
    const file = join(dir, 'bearer');
    writeFileSync(file, secret, { mode: 0o600 });
    const child = spawn(
      process.execPath,
      [CLI, '--workspace', dir, '--test-mode', 'serve', '--port', '0', '--auth-token-file', file],
      { env: { ...process.env, INTERCOM_ACCESS_TOKEN: '' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      let stderr = '';
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (/bearer token: the one you gave/.test(stderr)) resolve();
        });
        child.once('exit', () => reject(new Error(stderr)));
      });
      assert.ok(!readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').includes(secret));
      assertNoSecret({ stderr }, secret);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('doctor shows a PostgreSQL URL without the password in its userinfo or its query', async () => {
    for (const url of [
      'postgres://fim@127.0.0.1:1/db?password=query-pass-4321&sslmode=disable',
      'postgres://fim:userinfo-pass-4321@127.0.0.1:1/db',
    ]) {
      const password = /pass-4321/.exec(url) ? url.match(/(query|userinfo)-pass-4321/)![0] : '';
      for (const json of [false, true]) {
        const r = await runCli(['--workspace', tempWorkspace(), 'doctor', ...(json ? ['--json'] : [])], {
          FASTINTERCOM_DATABASE_URL: url,
          INTERCOM_API_BASE_URL: em.url,
          INTERCOM_ACCESS_TOKEN: em.token,
        });
        assert.match(r.stdout, /127\.0\.0\.1:1/, 'the database is named');
        assertNoSecret({ stdout: r.stdout, stderr: r.stderr }, password);
        assertNoSecret({ stdout: r.stdout, stderr: r.stderr }, em.token);
      }
    }
  });
});
