import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { countThatFit, cutToFit, fits } from '../../src/mcp/budget.js';
import { count } from '../../src/wording.js';
import { bucketStarts, clockFor } from '../../src/time/clock.js';
import { fenceConversation, fenceCustomer, isOutsider } from '../../src/mcp/fence.js';
import { coveredFrom } from '../../src/sync/coverage.js';
import {
  inboxUrl,
  parseArticleId,
  parseContactRef,
  parseConversationId,
  parseTicketRef,
} from '../../src/mcp/ids.js';
import { closest } from '../../src/mcp/references.js';
import { ToolInputError } from '../../src/mcp/tool-result.js';

describe('answer parts', () => {
  it('takes conversation ids as people paste them', () => {
    const ok: [string, string][] = [
      ['215468084', '215468084'],
      ['#215468084', '215468084'],
      ['  # 215468084 ', '215468084'],
      ['https://app.intercom.com/a/inbox/abc123/inbox/conversation/215468084', '215468084'],
      [
        'https://app.eu.intercom.com/a/inbox/abc123/inbox/shared/all/conversation/215468084?view=List',
        '215468084',
      ],
      ['https://app.intercom.com/a/apps/abc123/conversations/215468084', '215468084'],
    ];
    for (const [input, id] of ok) assert.equal(parseConversationId(input), id, input);
    for (const bad of ['', 'abc', '#', '12ab', 'https://example.com/inbox', `${'9'.repeat(21)}`])
      assert.throws(() => parseConversationId(bad), ToolInputError, bad);
    assert.equal(
      parseContactRef('https://app.intercom.com/a/apps/abc/users/5f1e2d/all-conversations'),
      '5f1e2d',
    );
    assert.equal(parseContactRef('ana@example.com'), 'ana@example.com');
    assert.equal(
      inboxUrl('abc123', 'eu', '7'),
      'https://app.eu.intercom.com/a/inbox/abc123/inbox/conversation/7',
    );
    assert.equal(inboxUrl(undefined, 'us', '7'), null);
  });

  it('takes article ids as search gives them and as people paste them', () => {
    const ok: [string, string][] = [
      ['100012', '100012'],
      ['article_100012', '100012'],
      ['Article_100012', '100012'],
      ['#100012', '100012'],
      [' 100012 ', '100012'],
      ['https://help.example.com/en/articles/100012-exporting-invoices', '100012'],
      ['https://intercom.help/acme/fr/articles/100012', '100012'],
      ['https://app.intercom.com/a/apps/abc/articles/articles/100012/show', '100012'],
    ];
    for (const [input, id] of ok) assert.equal(parseArticleId(input), id, input);
    for (const bad of [
      '',
      'article_',
      'article_12ab',
      'conversation_1',
      'https://help.example.com/en/collections/9000',
      '9'.repeat(21),
    ])
      assert.throws(() => parseArticleId(bad), /is not an article id/, bad);
  });

  it('takes ticket ids and inbox numbers as search gives them and as people paste them', () => {
    const ok: [string, string][] = [
      ['22', '22'],
      ['#22', '22'],
      ['# 22', '22'],
      ['ticket_4711', '4711'],
      ['TICKET_4711', '4711'],
      ['https://app.intercom.com/a/inbox/abc123/inbox/tickets/4711', '4711'],
      ['https://app.intercom.com/a/inbox/abc123/inbox/conversation/4711?view=List', '4711'],
    ];
    for (const [input, id] of ok) assert.equal(parseTicketRef(input), id, input);
    for (const bad of [
      '',
      'ticket_',
      'ticket_12ab',
      'article_1',
      'https://example.com/inbox',
      '9'.repeat(21),
    ])
      assert.throws(() => parseTicketRef(bad), /is not a ticket id/, bad);
  });

  it('fits items into a budget in tokens or characters, exactly', () => {
    const items = ['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10)];
    const cases: [string, number, number][] = [
      ['', 10, 0],
      ['', 21, 1],
      ['', 22, 2],
      ['', 33, 3],
      ['x'.repeat(5), 16, 1],
      ['x'.repeat(5), 15, 0],
      ['x'.repeat(50), 10, 0],
    ];
    for (const [base, max, n] of cases)
      assert.equal(countThatFit(base, items, { unit: 'chars', max }), n, `${base.length} + items in ${max}`);
    const words = Array.from({ length: 50 }, (_, i) => `word${i} `.repeat(20));
    const n = countThatFit('', words, { unit: 'tokens', max: 500 });
    assert.ok(n > 0 && countTokens(words.slice(0, n).join('\n')) <= 500, `${n} items`);
    assert.ok(countTokens(words.slice(0, n + 2).join('\n')) > 500, 'the budget is used');
  });

  it('decides a token budget exactly as counting would, multi-byte text included', () => {
    const texts = [
      'plain ascii words that tokenize well',
      'Élodie Dürr a écrit : « ça ne marche pas »',
      '支付失败，请帮忙查看订单',
      'emoji 🚀🔥 and <|endoftext|> typed by a customer, '.repeat(3),
      '',
    ];
    for (const text of texts) {
      const tokens = countTokens(text, { disallowedSpecial: new Set() });
      const bytes = Buffer.byteLength(text, 'utf8');
      assert.ok(tokens <= bytes, `${tokens} tokens ≤ ${bytes} bytes`);
      for (const max of [0, tokens - 1, tokens, tokens + 1, bytes - 1, bytes, bytes + 1].filter(
        (m) => m >= 0,
      )) {
        assert.equal(fits(text, { unit: 'tokens', max }), tokens <= max, `"${text}" in ${max} tokens`);
        const items = [text, text];
        const counted = tokens + 1 <= max ? (2 * (tokens + 1) <= max ? 2 : 1) : 0;
        assert.equal(countThatFit('', items, { unit: 'tokens', max }), counted, `two of "${text}" in ${max}`);
      }
    }
  });

  it('cuts a text to the longest prefix that fits with its suffix', () => {
    for (const max of [0, 1, 5, 50, 99]) {
      const cut = cutToFit('y'.repeat(100), '…', { unit: 'chars', max });
      assert.equal(cut.length, Math.max(1, max), `max ${max}`);
    }
    assert.equal(cutToFit('short', '…', { unit: 'chars', max: 10 }), 'short');
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
    const cut = cutToFit(text, '…', { unit: 'tokens', max: 100 });
    assert.ok(countTokens(cut) <= 100 && countTokens(cut) >= 95, String(countTokens(cut)));
  });

  it('says one and many properly', () => {
    assert.deepEqual(
      [count(0, 'call'), count(1, 'call'), count(2, 'call'), count(1200, 'reply', 'replies')],
      ['0 calls', '1 call', '2 calls', '1,200 replies'],
    );
  });

  it('fences outsiders’ words and defuses fence tags inside them', () => {
    assert.equal(fenceCustomer('hi'), '<customer_text>hi</customer_text>');
    assert.equal(
      fenceCustomer('a </customer_text> b <CUSTOMER_TEXT> c </conversation_text>'),
      '<customer_text>a ‹/customer_text> b ‹CUSTOMER_TEXT> c ‹/conversation_text></customer_text>',
    );
    assert.equal(fenceConversation('x'), '<conversation_text>x</conversation_text>');
    assert.deepEqual(['user', 'lead', 'contact', 'unknown', 'admin', 'bot', 'team'].map(isOutsider), [
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('merges coverage windows to find from when a window’s end is covered', () => {
    const cases: [{ from: number; to: number }[], number, number | undefined][] = [
      [[], 100, undefined],
      [[{ from: 0, to: 50 }], 100, undefined],
      [[{ from: 10, to: 100 }], 100, 10],
      [[{ from: 10, to: 100 }], 60, 10],
      [
        [
          { from: 60, to: 100 },
          { from: 0, to: 60 },
        ],
        100,
        0,
      ],
      [
        [
          { from: 60, to: 100 },
          { from: 0, to: 40 },
        ],
        100,
        60,
      ],
      [
        [
          { from: 0, to: 70 },
          { from: 50, to: 100 },
          { from: 30, to: 60 },
        ],
        100,
        0,
      ],
      [
        [
          { from: 80, to: 120 },
          { from: 20, to: 90 },
          { from: 5, to: 10 },
        ],
        100,
        20,
      ],
    ];
    for (const [coverage, end, want] of cases)
      assert.equal(coveredFrom(coverage, end), want, JSON.stringify([coverage, end]));
  });

  it('buckets a window at the zone’s midnights, Mondays and months', () => {
    const la = 'America/Los_Angeles';
    const at = (iso: string) => Date.parse(iso) / 1000;
    const clock = clockFor(la);
    assert.deepEqual(
      bucketStarts(at('2026-10-31T12:00:00-07:00'), at('2026-11-03T00:00:00-08:00'), 'day', la).map(clock),
      ['2026-10-31T12:00:00-07:00', '2026-11-01T00:00:00-07:00', '2026-11-02T00:00:00-08:00'],
    );
    assert.deepEqual(
      bucketStarts(at('2026-11-04T00:00:00Z'), at('2026-11-20T00:00:00Z'), 'week', 'UTC').map(
        clockFor('UTC'),
      ),
      ['2026-11-04T00:00:00Z', '2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z'],
    );
    assert.equal(
      bucketStarts(at('2026-01-15T00:00:00Z'), at('2026-12-01T00:00:00Z'), 'month', 'UTC').length,
      11,
    );
  });

  it('suggests the closest names for a typo', () => {
    const names = ['billing', 'bug', 'feature-request', 'Billing Team', 'onboarding'];
    const cases: [string, string][] = [
      ['biling', 'billing'],
      ['bgu', 'bug'],
      ['feature', 'feature-request'],
      ['onbording', 'onboarding'],
    ];
    for (const [typo, want] of cases) assert.equal(closest(typo, names)[0], want, typo);
  });
});
