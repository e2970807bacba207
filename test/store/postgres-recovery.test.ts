/**
 * What a user meets when the PostgreSQL copy is not what it should be: an unreachable server, a
 * refused password, a missing database and a newer schema each give one line and exit 5, with
 * the password shown nowhere; `reset` drops only this product's schema.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/open.js';
import { runCli, tempWorkspace } from '../helpers/cli.js';
import { WITHOUT_POSTGRES } from '../helpers/engine-selection.js';
import { freshDatabase, postgresServer } from '../helpers/postgres-server.js';

const status = (url: string) =>
  runCli(['--workspace', tempWorkspace(), 'status', '--check'], { FASTINTERCOM_DATABASE_URL: url });

/** The server's URL with another database, port or password. */
function variant(base: string, change: { port?: string; password?: string; database: string }): string {
  const u = new URL(base);
  if (change.port) u.port = change.port;
  if (change.password) u.password = change.password;
  u.pathname = `/${change.database}`;
  return u.toString();
}

function oneLine(r: { code: number | null; stderr: string }, pattern: RegExp, secret: string) {
  assert.equal(r.code, 5, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, pattern);
  assert.ok(!r.stderr.includes(secret), 'the password is not shown');
}

describe('a PostgreSQL copy that is not what it should be', { skip: WITHOUT_POSTGRES }, () => {
  it('unreachable, refused, missing: one clear line each, exit 5', async () => {
    const base = await postgresServer();
    const password = new URL(base).password;
    oneLine(
      await status(variant(base, { port: '9', database: 'fim' })),
      /Cannot reach PostgreSQL at .*\*\*\*/,
      password,
    );
    oneLine(
      await status(variant(base, { password: 'not-the-password-42', database: 'postgres' })),
      /refused the user or password/,
      'not-the-password-42',
    );
    oneLine(await status(variant(base, { database: 'no_such_database' })), /does not exist/, password);
  });

  it('a newer schema is refused, and reset drops only our schema', async () => {
    const url = await freshDatabase();
    await (await openStore({ workspaceDir: tempWorkspace(), databaseUrl: url })).close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('CREATE TABLE public.theirs (x int)');
      await admin.query('INSERT INTO fast_intercom_mcp.schema_version VALUES (99)');
      const r = await runCli(['--workspace', tempWorkspace(), 'status'], { FASTINTERCOM_DATABASE_URL: url });
      assert.equal(r.code, 5);
      assert.match(r.stderr, /schema version 99, newer than this fast-intercom-mcp knows/);
      const reset = await runCli(['--workspace', tempWorkspace(), 'reset', '--yes'], {
        FASTINTERCOM_DATABASE_URL: url,
      });
      assert.equal(reset.code, 0, reset.stderr);
      assert.match(reset.stdout, /Deleted schema fast_intercom_mcp/);
      const left = await admin.query<{ nspname: string }>(
        "SELECT nspname FROM pg_namespace WHERE nspname = 'fast_intercom_mcp'",
      );
      assert.equal(left.rows.length, 0, 'our schema is gone');
      await admin.query('SELECT x FROM public.theirs');
    } finally {
      await admin.end();
    }
  });
});
