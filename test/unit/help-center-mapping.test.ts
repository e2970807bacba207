/** Help Center records from Intercom's shapes: article HTML made text, translations, collections. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { articleSchema, collectionSchema } from '../../src/intercom/schemas.js';
import { toArticleRecord, toCollectionRecord } from '../../src/sync/help-center-mapping.js';
import { htmlText } from '../../src/sync/html-text.js';

describe('article HTML as text', () => {
  const cases: [string, string | null | undefined, string][] = [
    ['nothing', null, ''],
    ['an empty body', '', ''],
    ['paragraphs as lines', '<p>First.</p><p>Second.</p>', 'First.\nSecond.'],
    [
      'a link as label (url)',
      '<p>See <a href="https://x.example/a">the guide</a>.</p>',
      'See the guide (https://x.example/a).',
    ],
    ['a bare link once', '<p><a href="https://x.example">https://x.example</a></p>', 'https://x.example'],
    ['a heading as written', '<h2>Getting Started</h2><p>Go.</p>', 'Getting Started\n\nGo.'],
    ['an image dropped', '<p>Before<img src="https://x.example/i.png" alt="shot">after</p>', 'Beforeafter'],
    ['entities decoded', '<p>Fish &amp; chips &lt;3</p>', 'Fish & chips <3'],
    ['a list as items', '<ul><li>One</li><li>Two</li></ul>', '- One\n- Two'],
  ];
  for (const [name, html, text] of cases)
    it(name, () => {
      assert.equal(htmlText(html), text);
    });
});

const api = (extra: Record<string, unknown> = {}) =>
  articleSchema.parse({
    id: 42,
    title: 'Refunds',
    description: 'Money back',
    body: '<p>Within ten days.</p>',
    author_id: 7,
    state: 'published',
    created_at: 100,
    updated_at: 200,
    url: 'https://help.example/en/articles/42-refunds',
    parent_ids: [9001],
    ...extra,
  });

describe('an article as stored', () => {
  it('keeps the default locale first, from the top-level fields, with ids as strings', () => {
    const r = toArticleRecord(api());
    assert.equal(r.id, '42');
    assert.equal(r.collectionId, '9001');
    assert.equal(r.authorId, '7');
    assert.equal(r.defaultLocale, 'en');
    assert.deepEqual(r.contents, [
      {
        locale: 'en',
        title: 'Refunds',
        description: 'Money back',
        body: 'Within ten days.',
        state: 'published',
        url: 'https://help.example/en/articles/42-refunds',
        updatedAt: 200,
      },
    ]);
  });

  it('adds each translation, skipping the type marker, null locales and the default locale again', () => {
    const r = toArticleRecord(
      api({
        default_locale: 'fr',
        translated_content: {
          type: 'article_translated_content',
          fr: { title: 'Remboursements', body: '<p>Dix jours.</p>', state: 'published' },
          de: { title: 'Erstattungen', body: '<p>Zehn Tage.</p>', state: 'draft', updated_at: 150 },
          es: null,
        },
      }),
    );
    assert.deepEqual(
      r.contents.map((c) => [c.locale, c.title, c.body, c.state, c.updatedAt]),
      [
        ['fr', 'Refunds', 'Within ten days.', 'published', 200],
        ['de', 'Erstattungen', 'Zehn Tage.', 'draft', 150],
      ],
    );
  });

  it('stands alone without a collection, and takes an unknown translation state as the article’s', () => {
    const r = toArticleRecord(
      api({
        parent_ids: [],
        state: 'draft',
        translated_content: { it: { title: 'Rimborsi', state: 'archived' } },
      }),
    );
    assert.equal(r.collectionId, null);
    assert.deepEqual(
      r.contents.map((c) => [c.locale, c.state, c.body]),
      [
        ['en', 'draft', 'Within ten days.'],
        ['it', 'draft', ''],
      ],
    );
  });
});

describe('a collection as stored', () => {
  it('takes its order as its position, else its place in the list', () => {
    const c = collectionSchema.parse({ id: 9001, name: 'Billing', updated_at: 5, order: 3, parent_id: 12 });
    assert.deepEqual(toCollectionRecord(c, 7), {
      id: '9001',
      name: 'Billing',
      description: null,
      url: null,
      parentId: '12',
      position: 3,
      updatedAt: 5,
    });
    assert.equal(
      toCollectionRecord(collectionSchema.parse({ id: 1, name: 'X', updated_at: 5 }), 7).position,
      7,
    );
  });
});
