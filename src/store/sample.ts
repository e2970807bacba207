/**
 * How the insight answers bound their work (themes and service levels): a window holding more than
 * its sample size is read as a sample of about that many, those whose creation second hashes below
 * a bound (SAMPLE_SQL in insight-rows.ts), the same every time for the same data and spread evenly
 * over the window. The answers scale their counts to the whole window and say so: reading every
 * one of a month's 100,000 conversations took seconds, past the answer's deadline.
 */

/** Creation-second hashes range over [0, SAMPLE_RANGE); a sample reads those below its bound. */
export const SAMPLE_RANGE = 65_536;

/** The sample bound for a window of `total` conversations, SAMPLE_RANGE reading them all. */
export const sampleBound = (total: number, sample: number): number =>
  total <= sample ? SAMPLE_RANGE : Math.max(1, Math.floor((SAMPLE_RANGE * sample) / total));

/** A count of what was read, scaled to the whole window. */
export const scaled = (n: number, read: number, total: number): number =>
  read < total && read > 0 ? Math.round((n * total) / read) : n;
