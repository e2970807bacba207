/** test_docker_install.sh --with-api-test: the clean install syncs from the API its token is for, and fails on a refused token. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { runScript } from '../helpers/cli.js';

describe('test_docker_install.sh --with-api-test', () => {
  let em: RunningEmulator;
  before(async () => {
    em = await startEmulator({ conversations: 300, days: 30, seed: 'docker-api' });
  });
  after(() => em.stop());

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
});
