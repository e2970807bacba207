/** A company as the API gives it, as the copy keeps it: every field, empty ones and odd attributes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { companySchema } from '../../src/intercom/schemas.js';
import { toCompanyRecord } from '../../src/sync/company-mapping.js';

const base = { type: 'company', id: '6762f0971bb69f9f2193bb2b', updated_at: 1734537367 };

describe('toCompanyRecord', () => {
  const cases: {
    name: string;
    api: Record<string, unknown>;
    want: Partial<ReturnType<typeof toCompanyRecord>>;
  }[] = [
    {
      name: 'every field',
      api: {
        ...base,
        company_id: '6',
        name: 'Blue Sun',
        plan: { type: 'plan', id: '269315', name: 'Pro' },
        size: 100,
        website: 'https://www.intercom.com',
        industry: 'Software',
        monthly_spend: 155.5,
        session_count: 12,
        user_count: 4,
        created_at: 1663597223,
        last_request_at: 1663597300,
        custom_attributes: { region: 'EMEA' },
        tags: { type: 'tag.list', tags: [{ type: 'tag', id: '1', name: 'vip' }] },
      },
      want: {
        companyId: '6',
        name: 'Blue Sun',
        plan: 'Pro',
        size: 100,
        monthlySpend: 155.5,
        userCount: 4,
        createdAt: 1663597223,
        lastRequestAt: 1663597300,
        customAttributes: { region: 'EMEA' },
        tags: ['vip'],
      },
    },
    {
      name: 'an empty plan object, no tags, no counts',
      api: { ...base, plan: {}, tags: { type: 'tag.list', tags: [] } },
      want: { plan: null, tags: [], userCount: null, companyId: null, name: null, size: null },
    },
    {
      name: "attribute values of any kind, as Intercom's own examples send them",
      api: { ...base, custom_attributes: { paid: true, spend: 155.5, team: 9, none: null, list: [1, 2] } },
      want: { customAttributes: { paid: true, spend: 155.5, team: 9, none: null, list: '[1,2]' } },
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const record = toCompanyRecord(companySchema.parse(c.api));
      assert.equal(record.id, base.id);
      assert.equal(record.updatedAt, base.updated_at);
      for (const [key, value] of Object.entries(c.want))
        assert.deepEqual(record[key as keyof typeof record], value, key);
    });
});
