/** BoundedLines and oversizeId: stdio's lines bounded as they stream in, a dropped one's id read. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedLines, oversizeId, type OversizeLine } from '../../src/server/stdio-lines.js';

async function run(chunks: string[], max: number): Promise<{ out: string; dropped: OversizeLine[] }> {
  const dropped: OversizeLine[] = [];
  const lines = new BoundedLines(max, (l) => dropped.push(l));
  let out = '';
  lines.on('data', (d: Buffer) => (out += d.toString()));
  const ended = new Promise((r) => lines.on('end', r));
  for (const c of chunks) lines.write(c);
  lines.end();
  await ended;
  return { out, dropped };
}

const SDK_STYLE = `{"method":"tools/call","params":{"q":"${'x'.repeat(50)}"},"jsonrpc":"2.0","id":7}`;

describe('BoundedLines', () => {
  const cases: [string, string[], number, string, OversizeLine[]][] = [
    ['short lines pass whole', ['{"a":1}\n{"b":2}\n'], 20, '{"a":1}\n{"b":2}\n', []],
    ['a line split across chunks is joined', ['{"a":', '1}\n'], 20, '{"a":1}\n', []],
    ['a line at the bound passes', ['12345\n'], 5, '12345\n', []],
    ['a line one past the bound is dropped', ['123456\n', 'ok\n'], 5, 'ok\n', [{ bytes: 6, id: null }]],
    [
      'a dropped line keeps its id from the end, as the SDK client writes it',
      [`${SDK_STYLE}\n`, '{"id":8}\n'],
      30,
      '{"id":8}\n',
      [{ bytes: SDK_STYLE.length, id: 7 }],
    ],
    [
      'a dropped line streamed in many chunks',
      ['{"jsonrpc":"2.0","id":"r-1","method":"x","params":"', 'y'.repeat(40), 'y'.repeat(40), '"}\n'],
      30,
      '',
      [{ bytes: 133, id: 'r-1' }],
    ],
    ['a last line without a newline is passed on', ['{"a":1}'], 20, '{"a":1}', []],
    ['an empty line passes as it is', ['\n'], 5, '\n', []],
  ];
  for (const [name, chunks, max, out, dropped] of cases)
    it(name, async () => {
      const r = await run(chunks, max);
      assert.equal(r.out, out);
      assert.deepEqual(r.dropped, dropped);
    });
});

describe('oversizeId', () => {
  const cases: [string, string, string | number | null][] = [
    ['{"jsonrpc":"2.0","id":12,"method":"x"', '', 12],
    ['{"method":"x"', ',"jsonrpc":"2.0","id":"abc"}', 'abc'],
    ['{"method":"x"', '"id":-3}\r', -3],
    ['{"method":"x","params":{"id":5', 'zzz"}}', null],
    ['not json', 'at all', null],
    ['{ "jsonrpc" : "2.0" , "id" : "a\\"b"', '', 'a"b'],
  ];
  for (const [head, tail, id] of cases)
    it(`${JSON.stringify(head)} … ${JSON.stringify(tail)} → ${JSON.stringify(id)}`, () =>
      assert.deepEqual(oversizeId(head, tail), id));
});
