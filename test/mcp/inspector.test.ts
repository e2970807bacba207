/**
 * The MCP Inspector's command line (`npx @modelcontextprotocol/inspector --cli …`, the package
 * `@modelcontextprotocol/inspector-cli`, a 2025-11-25 client on the SDK 1), as people debug a
 * server with it: it lists the tools and calls one, over stdio and over HTTP with the bearer token.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { TOOL_NAMES } from '../../src/mcp/tools/index.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { CLI, runCommand, tempWorkspace } from '../helpers/cli.js';

const INSPECTOR = join(
  PACKAGE_ROOT,
  'node_modules',
  '@modelcontextprotocol',
  'inspector-cli',
  'build',
  'cli.js',
);
const OFFLINE = { INTERCOM_ACCESS_TOKEN: 'inspector-test', INTERCOM_API_BASE_URL: 'http://127.0.0.1:9' };
const TOKEN = 'inspector-test-token-123456';
const INSPECTOR_CWD = join(PACKAGE_ROOT, 'dist');

/**
 * Runs the Inspector's CLI mode. It reads its own package.json through a path it checks against
 * the working directory, so it runs from one whose parent holds a package.json, as npx's does.
 */
async function inspect(target: string[], args: string[]): Promise<any> {
  const r = await runCommand(
    process.execPath,
    [INSPECTOR, '--cli', ...target, ...args],
    OFFLINE,
    INSPECTOR_CWD,
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
}

describe('the MCP Inspector’s command line', () => {
  const stdio = () => [process.execPath, CLI, '--workspace', tempWorkspace(), 'start'];

  it('lists every tool over stdio', async () => {
    const listed = await inspect(stdio(), ['--method', 'tools/list']);
    assert.deepEqual(
      listed.tools.map((t: { name: string }) => t.name),
      TOOL_NAMES,
    );
  });

  it('calls a tool over stdio, with its arguments', async () => {
    const answer = await inspect(stdio(), [
      '--method',
      'tools/call',
      '--tool-name',
      'get_server_status',
      '--tool-arg',
      'timeframe=last 7 days',
    ]);
    assert.notEqual(answer.isError, true, JSON.stringify(answer));
    assert.equal(answer.structuredContent.conversations, 0);
    assert.equal(answer.structuredContent.freshness.window_covered, false);
  });

  describe('over HTTP', () => {
    let serve: ServeProcess;
    before(async () => {
      serve = await startServeProcess(tempWorkspace(), OFFLINE, TOKEN);
    });
    after(() => serve?.stop());

    it('lists the tools and calls one with the bearer token, and is refused without it', async () => {
      const auth = ['--header', `Authorization: Bearer ${TOKEN}`];
      const listed = await inspect([serve.url], ['--method', 'tools/list', ...auth]);
      assert.equal(listed.tools.length, TOOL_NAMES.length);
      const answer = await inspect(
        [serve.url],
        ['--method', 'tools/call', '--tool-name', 'list_workspace', ...auth],
      );
      assert.notEqual(answer.isError, true, JSON.stringify(answer));
      const refused = await runCommand(
        process.execPath,
        [INSPECTOR, '--cli', serve.url, '--method', 'tools/list'],
        {},
        INSPECTOR_CWD,
      );
      assert.notEqual(refused.code, 0);
      assert.match(refused.stdout + refused.stderr, /401|Unauthorized/);
    });
  });
});
