/**
 * The procedures' install, platform and performance commands as written, each in its own test so
 * that the suite runs them beside the others: the Docker clean install with its options (no engine
 * here: the clean-install path), the cross-platform smoke test on this Node (.ci/run runs the whole
 * script, Node 22 included, after the suite), and the performance test, whose exit code must follow
 * its ❌ lines.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { runScript, tempWorkspace } from '../helpers/cli.js';

describe('install, platform and performance commands', () => {
  let em: RunningEmulator;
  before(async () => {
    em = await startEmulator({ conversations: 300, days: 30, seed: 'install-commands' });
  });
  after(() => em.stop());

  it('test_docker_install.sh --config ./test-configs/docker-test.json keeps the configuration', async () => {
    const r = await runScript('test_docker_install.sh', ['--config', './test-configs/docker-test.json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✅ --config \.\/test-configs\/docker-test\.json is a valid config\.json/);
    assert.match(r.stdout, /✅ init kept the settings of --config/);
    assert.match(r.stdout, /PASSED ✅/);
  });

  it('test_docker_install.sh --with-api-test syncs from the API the token is for, and fails on a refused one', async () => {
    const good = await runScript('test_docker_install.sh', ['--with-api-test'], {
      INTERCOM_ACCESS_TOKEN: em.token,
      INTERCOM_API_BASE_URL: em.url,
    });
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /✅ sync against the emulator/);
    const bad = await runScript('test_docker_install.sh', ['--with-api-test'], {
      INTERCOM_ACCESS_TOKEN: 'refused-token',
      INTERCOM_API_BASE_URL: em.url,
    });
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stdout, /❌ init --test-mode/);
  });

  it('test_cross_platform.sh on this Node', async () => {
    const r = await runScript('test_cross_platform.sh', ['--current-only']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const line of [
      /✅ fast-intercom-mcp --version/,
      /✅ doctor: Node.js and the native module pass under Node v\d+/,
      /✅ npm start under Node v\d+.*Integration Test Result: ✅ PASSED/,
      /Cross-platform test PASSED ✅/,
    ])
      assert.match(r.stdout, line);
  });

  it('run_performance_test.sh --profile --output perftest_results.json: exit 1 exactly when a ❌ is printed', async () => {
    const out = join(tempWorkspace(), 'perftest_results.json');
    const r = await runScript('run_performance_test.sh', ['--profile', '--output', out]);
    const missed = (r.stdout.match(/❌/g) ?? []).length;
    assert.equal(r.code, missed ? 1 : 0, r.stdout.slice(-2000) + r.stderr);
    assert.match(r.stdout, missed ? new RegExp(`${missed} targets missed`) : /Every target met/);
    assert.ok(existsSync(out), 'the results are written');
    assert.ok(existsSync(join(PACKAGE_ROOT, 'bench', 'profiles')), 'the CPU profiles are written');
  });
});
