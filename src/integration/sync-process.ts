/**
 * Step 4's sync, run as the product runs it: the `sync` command in its own process, so that the
 * memory the report gives is the syncing process's own, not the test harness's. Its RSS is sampled
 * from /proc (Linux) while it runs; its figures come back as `sync --json`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SYNC_KINDS, type SyncResult } from '../sync/engine.js';
import { FAILURE_KINDS, ReportedFailure } from '../sync/failures.js';
import { bytesWritten, residentMb } from './proc-stats.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const SAMPLE_EVERY_MS = 100;

export interface SyncProcessResult {
  result: SyncResult;
  averageRssMb: number | null;
  peakRssMb: number | null;
  /** Bytes the sync process wrote, as last sampled (its exit takes the figure with it). */
  bytesWritten: number | null;
  pid: number | undefined;
}

/** The failure a failed `sync --json` reported, as its last stdout line. */
function reportedFailure(stdout: string, fallback: string): ReportedFailure {
  const parsed = failureLineSchema.safeParse(lastJsonLine(stdout));
  return parsed.success
    ? new ReportedFailure(parsed.data.error.kind, parsed.data.error.message)
    : new ReportedFailure('other', fallback);
}

const failureLineSchema = z.object({
  error: z.object({ kind: z.enum(FAILURE_KINDS), message: z.string() }),
});

const count = z.number().int().nonnegative();
/** What `sync --json` prints when it succeeds: the engine's result, checked field by field. */
const resultLineSchema = z.object({
  kind: z.enum(SYNC_KINDS),
  windowStart: z.number(),
  total: count,
  done: count,
  fetched: count,
  updatedInPlace: count,
  unchanged: count,
  deleted: count,
  parts: count,
  contactsFetched: count,
  articles: count,
  tickets: count,
  ticketsDeleted: count,
  ticketsMs: z.number().nonnegative(),
  companies: count,
  companiesDeleted: count,
  companiesMs: z.number().nonnegative(),
  conversationsMs: z.number().nonnegative(),
  apiCalls: count,
  rateLimited: count,
  elapsedMs: z.number().nonnegative(),
  runId: z.number().int(),
  complete: z.boolean(),
  callsByRoute: z.record(z.string(), count),
  retries: count,
  rateWaitMs: z.number().nonnegative(),
}) satisfies z.ZodType<SyncResult>;

/** `sync --json` ends with one JSON line, its result or its failure; undefined when it does not. */
function lastJsonLine(stdout: string): unknown {
  try {
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
  } catch {
    return undefined;
  }
}

export async function runSyncProcess(o: {
  workspace: string;
  env: Record<string, string>;
  /** Calendar days in the workspace's zone, as the MCP tools count "last N days". */
  days: number;
  maxConversations?: number;
  /** Stops the sync (the test's deadline). */
  signal?: AbortSignal;
  /** Its log lines on stderr too. */
  verbose?: boolean;
}): Promise<SyncProcessResult> {
  const args = [CLI, '--workspace', o.workspace, ...(o.verbose ? ['--verbose'] : []), 'sync', '--json'];
  args.push('--days', String(o.days));
  if (o.maxConversations !== undefined) args.push('--max-conversations', String(o.maxConversations));
  // On a terminal the child draws its own progress bar; otherwise its progress lines are relayed.
  const tty = process.stderr.isTTY === true;
  const child = spawn(process.execPath, args, {
    env: o.env,
    ...(o.signal ? { signal: o.signal } : {}),
    stdio: ['ignore', 'pipe', tty ? 'inherit' : 'pipe'],
  });
  const samples: number[] = [];
  let written: number | null = null;
  const sampler = setInterval(() => {
    written = bytesWritten(child.pid) ?? written;
    const mb = residentMb(child.pid, 'VmRSS');
    if (mb !== null) samples.push(mb);
  }, SAMPLE_EVERY_MS);
  let stdout = '';
  let lastError = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => {
    process.stderr.write(d);
    const line = d
      .toString()
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('error:'))
      .at(-1);
    if (line) lastError = line.replace(/^error:\s*/, '');
  });
  // An abort (the deadline) kills it and is said as an error event; 'close' still follows.
  child.on('error', () => undefined);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  if (code !== 0)
    throw reportedFailure(
      stdout,
      lastError || `the sync exited with code ${code}${tty ? ' (see the error above)' : ''}`,
    );
  const parsed = resultLineSchema.safeParse(lastJsonLine(stdout));
  if (!parsed.success)
    throw new ReportedFailure(
      'other',
      `the sync printed no result it could be judged by: ${parsed.error.message}`,
    );
  return {
    result: parsed.data,
    averageRssMb: samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : null,
    peakRssMb: samples.length ? Math.max(...samples) : null,
    bytesWritten: written,
    pid: child.pid,
  };
}
