import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hubSignatureMatches } from '../../src/intercom/webhook-signature.js';

// Expected values computed with Python's hmac module, not with the code under test.
const BODY = Buffer.from('{"type":"notification_event"}');
const SIGNED = 'sha1=6bcc31c8de5fe0f653d0ef683449ab6a554a1e59';

describe('X-Hub-Signature', () => {
  it('accepts the HMAC-SHA1 of the raw bytes keyed by the client secret, and nothing else', () => {
    const cases: [what: string, body: Buffer, header: string | undefined, secret: string, ok: boolean][] = [
      ['the signature', BODY, SIGNED, 'app-secret', true],
      ['upper-case hex', BODY, SIGNED.toUpperCase().replace('SHA1=', 'sha1='), 'app-secret', true],
      ['surrounding spaces', BODY, ` ${SIGNED} `, 'app-secret', true],
      [
        'UTF-8 bytes',
        Buffer.from('café ☕'),
        'sha1=b6125501e662956c5c501a1be6b62735bf384a68',
        'app-secret',
        true,
      ],
      ['another secret', BODY, SIGNED, 'app-secret2', false],
      ['another body', Buffer.from('{"type":"notification_event"} '), SIGNED, 'app-secret', false],
      ['no header', BODY, undefined, 'app-secret', false],
      ['an empty header', BODY, '', 'app-secret', false],
      ['no sha1= prefix', BODY, SIGNED.slice(5), 'app-secret', false],
      ['sha256= instead', BODY, SIGNED.replace('sha1', 'sha256'), 'app-secret', false],
      ['a short digest', BODY, SIGNED.slice(0, -2), 'app-secret', false],
      ['a long digest', BODY, `${SIGNED}00`, 'app-secret', false],
      ['not hex', BODY, `sha1=${'z'.repeat(40)}`, 'app-secret', false],
    ];
    for (const [what, body, header, secret, ok] of cases)
      assert.equal(hubSignatureMatches(body, header, secret), ok, what);
  });
});
