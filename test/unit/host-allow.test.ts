import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AllowedHostError, hostAllowed, parseAllowedHosts } from '../../src/server/host-allow.js';

const OWN = new Set(['127.0.0.1:8765', 'localhost:8765', '[::1]:8765', '0.0.0.0:8765']);

describe('the Host allow-list', () => {
  it('reads names from flags or one comma-separated variable, lower-cased', () => {
    assert.deepEqual(parseAllowedHosts(['Intercom-MCP.internal', 'localhost:9000']), [
      'intercom-mcp.internal',
      'localhost:9000',
    ]);
    assert.deepEqual(parseAllowedHosts([' a.example, 10.0.0.5:8765 ,,[::1]:9000']), [
      'a.example',
      '10.0.0.5:8765',
      '[::1]:9000',
    ]);
    assert.deepEqual(parseAllowedHosts([]), []);
  });

  it('refuses what is not a host name or address', () => {
    for (const bad of [
      'https://a.example',
      'a.example/mcp',
      'a b',
      '-a.example',
      'a.example:',
      'a..example',
      '*',
    ])
      assert.throws(() => parseAllowedHosts([bad]), AllowedHostError, bad);
  });

  const allowed = parseAllowedHosts(['intercom-mcp.internal', 'localhost:9000', '10.0.0.5']);
  const cases: [string | undefined, boolean][] = [
    ['127.0.0.1:8765', true],
    ['LOCALHOST:8765', true],
    ['localhost:9000', true],
    ['localhost:9001', false],
    ['localhost', false],
    ['intercom-mcp.internal', true],
    ['intercom-mcp.internal:443', true],
    ['Intercom-MCP.Internal:8080', true],
    ['10.0.0.5:8765', true],
    ['10.0.0.6:8765', false],
    ['evil.example', false],
    ['intercom-mcp.internal.evil.example', false],
    ['evil.example:8765', false],
    ['', false],
    [undefined, false],
  ];
  for (const [host, expected] of cases)
    it(`${host === undefined ? 'no Host header' : `Host "${host}"`} is ${expected ? 'allowed' : 'refused'}`, () => {
      assert.equal(hostAllowed(host, OWN, allowed), expected);
    });

  it('allows only the server’s own names when nothing is added', () => {
    assert.equal(hostAllowed('127.0.0.1:8765', OWN, []), true);
    assert.equal(hostAllowed('intercom-mcp.internal', OWN, []), false);
  });
});
