/** The wording and the pure checks a new user meets first: tables of cases, edges included. */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatCheck } from '../../src/cli/doctor-command.js';
import { checkNode } from '../../src/cli/doctor/checks.js';
import {
  clientConfigFiles,
  judgeEntry,
  readClientConfigs,
  resolveCommand,
} from '../../src/cli/doctor/client-configs.js';
import { describeTarget, TARGETS } from '../../src/integration/targets.js';
import { count } from '../../src/wording.js';
import { tempWorkspace } from '../helpers/cli.js';

describe('count', () => {
  for (const [n, singular, plural, expected] of [
    [0, 'API call', undefined, '0 API calls'],
    [1, 'API call', undefined, '1 API call'],
    [2, 'conversation', undefined, '2 conversations'],
    [1, 'retry', 'retries', '1 retry'],
    [3, 'retry', 'retries', '3 retries'],
    [12345, 'message', undefined, '12,345 messages'],
  ] as const)
    it(`${n} ${singular} → ${expected}`, () => assert.equal(count(n, singular, plural), expected));
});

describe('describeTarget', () => {
  it('a ceiling of zero reads "none"', () => assert.equal(describeTarget(TARGETS.rateLimited), 'none'));
  it('others keep their bound and unit', () => {
    assert.equal(describeTarget(TARGETS.statusAverageMs), '≤10ms');
    assert.equal(describeTarget(TARGETS.syncConversationsPerSecond), '≥10 conversations/second');
  });
});

describe('checkNode', () => {
  for (const [version, status] of [
    ['20.0.0', 'ok'],
    ['20.20.2', 'ok'],
    ['22.23.3', 'ok'],
    ['19.9.0', 'fail'],
    ['18.19.1', 'fail'],
  ] as const)
    it(`${version}: ${status}`, () => {
      const c = checkNode(version);
      assert.equal(c.status, status);
      if (status === 'fail') assert.match(c.fix ?? '', /install Node\.js 20/);
    });
});

describe('formatCheck', () => {
  it('one line: mark, name, detail, and the fix when there is one', () => {
    assert.equal(
      formatCheck({ name: 'Token', status: 'fail', detail: 'no Intercom access token', fix: 'set it' }),
      '✗ Token:         no Intercom access token — fix: set it',
    );
    assert.equal(
      formatCheck({ name: 'Clock', status: 'ok', detail: 'within 1 s' }),
      '✓ Clock:         within 1 s',
    );
  });
});

describe('client configs', () => {
  it('where each client keeps its file, by platform', () => {
    const desktop = (p: NodeJS.Platform, env: NodeJS.ProcessEnv = {}) =>
      clientConfigFiles('/home/u', '/proj', p, env).find((f) => f.client === 'Claude Desktop')!.path;
    assert.equal(desktop('darwin'), '/home/u/Library/Application Support/Claude/claude_desktop_config.json');
    assert.equal(desktop('linux'), '/home/u/.config/Claude/claude_desktop_config.json');
    assert.equal(desktop('linux', { XDG_CONFIG_HOME: '/x' }), '/x/Claude/claude_desktop_config.json');
    assert.equal(desktop('win32', { APPDATA: '/appdata' }), '/appdata/Claude/claude_desktop_config.json');
    const vscode = clientConfigFiles('/home/u', '/proj', 'linux').find((f) =>
      f.client.startsWith('VS Code'),
    )!;
    assert.deepEqual([vscode.path, vscode.key], ['/proj/.vscode/mcp.json', 'servers']);
  });

  it('finds the entries that run fast-intercom-mcp, and judges their commands', () => {
    const dir = tempWorkspace('fim-clients-');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'fast-intercom-mcp'), '#!/bin/sh\n');
    chmodSync(join(bin, 'fast-intercom-mcp'), 0o755);
    const file = join(dir, 'mcp.json');
    writeFileSync(
      file,
      JSON.stringify({
        mcpServers: {
          intercom: { command: 'fast-intercom-mcp', args: ['start'] },
          other: { command: 'uvx', args: ['something-else'] },
          published: { command: 'npx', args: ['-y', 'fast-intercom-mcp', 'start'] },
          clone: { command: 'node', args: [join(dir, 'missing', 'fast-intercom-mcp', 'main.js'), 'start'] },
          remote: { url: 'https://mcp.intercom.com/mcp' },
        },
      }),
    );
    const [reading] = readClientConfigs([{ client: 'Cursor', path: file, key: 'mcpServers' }]);
    assert.ok(reading && 'entries' in reading);
    assert.deepEqual(
      reading.entries.map((e) => e.name),
      ['intercom', 'published', 'clone'],
    );
    const path = `${bin}:/usr/bin:/bin:${process.env.PATH}`;
    const verdicts = reading.entries.map((e) => judgeEntry(e, path));
    assert.deepEqual(
      verdicts.map((v) => v.ok),
      [true, false, false],
    );
    assert.match(verdicts[0]!.detail, new RegExp(`runs ${bin}/fast-intercom-mcp start`));
    assert.match(verdicts[1]!.detail, /npm registry/);
    assert.match(verdicts[2]!.detail, /does not exist/);
    assert.equal(resolveCommand('fast-intercom-mcp', '/nowhere'), undefined);
  });
});
