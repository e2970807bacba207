/**
 * Usage errors as `--help` promises them: exit 2 and one `error:` line, without a stack, for each
 * of a table of mistakes; and, after `reset`, `status` names the command that helps (`sync`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { runCli, tempWorkspace } from '../helpers/cli.js';

describe('usage errors', () => {
  let em: RunningEmulator;
  before(async () => {
    em = await startEmulator({ conversations: 30, days: 5, seed: 'usage' });
  });
  after(() => em?.stop());
  const creds = () => ({ INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token });

  const cases: [string[], RegExp, boolean][] = [
    [['sync', '--since', 'yesterdayy'], /--since: Cannot read "since yesterdayy"/, true],
    [['sync', '--since', '2099-01-01'], /--since: .*lies wholly in the future/, true],
    [['sync', '--days', '0'], /--days.*expected 1 or more, got '0'/, true],
    [['sync', '--days', '3', '--since', 'yesterday'], /give --days or --since, not both/, true],
    [['init', '--region', 'de'], /--region must be us, eu or au, got 'de'/, true],
    [['reset'], /reset deletes the local data: pass --yes to confirm/, true],
    [['serve', '--port', '99999'], /--port.*expected a port from 0 to 65535, got '99999'/, true],
    [['emulator', '--port', '-1'], /--port.*expected a whole number, got '-1'/, true],
    [['--workspace', '/nonexistent/typo', 'sync'], /No workspace at \/nonexistent\/typo/, false],
    [['frobnicate'], /unknown command 'frobnicate'/, true],
  ];
  for (const [args, message, withToken] of cases)
    it(`${args.join(' ')} → exit 2, one line`, async () => {
      const r = await runCli(
        args[0] === '--workspace' ? args : ['--workspace', tempWorkspace(), ...args],
        withToken ? creds() : {},
      );
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      const errors = lines.filter((l) => l.startsWith('error:'));
      assert.equal(errors.length, 1, r.stderr);
      assert.match(errors[0]!, message);
      assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace');
    });

  it('after reset, status says to sync, not to init', async () => {
    const ws = tempWorkspace();
    assert.equal(
      (await runCli(['--workspace', ws, 'init', '--api-url', em.url, '--token', em.token])).code,
      0,
    );
    assert.equal((await runCli(['--workspace', ws, 'sync'], creds())).code, 0);
    assert.equal((await runCli(['--workspace', ws, 'reset', '--yes'])).code, 0);
    const status = await runCli(['--workspace', ws, 'status']);
    // The hint names the workspace it was asked about, or it would sync another.
    assert.ok(
      status.stdout.includes(`: run \`fast-intercom-mcp --workspace ${ws} sync\` to fill it.`),
      status.stdout,
    );
  });
});
