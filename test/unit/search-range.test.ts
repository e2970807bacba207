import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rangeOf, type FieldRange } from '../../src/emulator/search-query.js';

const f = (operator: string, value: unknown, field = 'updated_at') => ({ field, operator, value });
const r = (lo: number, loIn: boolean, hi: number, hiIn: boolean): FieldRange => ({ lo, loIn, hi, hiIn });
const I = Infinity;

describe('the range of a field a search query selects', () => {
  it('reads single filters, the pager\'s ">= as > OR =" and ANDs of them; anything else is not a range', () => {
    const cases: [unknown, FieldRange | undefined][] = [
      [f('>', 5), r(5, false, I, false)],
      [f('<', 9), r(-I, false, 9, false)],
      [f('=', 7), r(7, true, 7, true)],
      [f('>=', 5), r(5, true, I, false)],
      [{ operator: 'OR', value: [f('>', 5), f('=', 5)] }, r(5, true, I, false)],
      [{ operator: 'OR', value: [f('=', 5), f('>', 5)] }, r(5, true, I, false)],
      [
        { operator: 'AND', value: [{ operator: 'OR', value: [f('>', 5), f('=', 5)] }, f('<', 9)] },
        r(5, true, 9, false),
      ],
      [{ operator: 'AND', value: [f('>', 5), f('>', 7)] }, r(7, false, I, false)],
      [{ operator: 'AND', value: [f('>', 5), f('=', 5)] }, r(5, false, 5, true)],
      [{ operator: 'OR', value: [f('<', 3), f('>', 5)] }, undefined],
      [{ operator: 'OR', value: [f('<', 5), f('>', 5)] }, undefined],
      [{ operator: 'OR', value: [f('<', 5), f('>', 4)] }, r(-I, false, I, false)],
      [f('>', 5, 'created_at'), undefined],
      [f('!=', 5), undefined],
      [f('>', '5'), undefined],
      [{ operator: 'AND', value: [f('>', 5), f('=', 'open', 'state')] }, undefined],
      [{ operator: 'AND', value: [] }, undefined],
    ];
    for (const [query, range] of cases)
      assert.deepEqual(rangeOf(query, 'updated_at'), range, JSON.stringify(query));
  });
});
