/**
 * The procedures' performance targets, and how a figure is judged against one. The numbers live in
 * `tests/config.json` (its `performance` section, where the procedures tell their reader to edit
 * them); this module knows each figure's direction and unit. A figure that misses its target is a
 * warning (PARTIAL: "performance below targets"); one past `fail_at` is "significantly below
 * targets" and fails the run. The shipped margins are ours: five times the target for speed and
 * latency, one and a half times for memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config/settings.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { Mark } from './report.js';

export interface Target {
  direction: 'min' | 'max';
  target: number;
  failAt: number;
  unit: string;
}

const FIGURES = {
  syncConversationsPerSecond: { direction: 'min', unit: ' conversations/second' },
  syncMessagesPerSecond: { direction: 'min', unit: ' messages/second' },
  apiCallsPerConversation: { direction: 'max', unit: ' per conversation' },
  rateLimited: { direction: 'max', unit: ' × 429' },
  databaseWritesPerSecond: { direction: 'min', unit: ' conversations/second' },
  searchAverageMs: { direction: 'max', unit: 'ms' },
  getConversationAverageMs: { direction: 'max', unit: 'ms' },
  statusAverageMs: { direction: 'max', unit: 'ms' },
  toolP95Ms: { direction: 'max', unit: 'ms' },
  // The procedures' two memory targets: <100 MB during sync operations, <150 MB at the peak.
  syncAverageRssMb: { direction: 'max', unit: 'MB' },
  syncPeakRssMb: { direction: 'max', unit: 'MB' },
  serverPeakRssMb: { direction: 'max', unit: 'MB' },
  // Bytes the sync wrote over the size of the copy it left: the procedures' "efficient SQLite operations".
  syncWriteAmplification: { direction: 'max', unit: '× the copy' },
} as const satisfies Record<string, Pick<Target, 'direction' | 'unit'>>;

export type Figure = keyof typeof FIGURES;

export const TARGETS_FILE = join(PACKAGE_ROOT, 'tests', 'config.json');

/** `syncPeakRssMb` is `sync_peak_rss_mb` in the file. */
const fileKey = (figure: string) => figure.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const entry = z.object({ target: z.number(), fail_at: z.number().nullable() });
const fileSchema = z.object({
  performance: z.object(Object.fromEntries(Object.keys(FIGURES).map((f) => [fileKey(f), entry]))),
});

export function loadTargets(file = TARGETS_FILE): Record<Figure, Target> {
  let parsed;
  try {
    parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new ConfigError(`The performance targets in ${file} cannot be read: ${(e as Error).message}`);
  }
  if (!parsed.success)
    throw new ConfigError(
      `The performance targets in ${file} are invalid: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`,
    );
  const numbers = parsed.data.performance as Record<string, z.infer<typeof entry>>;
  return Object.fromEntries(
    Object.entries(FIGURES).map(([figure, shape]) => {
      const { target, fail_at } = numbers[fileKey(figure)]!;
      // No failure margin: a miss is never worse than a warning.
      const never = shape.direction === 'min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      return [figure, { ...shape, target, failAt: fail_at ?? never }];
    }),
  ) as Record<Figure, Target>;
}

export const TARGETS = loadTargets();

export function judge(t: Target, value: number | null): Mark {
  if (value === null) return 'info';
  const worse = (a: number, b: number) => (t.direction === 'min' ? a < b : a > b);
  if (worse(value, t.failAt)) return 'fail';
  return worse(value, t.target) ? 'warn' : 'pass';
}

/** "≤10ms"; a ceiling of zero reads "none", not "≤0 × 429". */
export const describeTarget = (t: Target) =>
  t.direction === 'max' && t.target === 0
    ? 'none'
    : `${t.direction === 'min' ? '≥' : '≤'}${t.target}${t.unit}`;
