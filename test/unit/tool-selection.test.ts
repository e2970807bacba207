import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, type ToolNarrowing } from '../../src/config/settings.js';
import { selectTools } from '../../src/mcp/tool-selection.js';
import { TOOL_NAMES, TOOLS } from '../../src/mcp/tools/index.js';

const EVERY: ToolNarrowing = { readOnly: false, writes: 'off', only: undefined, exclude: [] };
const NO_TOKEN = 'No Intercom access token is configured, so the server cannot sync.';
const WRITERS = TOOLS.filter((t) => !t.annotations.readOnlyHint).map((t) => t.name);

interface Case {
  what: string;
  narrowing?: Partial<ToolNarrowing>;
  cannotSync?: string;
  served: string[];
  /** Why one of the hidden tools is hidden: a word the answer to a call must carry. */
  why?: [string, RegExp];
}

const CASES: Case[] = [
  { what: 'every tool by default', served: TOOL_NAMES },
  {
    what: 'read-only: what the annotations say changes something goes',
    narrowing: { readOnly: true },
    served: TOOL_NAMES.filter((n) => !WRITERS.includes(n)),
    why: ['sync_conversations', /read-only/],
  },
  {
    what: 'an allow-list, in the registry’s order whatever the order given',
    narrowing: { only: ['get_conversation', 'search_conversations'] },
    served: ['search_conversations', 'get_conversation'],
    why: ['get_server_status', /--tools/],
  },
  {
    what: 'an exclusion',
    narrowing: { exclude: ['search', 'fetch'] },
    served: TOOL_NAMES.filter((n) => n !== 'search' && n !== 'fetch'),
    why: ['fetch', /--exclude-tools/],
  },
  {
    what: 'an allow-list less an exclusion',
    narrowing: { only: ['search', 'fetch'], exclude: ['fetch'] },
    served: ['search'],
  },
  {
    what: 'a copy that cannot sync: the sync tool goes, saying why',
    cannotSync: NO_TOKEN,
    served: TOOL_NAMES.filter((n) => n !== 'sync_conversations'),
    why: ['sync_conversations', /No Intercom access token/],
  },
  {
    what: 'a copy that cannot sync does not hide a tool that does not sync',
    cannotSync: NO_TOKEN,
    narrowing: { only: ['get_server_status'] },
    served: ['get_server_status'],
  },
];

const REFUSED: { what: string; narrowing: Partial<ToolNarrowing>; message: RegExp }[] = [
  {
    what: 'an unknown name in the allow-list',
    narrowing: { only: ['search_conversation'] },
    message:
      /--tools names a tool that does not exist: 'search_conversation'\. The tools are search_conversations,/,
  },
  {
    what: 'unknown names in the exclusion',
    narrowing: { exclude: ['nope', 'fetch', 'nada'] },
    message: /--exclude-tools names tools that do not exist: 'nope', 'nada'/,
  },
  {
    what: 'nothing left',
    narrowing: { only: ['fetch'], exclude: ['fetch'] },
    message: /leave no tool to serve/,
  },
  {
    what: 'nothing left when read-only keeps only a writer',
    narrowing: { only: ['sync_conversations'], readOnly: true },
    message: /leave no tool to serve/,
  },
];

describe('which tools a server lists', () => {
  for (const c of CASES)
    it(c.what, () => {
      const s = selectTools(TOOLS, { ...EVERY, ...c.narrowing }, c.cannotSync);
      assert.deepEqual(
        s.served.map((t) => t.name),
        c.served,
      );
      assert.deepEqual([...s.hidden.keys()].sort(), TOOL_NAMES.filter((n) => !c.served.includes(n)).sort());
      if (c.why) assert.match(s.hidden.get(c.why[0])!, c.why[1]);
    });

  for (const c of REFUSED)
    it(`refuses ${c.what}`, () => {
      assert.throws(
        () => selectTools(TOOLS, { ...EVERY, ...c.narrowing }, undefined),
        (e: unknown) => e instanceof ConfigError && c.message.test(e.message),
      );
    });
});
