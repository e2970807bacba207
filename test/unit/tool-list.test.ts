/**
 * The tool list as clients receive it, read without a server: lean enough for a model's context,
 * portable to every client, and pinned by the committed snapshots. (test/mcp/stdio.test.ts checks
 * that a real server sends exactly this list.)
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { listedTool } from '../../src/mcp/tool-list.js';
import { ALL_TOOLS } from '../../src/mcp/tools/index.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { schemaFindings, toolFindings } from '../helpers/schema-portability.js';

/**
 * The whole tools/list result, compact: every byte of it is in every conversation of a client. Its
 * bound grows with the tools, not with any one's wordiness: 2,400 bytes a tool on average.
 */
const MAX_BYTES_PER_TOOL = 2_400;
const SNAPSHOTS = join(PACKAGE_ROOT, 'test', 'tool-snapshots');

const listed = ALL_TOOLS.map(listedTool);

describe('the tool list', () => {
  it(`is at most ${MAX_BYTES_PER_TOOL} bytes a tool`, () => {
    const bytes = Buffer.byteLength(JSON.stringify({ tools: listed }));
    const max = MAX_BYTES_PER_TOOL * listed.length;
    assert.ok(bytes <= max, `the tool list is ${bytes} bytes, over ${max} for ${listed.length} tools`);
  });

  it('uses no schema construct a client is known to reject or misread', () => {
    assert.deepEqual(listed.flatMap(toolFindings), []);
  });

  it('declares an output schema and says whether each tool is read-only', () => {
    for (const t of listed) {
      assert.equal(t.outputSchema?.type, 'object', t.name);
      assert.ok(Object.hasOwn(t.outputSchema?.properties ?? {}, 'health'), `${t.name} declares health`);
      assert.equal(typeof t.annotations?.readOnlyHint, 'boolean', t.name);
    }
  });

  it('matches the committed snapshot of every tool, and no snapshot is left without its tool', () => {
    const update = process.env.UPDATE_TOOL_SNAPSHOTS === '1';
    for (const t of listed) {
      const file = join(SNAPSHOTS, `${t.name}.json`);
      const snapshot = `${JSON.stringify(t, null, 2)}\n`;
      if (update) writeFileSync(file, snapshot);
      assert.ok(
        existsSync(file),
        `${t.name} has no snapshot: run UPDATE_TOOL_SNAPSHOTS=1 on this test if it is new`,
      );
      assert.equal(
        readFileSync(file, 'utf8'),
        snapshot,
        `${t.name} changed: run UPDATE_TOOL_SNAPSHOTS=1 on this test if that was meant`,
      );
    }
    assert.deepEqual(readdirSync(SNAPSHOTS).sort(), listed.map((t) => `${t.name}.json`).sort());
  });
});

describe('the portability check finds each construct', () => {
  const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    type: 'object',
    properties,
    ...extra,
  });
  const cases: [label: string, schema: unknown, finding: RegExp | null][] = [
    ['a plain object', object({ a: { type: 'string' } }, { required: ['a'] }), null],
    ['a date-time', object({ a: { type: 'string', format: 'date-time' } }), null],
    ['a record', object({ a: { type: 'object', additionalProperties: { type: 'number' } } }), null],
    ['a nullable type list', object({ a: { type: ['string', 'null'] } }), /\$\.a: needs one type/],
    [
      'anyOf with null',
      object({ a: { anyOf: [{ type: 'string' }, { type: 'null' }] } }),
      /\$\.a: uses anyOf/,
    ],
    ['oneOf', object({ a: { type: 'string', oneOf: [] } }), /uses oneOf/],
    ['a reference', object({ a: { $ref: '#/$defs/x' } }, { $defs: { x: { type: 'string' } } }), /uses \$ref/],
    ['a bare true', object({ a: true }), /\$\.a: a schema must be an object, not true/],
    ['no type', object({ a: { description: 'anything' } }), /\$\.a: needs one type/],
    ['type null', object({ a: { type: 'null' } }), /type null is not portable/],
    ['a uri format', object({ a: { type: 'string', format: 'uri' } }), /format uri/],
    ['OpenAPI nullable', object({ a: { type: 'string', nullable: true } }), /uses nullable/],
    ['a discriminator', object({ a: { type: 'object', discriminator: {} } }), /uses discriminator/],
    ['an empty enum', object({ a: { type: 'string', enum: [] } }), /an empty enum/],
    ['a numeric enum', object({ a: { type: 'number', enum: [1] } }), /enum values must be strings/],
    ['an array without items', object({ a: { type: 'array' } }), /an array needs items/],
    [
      'a nested bad item',
      object({ a: { type: 'array', items: { type: ['number', 'null'] } } }),
      /\$\.a\[\]: needs one type/,
    ],
    [
      'a record of bad values',
      object({ a: { type: 'object', additionalProperties: { anyOf: [] } } }),
      /\$\.a\{\}: uses anyOf/,
    ],
    ['required: false', object({ a: { type: 'string' } }, { required: false }), /required must be a list/],
    ['an undefined required', object({}, { required: ['b'] }), /requires b/],
    ['a wrong default', object({ a: { type: 'integer', default: '5' } }), /default "5" is not a integer/],
    ['a spaced property name', object({ 'a b': { type: 'string' } }), /property name "a b"/],
    ['a root that is not an object', { type: 'string' }, /must be an object/],
  ];
  for (const [label, schema, finding] of cases)
    it(label, () => {
      const found = schemaFindings(schema);
      if (finding === null) assert.deepEqual(found, []);
      else
        assert.ok(
          found.some((f) => finding.test(f)),
          `${label}: ${JSON.stringify(found)}`,
        );
    });

  it('checks names and descriptions of tools', () => {
    const schema = { type: 'object', properties: {} };
    assert.deepEqual(toolFindings({ name: 'ok_name', description: 'Does it.', inputSchema: schema }), []);
    assert.match(
      toolFindings({ name: 'has space', description: 'x', inputSchema: schema })[0]!,
      /is not portable/,
    );
    assert.match(toolFindings({ name: 'quiet', inputSchema: schema })[0]!, /no description/);
    assert.match(
      toolFindings({ name: 'long', description: 'x'.repeat(1025), inputSchema: schema })[0]!,
      /description of 1025 characters/,
    );
  });
});
