/**
 * What the scripts under scripts/ share: a titled run of named steps, each ✅ or ❌ with its
 * evidence, ending in "<title> PASSED ✅" (exit 0) or FAILED (exit 1). Steps talk to the real CLI,
 * the real emulator and real SQLite files, as the tests do.
 */
import { parseArgs } from 'node:util';
import type { Mark } from '../../src/integration/report.js';
import { explainFailure } from '../../src/sync/failures.js';

export class CheckFailed extends Error {}

export interface Steps {
  /** Records a step; a false condition fails the run after printing why. */
  ok(condition: boolean, line: string, evidence?: string): void;
  /** A figure judged against its target: a miss warns, a miss past the failure margin fails. */
  judged(mark: Mark, line: string, evidence?: string): void;
  info(line: string): void;
}

export async function runChecks(title: string, body: (steps: Steps) => Promise<void>): Promise<never> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let failed = false;
  const steps: Steps = {
    ok(condition, line, evidence) {
      out(`${condition ? '✅' : '❌'} ${line}${evidence ? `: ${evidence}` : ''}`);
      if (!condition) {
        failed = true;
        throw new CheckFailed(line);
      }
    },
    judged(mark, line, evidence) {
      if (mark === 'warn') out(`⚠️ ${line}${evidence ? `: ${evidence}` : ''}`);
      else steps.ok(mark !== 'fail', line, evidence);
    },
    info: (line) => out(`   ${line}`),
  };
  out(`🔍 ${title}`);
  const started = performance.now();
  try {
    await body(steps);
  } catch (e) {
    failed = true;
    if (!(e instanceof CheckFailed)) {
      // A failure the product knows (a refused token, Intercom out of reach) is said in its words.
      const known = explainFailure(e);
      out(`❌ ${known.kind === 'other' && e instanceof Error ? (e.stack ?? e.message) : known.message}`);
    }
  }
  out('');
  out(
    `${title} ${failed ? 'FAILED ❌' : 'PASSED ✅'} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  process.exit(failed ? 1 : 0);
}

/** `--name value` options with defaults, numbers where the default is a number. */
export function options<T extends Record<string, string | number | boolean>>(defaults: T): T {
  const spec = Object.fromEntries(
    Object.entries(defaults).map(([k, v]) => [
      k,
      { type: typeof v === 'boolean' ? 'boolean' : 'string' } as const,
    ]),
  );
  const { values } = parseArgs({ options: spec, strict: true });
  const out: Record<string, string | number | boolean> = { ...defaults };
  for (const [k, v] of Object.entries(values)) {
    const d = defaults[k];
    if (typeof d === 'number') {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`--${k} must be a number, got '${String(v)}'`);
      out[k] = n;
    } else out[k] = v as string | boolean;
  }
  return out as T;
}
