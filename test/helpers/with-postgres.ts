/**
 * Runs a command with one PostgreSQL server for all of its test processes: `npm test` wraps the
 * suite in it, so that each test file creates its own database on that server instead of
 * starting one of its own. Without a command (as `node --test dist/test/` runs every file) it does
 * nothing.
 */
import { spawn } from 'node:child_process';
import { WITHOUT_POSTGRES } from './engine-selection.js';
import { startPostgres, TEST_POSTGRES_ENV } from './postgres-server.js';

const [command, ...args] = process.argv.slice(2);
if (command !== undefined) {
  // A run narrowed to SQLite needs no server.
  const server = WITHOUT_POSTGRES ? undefined : await startPostgres();
  const child = spawn(command, args, {
    stdio: 'inherit',
    env: server ? { ...process.env, [TEST_POSTGRES_ENV]: server.url } : process.env,
  });
  const code = await new Promise<number>((resolve) =>
    child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
  );
  await server?.stop();
  process.exit(code);
}
