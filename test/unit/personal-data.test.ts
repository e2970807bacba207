import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { personalDataMask, PERSONAL_DATA_KINDS, type PersonalDataKind } from '../../src/personal-data.js';

const ALL = new Set<PersonalDataKind>(PERSONAL_DATA_KINDS);

/** [text, what the mask of every kind makes of it] */
const TAKEN: [string, string][] = [
  ['Write to jane.doe+billing@example.co.uk please', 'Write to [email 1] please'],
  ['JANE@EXAMPLE.COM and jane@example.com', '[email 1] and [email 1]'],
  ['a@b.io, c@d.io, a@b.io', '[email 1], [email 2], [email 1]'],
  ['Call me on +1 415-555-0199.', 'Call me on [phone 1].'],
  ['(415) 555-0199 or 415.555.0199', '[phone 1] or [phone 1]'],
  ['UK office: 020 7946 0958, mobile 07700 900123', 'UK office: [phone 1], mobile [phone 2]'],
  ['+44 20 7946 0958', '[phone 1]'],
  ['+33612345678', '[phone 1]'],
  ['card 4242 4242 4242 4242 was charged twice', 'card [card 1] was charged twice'],
  ['4111-1111-1111-1111 and 4111111111111111', '[card 1] and [card 1]'],
  ['Amex 378282246310005', 'Amex [card 1]'],
  ['john.415-555-0199@example.com', '[email 1]'],
];

/** Text no mask may change: ids, dates, amounts, versions, addresses of machines. */
const LEFT: string[] = [
  'conversation 215470000123456 and ticket 642793',
  'order #4155550199 shipped',
  '2026-12-07 09:30, 07/12/2026, 12.07.2026',
  'version 1.2.3.4 on 192.168.100.200',
  'charged $1,234.56 then €99.00',
  'card ending 4242, expiry 12/29',
  '4242 4242 4242 4241 fails the Luhn check',
  '0000 0000 0000 0000',
  'call 555-0199 (seven digits, no area code)',
  'an @mention and user@localhost',
  'ref 1234 5678 9012',
];

describe('personal data masks', () => {
  for (const [input, expected] of TAKEN)
    it(`takes: ${input}`, () => assert.equal(personalDataMask(ALL).text(input), expected));

  for (const input of LEFT)
    it(`leaves: ${input}`, () => assert.equal(personalDataMask(ALL).text(input), input));

  it('takes only the kinds asked for', () => {
    const text = 'jane@example.com, +1 415-555-0199, 4242 4242 4242 4242';
    assert.equal(
      personalDataMask(new Set(['emails'])).text(text),
      '[email 1], +1 415-555-0199, 4242 4242 4242 4242',
    );
    assert.equal(
      personalDataMask(new Set(['phones'])).text(text),
      'jane@example.com, [phone 1], 4242 4242 4242 4242',
    );
    assert.equal(
      personalDataMask(new Set(['cards'])).text(text),
      'jane@example.com, +1 415-555-0199, [card 1]',
    );
    assert.equal(personalDataMask(new Set()).text(text), text);
  });

  it('numbers placeholders within one mask, across the text and the structured answer alike', () => {
    const mask = personalDataMask(ALL);
    assert.equal(mask.text('from b@x.io'), 'from [email 1]');
    assert.deepEqual(
      mask.value({ from: 'a@x.io', to: ['b@x.io'], n: 3, ok: true, none: null, 'c@x.io': 'key stays' }),
      {
        from: '[email 2]',
        to: ['[email 1]'],
        n: 3,
        ok: true,
        none: null,
        'c@x.io': 'key stays',
      },
    );
    // A new mask (a new answer) starts again.
    assert.equal(personalDataMask(ALL).text('a@x.io'), '[email 1]');
  });
});
