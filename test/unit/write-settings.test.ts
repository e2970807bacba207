/** Which writes a server offers and as whom, from each source: flags over variables over the file. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { withServingFlags, type ServingFlags } from '../../src/cli/serving-options.js';
import { ConfigError, loadSettings } from '../../src/config/settings.js';
import { resolveWorkspace } from '../../src/config/workspace-paths.js';
import { tempWorkspace } from '../helpers/cli.js';

interface Case {
  what: string;
  file?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  flags?: ServingFlags;
  writes: string | RegExp;
  writeAs?: string;
}

const CASES: Case[] = [
  { what: 'off by default', writes: 'off' },
  { what: 'internal writes from the variable', env: { FASTINTERCOM_ALLOW_WRITES: '1' }, writes: 'internal' },
  {
    what: 'replies on top, from the file',
    file: { allow_writes: true, allow_replies: true, write_as: 'ana@example.com' },
    writes: 'replies',
    writeAs: 'ana@example.com',
  },
  {
    what: 'the flags over a variable that says no',
    env: { FASTINTERCOM_ALLOW_WRITES: '0' },
    flags: { allowWrites: true, allowReplies: true, writeAs: '991' },
    writes: 'replies',
    writeAs: '991',
  },
  {
    what: '--allow-replies on a server whose settings allow writes',
    env: { FASTINTERCOM_ALLOW_WRITES: 'true' },
    flags: { allowReplies: true },
    writes: 'replies',
  },
  {
    what: 'the variable for the admin',
    env: { FASTINTERCOM_WRITE_AS: ' 42 ' },
    writes: 'off',
    writeAs: '42',
  },
  {
    what: 'replies alone refused, from the variable',
    env: { FASTINTERCOM_ALLOW_REPLIES: '1' },
    writes: /replies to customers go on top of the internal writes; allow those too/,
  },
  {
    what: 'replies alone refused, from the flag',
    flags: { allowReplies: true },
    writes: /^--allow-replies: replies to customers go on top/,
  },
  {
    what: 'a flag value that is no yes or no',
    env: { FASTINTERCOM_ALLOW_WRITES: 'sure' },
    writes: /must be 1 or 0/,
  },
];

describe('write settings', () => {
  for (const c of CASES)
    it(c.what, () => {
      const workspace = tempWorkspace();
      const paths = resolveWorkspace({ workspace, testMode: false });
      if (c.file) writeFileSync(paths.configFile, JSON.stringify(c.file));
      const read = () => withServingFlags(c.flags ?? {}, loadSettings(paths, c.env ?? {}));
      if (c.writes instanceof RegExp) {
        assert.throws(read, (e: Error) => e instanceof ConfigError && (c.writes as RegExp).test(e.message));
        return;
      }
      const settings = read();
      assert.equal(settings.tools.writes, c.writes);
      assert.equal(settings.writeAs, c.writeAs);
    });
});
