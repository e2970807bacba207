/**
 * `sync` on a real terminal (util-linux `script`) through a backfill read newest first in stretches
 * (a day, a week, a month…), each of which says its size only when reached: the bar's percentage
 * never goes down, moves through the run rather than jumping to 100%, and no frame reads NaN.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { CLI, runCommand, tempWorkspace } from '../helpers/cli.js';

describe('the progress bar on a terminal', () => {
  let em: RunningEmulator;
  before(async () => {
    // Slow enough that the bar draws many frames, across the backfill's day, week and month.
    em = await startEmulator({ conversations: 500, days: 60, seed: 'progress', latencyMs: 15 });
  });
  after(() => em?.stop());

  it('never goes backwards while the total grows', { timeout: 180_000 }, async () => {
    const command = [
      process.execPath,
      CLI,
      '--workspace',
      tempWorkspace(),
      'sync',
      '--days',
      '60',
      '--concurrency',
      '4',
    ].join(' ');
    const r = await runCommand('script', ['-qec', command, '/dev/null'], {
      INTERCOM_API_BASE_URL: em.url,
      INTERCOM_ACCESS_TOKEN: em.token,
      COLUMNS: '200',
    });
    assert.equal(r.code, 0, r.stdout.slice(-500));
    const screen = r.stdout.replace(/\x1b\[1G/g, '\n').replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, '');
    const frames = screen.split(/\r|\n/).filter((l) => l.startsWith('sync '));
    const percents = frames.map((f) => Number(/ (\d+)% \|/.exec(f)?.[1]));
    assert.ok(percents.length >= 3, `${percents.length} frames`);
    assert.ok(percents.every(Number.isFinite), 'every frame has its percentage');
    for (let i = 1; i < percents.length; i++)
      assert.ok(percents[i]! >= percents[i - 1]!, `frame ${i}: ${percents[i - 1]}% → ${percents[i]}%`);
    assert.equal(percents.at(-1), 100);
    assert.doesNotMatch(screen, /NaN|NF|Infinity/);
    assert.ok(
      percents.some((p) => p > 0 && p < 100),
      `the bar moved through the run instead of jumping to 100%: ${percents.join(' ')}`,
    );
    assert.match(frames[0]!, / 0\/(500|0) conversations/, 'the whole window is counted up front');
  });
});
