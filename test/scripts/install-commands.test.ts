/**
 * The procedures' install and platform commands as written: the Docker clean install with
 * --config (no engine here: the clean-install path; --with-api-test is docker-api.test.ts), and the
 * cross-platform smoke test on this Node (.ci/run runs the whole script, Node 22 included, after the
 * suite). Each heavy command has a file of its own, so that the suite runs them side by side.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runScript } from '../helpers/cli.js';

describe('install, platform and performance commands', () => {
  it('test_docker_install.sh --config ./test-configs/docker-test.json keeps the configuration', async () => {
    const r = await runScript('test_docker_install.sh', ['--config', './test-configs/docker-test.json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✅ --config \.\/test-configs\/docker-test\.json is a valid config\.json/);
    assert.match(r.stdout, /✅ init kept the settings of --config/);
    assert.match(r.stdout, /PASSED ✅/);
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
});
