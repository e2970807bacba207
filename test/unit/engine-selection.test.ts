import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectEngines } from '../helpers/engine-selection.js';

describe('FASTINTERCOM_TEST_ENGINES', () => {
  for (const [value, expected] of [
    [undefined, ['sqlite', 'postgres']],
    ['', ['sqlite', 'postgres']],
    [' , ', ['sqlite', 'postgres']],
    ['sqlite', ['sqlite']],
    ['postgres', ['postgres']],
    ['Postgres', ['postgres']],
    ['postgres,sqlite', ['sqlite', 'postgres']],
    [' SQLite , sqlite ', ['sqlite']],
  ] as const)
    it(`${JSON.stringify(value)} runs ${expected.join(' and ')}`, () => {
      assert.deepEqual(selectEngines(value), expected);
    });

  for (const value of ['mysql', 'sqlite,pg', 'sqlite;postgres'])
    it(`${JSON.stringify(value)} stops the run, naming what it does not know`, () => {
      assert.throws(
        () => selectEngines(value),
        /FASTINTERCOM_TEST_ENGINES: unknown engine .*\(known: sqlite, postgres\)/,
      );
    });
});
