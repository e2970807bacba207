/**
 * The desktop bundle: built by the script `npm run bundle` runs, validated by the official
 * `@anthropic-ai/mcpb` CLI, unpacked as Claude Desktop unpacks it, and started with the command
 * its manifest gives (through mcpb's own resolution of `${__dirname}` and the user's settings), so
 * that a real SDK client talks to the server inside it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getMcpConfigForManifest } from '@anthropic-ai/mcpb';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { TOOL_NAMES, TOOLS } from '../../src/mcp/tools/index.js';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../src/package-root.js';
import { runCommand, tempWorkspace } from '../helpers/cli.js';
import { assertSyncsAndServes } from '../helpers/mcp.js';

const MCPB = join(PACKAGE_ROOT, 'node_modules', '.bin', 'mcpb');

async function run(command: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const r = await runCommand(command, args);
  return { code: r.code, out: r.stdout + r.stderr };
}

describe('the desktop bundle (.mcpb)', () => {
  const root = tempWorkspace('fim-bundle-');
  const bundle = join(root, 'fast-intercom-mcp.mcpb');
  const stage = join(root, 'stage');
  let em: RunningEmulator;

  before(async () => {
    em = await startEmulator({ conversations: 120, days: 20, seed: 'bundle' });
    const built = await run(process.execPath, [
      join(PACKAGE_ROOT, 'dist', 'scripts', 'bundle', 'build-bundle.js'),
      '--output',
      bundle,
      '--stage',
      stage,
    ]);
    assert.equal(built.code, 0, built.out);
  });
  after(() => em.stop());

  it('validates with @anthropic-ai/mcpb, the token a sensitive, required user setting', async () => {
    const validate = await run(MCPB, ['validate', join(stage, 'manifest.json')]);
    assert.equal(validate.code, 0, validate.out);
    assert.match(validate.out, /Manifest schema validation passes/);
    const manifest = JSON.parse(readFileSync(join(stage, 'manifest.json'), 'utf8'));
    assert.equal(manifest.version, PACKAGE_VERSION);
    assert.deepEqual(
      manifest.tools.map((t: { name: string }) => t.name),
      TOOL_NAMES,
    );
    assert.deepEqual(
      [
        manifest.user_config.intercom_access_token.sensitive,
        manifest.user_config.intercom_access_token.required,
      ],
      [true, true],
    );
    assert.deepEqual(manifest.compatibility.platforms, [process.platform]);
    assert.deepEqual(
      manifest.tools.map((t: { description: string }) => t.description),
      TOOLS.map((t) => t.description),
      'every tool description whole',
    );
    assert.equal(manifest.icon, 'icon.png');
    const icon = readFileSync(join(stage, 'icon.png'));
    assert.deepEqual([...icon.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'the icon is a PNG');
    assert.equal(icon.readUInt32BE(16), icon.readUInt32BE(20), 'square');
    const info = await run(MCPB, ['info', bundle]);
    assert.equal(info.code, 0, info.out);
  });

  it('unpacked, the manifest’s command serves the workspace to an SDK client', async () => {
    const unpacked = join(root, 'installed');
    const unpack = await run(MCPB, ['unpack', bundle, unpacked]);
    assert.equal(unpack.code, 0, unpack.out);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
    const home = join(root, 'home');
    const config = await getMcpConfigForManifest({
      manifest,
      extensionPath: unpacked,
      systemDirs: { HOME: home },
      userConfig: { intercom_access_token: em.token },
      pathSeparator: '/',
    });
    assert.ok(config, 'the manifest gives a launch command once the token is set');
    // The tool settings left at their defaults serve every tool (empty is unset).
    assert.deepEqual(config.env, {
      INTERCOM_ACCESS_TOKEN: em.token,
      INTERCOM_REGION: 'us',
      FASTINTERCOM_READ_ONLY: 'false',
      FASTINTERCOM_TOOLS: '',
      FASTINTERCOM_EXCLUDE_TOOLS: '',
      FASTINTERCOM_REDACT: '',
      FASTINTERCOM_REDACT_AT_SYNC: 'false',
      FASTINTERCOM_ALLOW_WRITES: 'false',
      FASTINTERCOM_ALLOW_REPLIES: 'false',
      FASTINTERCOM_WRITE_AS: '',
    });
    const narrowed = await getMcpConfigForManifest({
      manifest,
      extensionPath: unpacked,
      systemDirs: { HOME: home },
      userConfig: { intercom_access_token: em.token, read_only: true, exclude_tools: 'search,fetch' },
      pathSeparator: '/',
    });
    assert.equal(narrowed?.env?.FASTINTERCOM_READ_ONLY, 'true');
    assert.equal(narrowed?.env?.FASTINTERCOM_EXCLUDE_TOOLS, 'search,fetch');
    await assertSyncsAndServes(
      new StdioClientTransport({
        command: config.command,
        args: config.args ?? [],
        // Only the emulator's address is added: the bundle's own settings reach Intercom otherwise.
        env: { PATH: process.env.PATH ?? '', HOME: home, ...config.env, INTERCOM_API_BASE_URL: em.url },
        stderr: 'pipe',
      }),
      em.workspace.size,
    );
    assert.ok(
      existsSync(join(home, '.fast-intercom-mcp', 'data.db')),
      'the copy is in the default workspace, which the command line shares',
    );
  });
});
