import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withServingFlags, type ServingFlags } from '../../src/cli/serving-options.js';
import { ConfigError, loadSettings } from '../../src/config/settings.js';
import { resolveWorkspace } from '../../src/config/workspace-paths.js';
import { tempWorkspace } from '../helpers/cli.js';

const paths = resolveWorkspace({ workspace: tempWorkspace(), testMode: false });
const sorted = (s: ReadonlySet<string> | undefined) => (s ? [...s].sort() : s);

interface Case {
  what: string;
  env?: NodeJS.ProcessEnv;
  atSyncFlag?: boolean;
  flags?: ServingFlags;
  redact: string[];
  atSync: string[] | undefined;
}

const CASES: Case[] = [
  { what: 'nothing masked by default', redact: [], atSync: undefined },
  { what: 'answers only', env: { FASTINTERCOM_REDACT: 'emails' }, redact: ['emails'], atSync: undefined },
  {
    what: 'the copy too: every kind when answers name none',
    env: { FASTINTERCOM_REDACT_AT_SYNC: '1' },
    redact: [],
    atSync: ['cards', 'emails', 'phones'],
  },
  {
    what: 'the copy too: the kinds the answers mask',
    env: { FASTINTERCOM_REDACT: 'phones, cards', FASTINTERCOM_REDACT_AT_SYNC: 'true' },
    redact: ['cards', 'phones'],
    atSync: ['cards', 'phones'],
  },
  {
    what: 'the command line’s --redact-at-sync over the variable',
    env: { FASTINTERCOM_REDACT_AT_SYNC: '0' },
    atSyncFlag: true,
    redact: [],
    atSync: ['cards', 'emails', 'phones'],
  },
  {
    what: 'a server’s --redact over the variable, for the answers and the copy',
    env: { FASTINTERCOM_REDACT: 'emails', FASTINTERCOM_REDACT_AT_SYNC: '1' },
    flags: { redact: 'phones' },
    redact: ['phones'],
    atSync: ['phones'],
  },
  { what: 'an empty variable is unset', env: { FASTINTERCOM_REDACT: ' ' }, redact: [], atSync: undefined },
];

const REFUSED: { what: string; env?: NodeJS.ProcessEnv; flags?: ServingFlags; message: RegExp }[] = [
  {
    what: 'a kind that is none',
    env: { FASTINTERCOM_REDACT: 'emails,names' },
    message: /^FASTINTERCOM_REDACT takes emails, phones, cards \(comma-separated\), got 'names'$/,
  },
  {
    what: 'a flag’s kind that is none',
    flags: { redact: 'email' },
    message: /^--redact takes .* got 'email'$/,
  },
  {
    what: 'a yes/no that is neither',
    env: { FASTINTERCOM_REDACT_AT_SYNC: 'sometimes' },
    message: /^FASTINTERCOM_REDACT_AT_SYNC must be 1 or 0/,
  },
];

describe('what is masked, and where', () => {
  for (const c of CASES)
    it(c.what, () => {
      const settings = withServingFlags(c.flags ?? {}, loadSettings(paths, c.env ?? {}, false, c.atSyncFlag));
      assert.deepEqual(sorted(settings.redact), c.redact);
      assert.deepEqual(sorted(settings.redactAtSync), c.atSync);
    });
  for (const c of REFUSED)
    it(`refuses ${c.what}`, () =>
      assert.throws(
        () => withServingFlags(c.flags ?? {}, loadSettings(paths, c.env ?? {})),
        (e: unknown) => e instanceof ConfigError && c.message.test(e.message),
      ));
});
