import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursorToken, encodeCursorToken } from '../../src/mcp/cursor.js';

describe('opaque cursors', () => {
  for (const value of [{ o: 48, s: 'abc' }, { c: '123', b: 7 }, {}, { nested: { a: [1, 2] } }])
    it(`${JSON.stringify(value)} comes back as itself, in URL-safe characters`, () => {
      const token = encodeCursorToken(value);
      assert.match(token, /^[A-Za-z0-9_-]*$/);
      assert.deepEqual(decodeCursorToken(token), value);
    });

  for (const [what, token] of [
    ['not base64 JSON', 'not a cursor'],
    ['empty', ''],
    ['a JSON array', Buffer.from('[1,2]').toString('base64url')],
    ['a JSON string', Buffer.from('"x"').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['a number', Buffer.from('42').toString('base64url')],
    ['truncated', encodeCursorToken({ o: 48, s: 'abc' }).slice(0, 6)],
  ] as const)
    it(`${what} is no cursor of this server`, () => {
      assert.equal(decodeCursorToken(token), undefined);
    });
});
