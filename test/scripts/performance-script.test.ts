/** run_performance_test.sh --profile --output perftest_results.json, as the procedures write it. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { runScript, tempWorkspace } from '../helpers/cli.js';

describe('the performance test', () => {
  // Every section of the benchmark at its quick sizes: about five minutes on a quiet machine, twice
  // that beside the rest of the suite or more beside another busy process; the suite's bound per
  // file (package.json's test:run) is thirty minutes, so this one's own is what applies.
  it(
    'run_performance_test.sh --profile --output perftest_results.json: exit 1 exactly when a ❌ is printed',
    { timeout: 25 * 60_000 },
    async () => {
      const out = join(tempWorkspace(), 'perftest_results.json');
      const r = await runScript('run_performance_test.sh', ['--profile', '--output', out]);
      const missed = r.stdout.split('\n').filter((l) => l.includes('❌')).length;
      assert.equal(r.code, missed ? 1 : 0, r.stdout.slice(-2000) + r.stderr);
      assert.match(r.stdout, missed ? new RegExp(`${missed} targets missed`) : /Every target met/);
      assert.ok(existsSync(out), 'the results are written');
      assert.ok(existsSync(join(PACKAGE_ROOT, 'bench', 'profiles')), 'the CPU profiles are written');
    },
  );
});
