/**
 * The README's install lines, run as written in a fresh checkout with an empty HOME and an empty
 * global prefix: from the clone (`npm ci && npm link`), then from a packed tarball. Each installed
 * command is then launched as the README's client snippet says, and a real SDK client syncs from
 * the emulator and reads the answer back. npm's own settings (registry, cache, CA file) stay the
 * machine's: what starts empty is what belongs to the user and the product.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { PACKAGE_ROOT } from '../src/package-root.js';
import { tempWorkspace } from '../test/helpers/cli.js';
import { assertSyncsAndServes } from '../test/helpers/mcp.js';

const README = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');

/** The first fenced block of a language after a heading (or any text) of the README. */
function blockAfter(marker: string, lang: string): string {
  const at = README.indexOf(marker);
  assert.ok(at >= 0, `the README has "${marker}"`);
  const open = README.indexOf(`\`\`\`${lang}\n`, at);
  const close = README.indexOf('\n```', open + 4);
  return README.slice(open + lang.length + 4, close);
}

const npmConfig = (key: string) =>
  spawnSync('npm', ['config', 'get', key], { encoding: 'utf8' }).stdout.trim();

/** The checkout as git sees it (committed and new files, not what .gitignore leaves out). */
function freshCheckout(into: string): void {
  const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
  })
    .stdout.split('\0')
    .filter(Boolean);
  assert.ok(files.includes('package.json'), 'git lists the checkout');
  for (const f of files) {
    if (!existsSync(join(PACKAGE_ROOT, f))) continue;
    mkdirSync(dirname(join(into, f)), { recursive: true });
    cpSync(join(PACKAGE_ROOT, f), join(into, f));
  }
}

function sh(
  line: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string }> {
  const child = spawn('bash', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out: out.slice(-4000) })));
}

const linesOf = (block: string) =>
  block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

describe("the README's install lines, on a fresh checkout with an empty HOME", () => {
  const root = tempWorkspace('fim-install-');
  const clone = join(root, 'fast-intercom-mcp');
  const home = join(root, 'home');
  let em: RunningEmulator;
  const snippet = JSON.parse(blockAfter('## Connect a client', 'json')) as {
    mcpServers: { intercom: { command: string; args: string[]; env: Record<string, string> } };
  };
  const server = snippet.mcpServers.intercom;

  /** The user's environment: nothing of ours, an empty HOME, a global prefix of its own. */
  const userEnv = (prefix: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env))
      if (!/^(INTERCOM_|FASTINTERCOM_|npm_)/i.test(k)) env[k] = v;
    return {
      ...env,
      HOME: home,
      PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
      npm_config_prefix: prefix,
      npm_config_userconfig: npmConfig('userconfig'),
      npm_config_globalconfig: npmConfig('globalconfig'),
      npm_config_cache: npmConfig('cache'),
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    };
  };

  /** Launches the snippet's command as a client does, and checks a sync's answer end to end. */
  async function connectThroughSnippet(env: NodeJS.ProcessEnv): Promise<void> {
    const transport = new StdioClientTransport({
      command: server.command,
      args: server.args,
      env: {
        ...(env as Record<string, string>),
        ...server.env,
        INTERCOM_ACCESS_TOKEN: em.token,
        INTERCOM_API_BASE_URL: em.url,
      },
      stderr: 'pipe',
    });
    await assertSyncsAndServes(transport, em.workspace.size);
  }

  before(async () => {
    mkdirSync(home);
    freshCheckout(clone);
    em = await startEmulator({ conversations: 90, days: 20, seed: 'readme' });
  });
  after(() => em.stop());

  it('the client snippets agree: Claude Code and VS Code launch the same command', () => {
    assert.equal(server.env.INTERCOM_ACCESS_TOKEN, 'your-token');
    const claude = linesOf(blockAfter('**Claude Code:**', 'bash'))[0]!;
    assert.match(claude, /^claude mcp add intercom --env INTERCOM_ACCESS_TOKEN=your-token -- /);
    assert.equal(claude.split(' -- ')[1], [server.command, ...server.args].join(' '));
    const vscode = JSON.parse(blockAfter('**VS Code**', 'json')) as {
      servers: { intercom: { command: string; args: string[] } };
    };
    assert.deepEqual(
      [vscode.servers.intercom.command, vscode.servers.intercom.args],
      [server.command, server.args],
    );
  });

  it('from the clone: `npm ci && npm link`, then the snippet connects', async () => {
    const prefix = join(root, 'prefix-link');
    const env = userEnv(prefix);
    const lines = linesOf(blockAfter('### From a clone', 'bash'));
    assert.deepEqual(lines, ['npm ci && npm link', 'fast-intercom-mcp doctor']);
    const install = await sh(lines[0]!, clone, env);
    assert.equal(install.code, 0, install.out);
    assert.ok(existsSync(join(prefix, 'bin', 'fast-intercom-mcp')), 'npm link put the command on the PATH');
    const doctor = await sh(lines[1]!, root, env);
    // Nothing is configured yet in the empty HOME: what the install decides must pass.
    assert.match(doctor.out, /✓ Node\.js: /);
    assert.match(doctor.out, /✓ Native module: better-sqlite3 loads/);
    assert.match(doctor.out, /✗ Token: +no Intercom access token — fix: set INTERCOM_ACCESS_TOKEN/);
    await connectThroughSnippet(env);
    assert.ok(
      existsSync(join(home, '.fast-intercom-mcp', 'data.db')),
      'the copy is in the default workspace',
    );
  });

  it('from a packed tarball: `npm pack`, `npm install -g`, then the snippet connects', async () => {
    const prefix = join(root, 'prefix-tarball');
    const env = userEnv(prefix);
    const lines = linesOf(blockAfter('### From a packed tarball', 'bash'));
    assert.equal(lines.length, 2);
    for (const line of lines) {
      const r = await sh(line, clone, env);
      assert.equal(r.code, 0, `${line}\n${r.out}`);
    }
    const installed = join(prefix, 'lib', 'node_modules', 'fast-intercom-mcp');
    assert.ok(existsSync(join(installed, 'LICENSE')), 'the package carries its licence');
    assert.ok(!existsSync(join(installed, 'src')), 'the package carries the build, not the sources');
    await connectThroughSnippet(env);
  });
});
