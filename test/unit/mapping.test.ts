/** From Intercom's shapes to the store's records: the edges the API's real answers have. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiConversation } from '../../src/intercom/schemas.js';
import {
  assigned,
  partsUnchanged,
  sameVersion,
  toContactRecord,
  toConversationMetadata,
  toConversationRecord,
  toPerson,
} from '../../src/sync/mapping.js';
import type { StoredVersion } from '../../src/store/types.js';

const conversation = (extra: Record<string, unknown> = {}) =>
  ({ id: 'c1', created_at: 100, updated_at: 200, state: 'open', ...extra }) as unknown as ApiConversation;
const stored = (v: Partial<StoredVersion> = {}): StoredVersion => ({
  updatedAt: 200,
  partsCountStat: 3,
  threadReadAt: 150,
  ...v,
});
const withCount = (n: number | null | undefined) =>
  conversation(n === undefined ? {} : { statistics: { count_conversation_parts: n } });

describe('mapping a person', () => {
  for (const [author, expected] of [
    [null, { type: 'unknown', id: '', name: null, email: null }],
    [undefined, { type: 'unknown', id: '', name: null, email: null }],
    [
      { type: 'admin', id: '7', name: 'Ana', email: 'ana@x.co' },
      { type: 'admin', id: '7', name: 'Ana', email: 'ana@x.co' },
    ],
    [
      { type: 'user', id: '8', name: '', email: '' },
      { type: 'user', id: '8', name: null, email: null },
    ],
    [
      { type: 'visitor', id: '9' },
      { type: 'unknown', id: '9', name: null, email: null },
    ],
    [{ type: 'bot' }, { type: 'bot', id: '', name: null, email: null }],
  ] as const)
    it(`${JSON.stringify(author)} → ${expected.type}`, () => {
      assert.deepEqual(toPerson(author as Parameters<typeof toPerson>[0]), expected);
    });
});

describe('an assignee', () => {
  for (const [id, expected] of [
    ['42', '42'],
    ['0', null],
    ['', null],
    [null, null],
    [undefined, null],
  ] as const)
    it(`${JSON.stringify(id)} → ${JSON.stringify(expected)}`, () => assert.equal(assigned(id), expected));
});

describe('a conversation’s metadata', () => {
  for (const [priority, expected] of [
    [undefined, false],
    [null, false],
    ['none', false],
    ['not_priority', false],
    ['priority', true],
    ['high', true],
  ] as const)
    it(`priority ${JSON.stringify(priority)} is ${expected ? '' : 'not '}prioritised`, () => {
      assert.equal(toConversationMetadata(conversation({ priority })).priority, expected);
    });

  it('defaults what the API leaves out', () => {
    const m = toConversationMetadata(conversation({ title: '', admin_assignee_id: '0' }));
    assert.deepEqual(
      [m.title, m.read, m.adminAssigneeId, m.teamAssigneeId, m.tagIds, m.waitingSince, m.rating],
      [null, false, null, null, [], null, null],
    );
  });
});

describe('a conversation read whole', () => {
  it('keeps the part count Intercom gives over the parts it sent (the 500-part cap)', () => {
    const { conversation: c, parts } = toConversationRecord(
      conversation({
        conversation_parts: {
          total_count: 730,
          conversation_parts: [
            {
              id: 'p1',
              part_type: 'comment',
              created_at: 101,
              body: 'hi',
              author: { type: 'user', id: 'u' },
            },
          ],
        },
      }),
    );
    assert.equal(c.partsTotal, 730);
    assert.equal(parts.length, 1);
  });

  it('names an attachment without a name, gives none a URL it lacks, and keeps its size', () => {
    const { parts } = toConversationRecord(
      conversation({
        conversation_parts: {
          conversation_parts: [
            {
              id: 'p1',
              part_type: 'comment',
              created_at: 101,
              attachments: [
                { content_type: 'image/png' },
                {
                  name: 'log.txt',
                  url: 'https://files.example/log.txt',
                  content_type: 'text/plain',
                  filesize: 2048,
                },
              ],
            },
          ],
        },
      }),
    );
    assert.deepEqual(parts[0]!.attachments, [
      { name: 'attachment', url: '', contentType: 'image/png', size: null },
      { name: 'log.txt', url: 'https://files.example/log.txt', contentType: 'text/plain', size: 2048 },
    ]);
    assert.equal(parts[0]!.body, null);
  });

  it('without parts: the count of none, and the source as the conversation', () => {
    const { conversation: c } = toConversationRecord(conversation());
    assert.deepEqual([c.partsTotal, c.sourceType, c.subject, c.contactIds], [0, 'conversation', null, []]);
  });
});

describe('a contact', () => {
  it('is a user unless it says otherwise, its unknowns null', () => {
    assert.deepEqual(toContactRecord({ id: 'k' } as Parameters<typeof toContactRecord>[0]), {
      id: 'k',
      role: 'user',
      name: null,
      email: null,
      externalId: null,
      createdAt: null,
    });
  });
});

describe('whether a search item is the stored version', () => {
  for (const [what, item, version, expected] of [
    ['nothing stored', withCount(3), undefined, false],
    ['a later updated_at', conversation({ updated_at: 201 }), stored(), false],
    ['the same second and count', withCount(3), stored(), true],
    ['the same second, a part more (a reply in that second)', withCount(4), stored(), false],
    ['the same second, no count in the item', withCount(undefined), stored(), true],
    ['the same second, a null count', withCount(null), stored(), true],
    ['the same second, no count stored', withCount(4), stored({ partsCountStat: null }), true],
  ] as const)
    it(`${what}: ${expected ? 'the same' : 'changed'}`, () => {
      assert.equal(sameVersion(item, version), expected);
    });
});

describe('whether a changed item added no part (its metadata alone is re-saved)', () => {
  for (const [what, item, version, expected] of [
    ['nothing stored', withCount(3), undefined, false],
    ['the stored count', withCount(3), stored({ updatedAt: 100 }), true],
    ['a part more', withCount(4), stored({ updatedAt: 100 }), false],
    ['never read whole', withCount(3), stored({ threadReadAt: null }), false],
    ['no count stored', withCount(3), stored({ partsCountStat: null }), false],
    ['no count in the item', withCount(undefined), stored(), false],
    ['a null count in the item', withCount(null), stored(), false],
  ] as const)
    it(`${what}: ${expected ? 'metadata only' : 'read whole'}`, () => {
      assert.equal(partsUnchanged(item, version), expected);
    });
});
