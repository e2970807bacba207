/**
 * ./scripts/test_database_recovery.sh: a database damaged on disk (a truncated file, then garbage
 * written over pages) must be reported as damaged with a clear message and exit code 5, by
 * `status --check` and by the MCP server, and `reset --yes` + `sync` must restore a complete copy.
 */
import { closeSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/server.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { runCli, tempWorkspace } from '../../test/helpers/cli.js';
import { assertMirrors } from '../../test/helpers/mirror.js';
import { options, runChecks } from './harness.js';

const opts = options({ conversations: 800, days: 30 });

const DAMAGE: { name: string; apply: (file: string) => void }[] = [
  {
    name: 'truncated to half its size',
    apply: (file) => truncateSync(file, Math.floor(statSync(file).size / 2)),
  },
  {
    name: 'garbage written over 16 pages in the middle',
    apply: (file) => {
      const fd = openSync(file, 'r+');
      const garbage = Buffer.alloc(16 * 4096);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 251;
      writeSync(fd, garbage, 0, garbage.length, Math.floor(statSync(file).size / 2 / 4096) * 4096);
      closeSync(fd);
    },
  },
];

await runChecks('Database recovery test', async ({ ok, info }) => {
  const em = await startEmulator({ conversations: opts.conversations, days: opts.days });
  const env = { INTERCOM_ACCESS_TOKEN: em.token, INTERCOM_API_BASE_URL: em.url };
  const since = em.workspace.anchor - opts.days * 86400;
  try {
    for (const damage of DAMAGE) {
      const dir = tempWorkspace('fim-recovery-');
      const db = join(dir, 'data.db');
      const sync = await runCli(['--workspace', dir, 'sync', '--days', String(opts.days)], env);
      ok(sync.code === 0, `synced ${opts.conversations} conversations`);
      damage.apply(db);
      info(`database ${damage.name}`);
      const status = await runCli(['--workspace', dir, 'status', '--check'], env);
      const said = (status.stdout + status.stderr)
        .trim()
        .split('\n')
        .filter((l) => /damage|corrupt|malformed/i.test(l));
      ok(status.code === 5 && said.length > 0, 'status --check reports the damage, exit code 5', said[0]);
      const server = await runCli(['--workspace', dir, 'sync'], env);
      ok(
        server.code === 5 && /corrupt|damaged|malformed/i.test(server.stderr),
        'sync refuses to write into it, exit code 5',
        server.stderr.trim().split('\n')[0],
      );
      const reset = await runCli(['--workspace', dir, 'reset', '--yes'], env);
      ok(reset.code === 0, 'reset --yes removes the damaged database', reset.stdout.trim().split('\n')[0]);
      const again = await runCli(['--workspace', dir, 'sync', '--days', String(opts.days)], env);
      ok(again.code === 0, 'sync rebuilds it');
      const store = new SqliteStore(db);
      try {
        const count = await assertMirrors(store, em.workspace, since);
        ok(
          (await store.integrityProblems()).length === 0,
          'the rebuilt copy is complete and intact',
          `${count} conversations equal the API's`,
        );
      } finally {
        await store.close();
      }
    }
  } finally {
    await em.stop();
  }
});
