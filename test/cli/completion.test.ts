/**
 * Shell completion from the real command tree: the bash script, sourced into a real bash, completes
 * commands, a command's options, and skips a global option's value; zsh loads the same function
 * through bashcompinit; fish gets a line per command and option; another shell is a usage error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli, runCommand } from '../helpers/cli.js';

/** What bash offers for `line` (the word being completed is its last one, maybe empty). */
async function complete(script: string, line: string): Promise<string[]> {
  const words = line.split(' ');
  const program = [
    script,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_fast_intercom_mcp',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = await runCommand('bash', ['-c', program]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  it('bash completes commands, options and skips a global option’s value', async () => {
    const r = await runCli(['completion', 'bash']);
    assert.equal(r.code, 0, r.stderr);
    const script = r.stdout;
    assert.deepEqual(await complete(script, 'fast-intercom-mcp sy'), ['sync']);
    assert.deepEqual((await complete(script, 'fast-intercom-mcp s')).sort(), [
      'serve',
      'start',
      'status',
      'sync',
    ]);
    assert.deepEqual(await complete(script, 'fast-intercom-mcp sync --da'), ['--days']);
    assert.deepEqual(await complete(script, 'fast-intercom-mcp --workspace /tmp/x sync --si'), ['--since']);
    assert.deepEqual(await complete(script, 'fast-intercom-mcp --workspace status'), []);
    assert.ok((await complete(script, 'fast-intercom-mcp serve --auth')).includes('--auth-token-file'));
    assert.ok((await complete(script, 'fast-intercom-mcp ')).includes('completion'));
  });

  it('zsh loads the same function; fish has a line per command and option', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    assert.match(zsh.stdout, /^autoload -U \+X bashcompinit && bashcompinit\n_fast_intercom_mcp\(\) \{/);
    const fish = await runCli(['completion', 'fish']);
    assert.match(
      fish.stdout,
      /complete -c fast-intercom-mcp -n __fish_use_subcommand -a sync -d 'bring the local copy up to date/,
    );
    assert.match(
      fish.stdout,
      /complete -c fast-intercom-mcp -n '__fish_seen_subcommand_from sync' -l days -r -d /,
    );
  });

  it('another shell is a usage error', async () => {
    const r = await runCli(['completion', 'powershell']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the shell must be one of bash, zsh, fish, got 'powershell'/);
  });
});
