/** Hints name the command as the user ran it: a table of texts and invocations. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asInvoked } from '../../src/wording.js';

const TEST = 'fast-intercom-mcp --test-mode';
const CASES: [text: string, invocation: string, expected: string][] = [
  ['Run `fast-intercom-mcp sync`.', TEST, 'Run `fast-intercom-mcp --test-mode sync`.'],
  [
    'Run `fast-intercom-mcp reset --yes` and `fast-intercom-mcp sync` to rebuild it.',
    "fast-intercom-mcp --workspace '/tmp/my copy'",
    "Run `fast-intercom-mcp --workspace '/tmp/my copy' reset --yes` and `fast-intercom-mcp --workspace '/tmp/my copy' sync` to rebuild it.",
  ],
  ['Run `fast-intercom-mcp sync`.', 'fast-intercom-mcp', 'Run `fast-intercom-mcp sync`.'],
  // Prose that names the product is not a command.
  [
    'upgrade fast-intercom-mcp to the version that wrote it',
    TEST,
    'upgrade fast-intercom-mcp to the version that wrote it',
  ],
  ['`fast-intercom-mcp` alone', TEST, '`fast-intercom-mcp` alone'],
  [
    'a flag first: `fast-intercom-mcp --verbose sync`',
    TEST,
    'a flag first: `fast-intercom-mcp --test-mode --verbose sync`',
  ],
];

describe('asInvoked', () => {
  for (const [text, invocation, expected] of CASES)
    it(`${text} as ${invocation}`, () => assert.equal(asInvoked(text, invocation), expected));
});
