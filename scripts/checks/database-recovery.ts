/**
 * ./scripts/test_database_recovery.sh: a damaged copy must be reported as damaged with a clear
 * message and exit code 5, by `status --check` and by `sync`, and `reset --yes` + `sync` must
 * restore a complete copy. On SQLite (the default) the file is damaged on disk: truncated, then
 * garbage written over pages. With FASTINTERCOM_DATABASE_URL set, the PostgreSQL copy there is
 * damaged as it can be (a table of its schema dropped), a server that refuses connections is
 * reported as such, and reset leaves the database's other schemas alone.
 */
import { closeSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startEmulator } from '../../src/emulator/server.js';
import { openStore, type StoreTarget } from '../../src/store/open.js';
import { runCli, tempWorkspace } from '../../test/helpers/cli.js';
import { targetEnv } from '../../test/helpers/engines.js';
import { assertMirrors } from '../../test/helpers/mirror.js';
import { options, runChecks } from './harness.js';

const opts = options({ conversations: 800, days: 30 });
const databaseUrl = process.env.FASTINTERCOM_DATABASE_URL;

/** Runs SQL on the PostgreSQL database the check was given, as a person with psql would. */
async function onDatabase(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const DAMAGE: { name: string; apply: (target: StoreTarget) => Promise<void> }[] = databaseUrl
  ? [
      {
        name: 'its parts table dropped by hand',
        apply: () => onDatabase('DROP TABLE fast_intercom_mcp.parts CASCADE'),
      },
    ]
  : [
      {
        name: 'truncated to half its size',
        apply: async ({ workspaceDir }) => {
          const file = join(workspaceDir, 'data.db');
          truncateSync(file, Math.floor(statSync(file).size / 2));
        },
      },
      {
        name: 'garbage written over 16 pages in the middle',
        apply: async ({ workspaceDir }) => {
          const file = join(workspaceDir, 'data.db');
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
  const since = em.workspace.anchor - opts.days * 86400;
  info(`engine: ${databaseUrl ? 'PostgreSQL (FASTINTERCOM_DATABASE_URL)' : 'SQLite'}`);
  try {
    for (const damage of DAMAGE) {
      const target: StoreTarget = { workspaceDir: tempWorkspace('fim-recovery-'), databaseUrl };
      const env = { INTERCOM_ACCESS_TOKEN: em.token, INTERCOM_API_BASE_URL: em.url, ...targetEnv(target) };
      if (databaseUrl) await onDatabase('CREATE TABLE IF NOT EXISTS public.someone_elses (id int)');
      const sync = await runCli(['reset', '--yes'], env).then(() =>
        runCli(['sync', '--days', String(opts.days)], env),
      );
      ok(sync.code === 0, `synced ${opts.conversations} conversations`);
      await damage.apply(target);
      info(`database ${damage.name}`);
      const status = await runCli(['status', '--check'], env);
      const said = (status.stdout + status.stderr)
        .trim()
        .split('\n')
        .filter((l) => /damage|corrupt|malformed/i.test(l));
      ok(status.code === 5 && said.length > 0, 'status --check reports the damage, exit code 5', said[0]);
      const server = await runCli(['sync'], env);
      ok(
        server.code === 5 && /corrupt|damaged|malformed/i.test(server.stderr),
        'sync refuses to write into it, exit code 5',
        server.stderr.trim().split('\n')[0],
      );
      const reset = await runCli(['reset', '--yes'], env);
      ok(reset.code === 0, 'reset --yes removes the damaged database', reset.stdout.trim().split('\n')[0]);
      const again = await runCli(['sync', '--days', String(opts.days)], env);
      ok(again.code === 0, 'sync rebuilds it');
      const store = await openStore(target);
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
      if (databaseUrl) {
        const other = await onDatabase('SELECT 1 FROM public.someone_elses').then(
          () => true,
          () => false,
        );
        ok(other, "reset dropped only this product's schema: another table in the database is still there");
      }
    }
    if (databaseUrl) {
      const refused = new URL(databaseUrl);
      refused.port = '1';
      const env = {
        INTERCOM_ACCESS_TOKEN: em.token,
        INTERCOM_API_BASE_URL: em.url,
        ...targetEnv({ workspaceDir: tempWorkspace('fim-recovery-'), databaseUrl: refused.href }),
      };
      const status = await runCli(['status', '--check'], env);
      const line = status.stderr.trim().split('\n')[0] ?? '';
      ok(
        status.code === 5 &&
          /Cannot reach PostgreSQL/.test(line) &&
          (refused.password === '' || !line.includes(refused.password)),
        'a server that refuses connections: one line, exit code 5, no password shown',
        line,
      );
    }
  } finally {
    await em.stop();
  }
});
