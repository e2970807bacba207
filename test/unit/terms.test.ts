/** The terms themes count: words and two-word phrases of what a customer wrote. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameWords, termsOf } from '../../src/insights/terms.js';

const terms = (texts: string[], exclude?: Set<string>) => [...termsOf(texts, exclude)].sort();

describe('termsOf', () => {
  const cases: { name: string; texts: string[]; want: string[]; exclude?: string[] }[] = [
    {
      name: 'words and the phrases of neighbouring ones',
      texts: ['Export fails on large CSV files'],
      want: ['csv', 'csv files', 'export', 'export fails', 'fails', 'files', 'large', 'large csv'],
    },
    {
      name: 'greetings, thanks and stop words are no terms and break phrases',
      texts: ['Hi team, thanks! The invoice is wrong. Kind regards'],
      want: ['invoice', 'wrong'],
    },
    {
      name: 'a phrase does not span a sentence or a line',
      texts: ['Refund requested.\nInvoice missing'],
      want: ['invoice', 'invoice missing', 'missing', 'refund', 'refund requested', 'requested'],
    },
    {
      name: 'numbers, links and email addresses are left out',
      texts: ['Order 12345 see https://example.com/a?b=1 or mail jane@example.com 2fa'],
      want: ['2fa', 'mail', 'order', 'see'],
    },
    {
      name: 'case, possessives and curly apostrophes fold',
      texts: ['DASHBOARD’s chart', "dashboard's CHART"],
      want: ['chart', 'dashboard', 'dashboard chart'],
    },
    { name: 'all stop words', texts: ['hello, thank you so much for your help!'], want: [] },
    { name: 'nothing', texts: [], want: [] },
    {
      name: "the workspace's name is excluded",
      texts: ['Acme Cloud sync broken'],
      exclude: ['acme', 'cloud'],
      want: ['broken', 'sync', 'sync broken'],
    },
    {
      name: 'other languages’ stop words, accented or not',
      texts: ['Die Rechnung ist falsch', 'La factura está mal'],
      want: ['factura', 'falsch', 'rechnung'],
    },
    { name: 'a set: each term once', texts: ['crash crash', 'crash'], want: ['crash', 'crash crash'] },
  ];
  for (const c of cases)
    it(c.name, () => assert.deepEqual(terms(c.texts, c.exclude ? new Set(c.exclude) : undefined), c.want));
});

describe('nameWords', () => {
  it('splits a name into its folded words, and takes none from nothing', () => {
    assert.deepEqual([...nameWords('Acme Cloud, Inc.')], ['acme', 'cloud', 'inc']);
    assert.deepEqual([...nameWords(undefined)], []);
  });
});
