/**
 * Which engines the suite runs on: `FASTINTERCOM_TEST_ENGINES` names them (`sqlite`, `postgres`,
 * or both, comma-separated), for a quick run on one; unset or empty, both, as `npm test` and CI
 * run. A name it does not know stops the run rather than quietly testing less.
 */
import type { EngineName } from '../../src/store/types.js';

export const TEST_ENGINES_ENV = 'FASTINTERCOM_TEST_ENGINES';
const KNOWN: readonly EngineName[] = ['sqlite', 'postgres'];

export function selectEngines(value: string | undefined): EngineName[] {
  const names = (value ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) return [...KNOWN];
  const unknown = names.filter((n) => !(KNOWN as readonly string[]).includes(n));
  if (unknown.length)
    throw new Error(`${TEST_ENGINES_ENV}: unknown engine ${unknown.join(', ')} (known: ${KNOWN.join(', ')})`);
  return KNOWN.filter((n) => names.includes(n));
}

export const SELECTED_ENGINES = selectEngines(process.env[TEST_ENGINES_ENV]);

/** For a test that needs PostgreSQL whatever it tests: why it is skipped, or false. */
export const WITHOUT_POSTGRES = SELECTED_ENGINES.includes('postgres')
  ? false
  : `${TEST_ENGINES_ENV}=${process.env[TEST_ENGINES_ENV]} leaves PostgreSQL out`;
