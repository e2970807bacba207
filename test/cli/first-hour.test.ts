/**
 * What a new user meets in the first hour, through the real CLI: a read-only copy that still
 * answers, one clear line for a missing workspace, a busy port or a permission, JSON failures,
 * help that shows how, a progress bar that ends at 100%, a quiet clean disconnect, and read-only
 * commands that create nothing.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { startServerProcess } from '../../src/integration/server-process.js';
import { CLI, runCli, runCommand, tempWorkspace } from '../helpers/cli.js';
import { control } from '../helpers/http.js';
import { reachableByAll, reachableCopy } from '../helpers/reachable.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

/** As root, permissions bind only another user: the commands run as `nobody` then. */
const asOtherUser = process.getuid?.() === 0;
/** The CLI that user runs: this one, or a copy of the package it can reach (a clone under 0700). */
const READER_CLI =
  !asOtherUser || reachableByAll(CLI)
    ? CLI
    : join(
        reachableCopy(
          'fim-package-',
          ['dist', 'node_modules', 'package.json', 'vendor', 'tests'].map((n) => [join(PACKAGE_ROOT, n), n]),
        ),
        'dist',
        'src',
        'cli',
        'main.js',
      );
const asReader = (args: string[]) =>
  asOtherUser ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...args] : args;

/** A command on a terminal (util-linux `script` gives it one), without blocking the emulator in this process. */
const onTerminal = (command: string, env: Record<string, string>) =>
  runCommand('script', ['-qec', command, '/dev/null'], env);

/** A command with this user's rights, or as `nobody` when running as root. */
function runAsReader(args: string[], env: Record<string, string>) {
  const [cmd, ...rest] = asReader(args);
  return runCommand(cmd!, rest, env);
}

const noStack = (text: string) =>
  assert.doesNotMatch(text, /\n\s+at .*:\d+:\d+/, `no stack trace in:\n${text}`);

describe('the first hour', () => {
  let em: RunningEmulator;
  let synced: string;
  const creds = () => ({ INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token });

  before(async () => {
    em = await startEmulator({ conversations: 80, days: 5, seed: 'first-hour' });
    synced = join(tempWorkspace('fim-first-'), 'ws');
    assert.equal((await runCli(['--workspace', synced, 'sync', '--days', '5'], creds())).code, 0);
  });
  after(() => em.stop());

  it('a read-only workspace answers status and MCP queries; sync and reset are refused in one line', async () => {
    const root = tempWorkspace('fim-ro-');
    const ws = join(root, 'ws');
    assert.equal((await runCli(['--workspace', ws, 'sync', '--days', '5'], creds())).code, 0);
    chmodSync(root, 0o755);
    for (const f of readdirSync(ws)) if (f !== 'logs') chmodSync(join(ws, f), 0o444);
    chmodSync(join(ws, 'logs'), 0o555);
    chmodSync(join(ws, 'logs', 'fast-intercom-mcp.log'), 0o444);
    chmodSync(ws, 0o555);
    const before = readdirSync(ws).sort();
    const run = (args: string[]) =>
      runAsReader([process.execPath, READER_CLI, '--workspace', ws, ...args], { ...creds(), HOME: root });
    const status = await run(['status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Conversations: 80 /);
    const articles = em.workspace.helpCenter.list();
    const published = articles.filter((a) => a.state === 'published').length;
    assert.match(
      status.stdout,
      new RegExp(
        `Help Center: +${articles.length} articles \\(${published} published\\) in \\d+ collections`,
      ),
    );
    const tickets = em.workspace.tickets.live();
    assert.match(
      status.stdout,
      new RegExp(`Tickets: +${tickets.length} \\(${tickets.filter((t) => t.open).length} open\\)`),
    );
    assert.match(status.stdout, /Access: +read-only for this user/);

    const server = await startServerProcess(
      ws,
      { ...process.env, ...creds(), HOME: root } as Record<string, string>,
      { clientName: 'ro', cli: asReader([process.execPath, READER_CLI]) },
    );
    try {
      const answer = (await server.client.callTool({ name: 'get_server_status', arguments: {} })) as {
        structuredContent?: { conversations?: number };
      };
      assert.equal(answer.structuredContent?.conversations, 80);
      const sync = (await server.client.callTool({ name: 'sync_conversations', arguments: {} })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      assert.equal(sync.isError, true);
      assert.match(sync.content[0]!.text, /read-only for this user: it answers queries but cannot be synced/);
    } finally {
      await server.stop();
    }

    const sync = await run(['sync']);
    assert.equal(sync.code, 5);
    assert.match(sync.stderr, /^error: The database .* is read-only for this user/m);
    const reset = await run(['reset', '--yes']);
    assert.equal(reset.code, 5);
    assert.match(
      reset.stderr,
      /^error: This user cannot delete .*data\.db: permission denied\. Run as the workspace's owner/m,
    );
    const init = await run(['init']);
    assert.equal(init.code, 5);
    assert.match(init.stderr, /^error: This user cannot open .*config\.json: permission denied/m);
    for (const r of [sync, reset, init]) {
      noStack(r.stderr);
      assert.doesNotMatch(r.stderr, /EACCES|SQLITE/, 'no raw codes');
    }
    assert.deepEqual(readdirSync(ws).sort(), before, 'nothing was created or deleted');
  });

  it('a missing workspace: one line, exit 2, nothing created; as JSON with --json', async () => {
    const root = tempWorkspace('fim-missing-');
    const typo = join(root, 'typo', 'path');
    const r = await runCli(['--workspace', typo, 'status']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `error: No workspace at ${typo} (no such directory): check --workspace and FASTINTERCOM_WORKSPACE, or run \`fast-intercom-mcp --workspace ${typo} init\` to create one.\n`,
    );
    const json = await runCli(['--workspace', typo, 'status', '--json']);
    assert.deepEqual(JSON.parse(json.stdout), {
      error: { kind: 'config', message: r.stderr.slice('error: '.length).trim(), exit_code: 2 },
    });
    assert.ok(json.stdout.endsWith('}\n'));
    const logs = await runCli(['--workspace', typo, 'logs']);
    assert.equal(logs.code, 2);
    assert.deepEqual(readdirSync(root), [], 'no directory was made');
  });

  it('read-only commands create no directories in a workspace', async () => {
    const ws = tempWorkspace('fim-bare-');
    const r = await runCli(['--workspace', ws, 'status']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /No database yet/);
    await runCli(['--workspace', ws, 'doctor'], creds());
    assert.deepEqual(readdirSync(ws), [], 'status and doctor leave the folder as it was');
  });

  it('a busy port: one line naming the port, exit 2', async () => {
    const port = new URL(em.url).port;
    const r = await runCli(['emulator', '--port', port]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `error: The port ${port} on 127.0.0.1 is already in use (another server, or an earlier run still going): stop it, or pick another port with --port (0 picks a free one).\n`,
    );
    const serve = await runCli(['--workspace', synced, 'serve', '--port', port], creds());
    assert.equal(serve.code, 2);
    assert.match(
      serve.stderr,
      new RegExp(`^error: The port ${port} on 127\\.0\\.0\\.1 is already in use`, 'm'),
    );
    noStack(serve.stderr);
  });

  it('usage errors are JSON under --json, and exit 2', async () => {
    const r = await runCli(['sync', '--days', 'many', '--json']);
    assert.equal(r.code, 2);
    const answer = JSON.parse(r.stdout) as { error: { kind: string; message: string } };
    assert.equal(answer.error.kind, 'config');
    assert.match(answer.error.message, /--days <n>' argument 'many' is invalid/);
  });

  it('--help shows examples, the environment variables and the exit codes', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    for (const text of [
      'Examples:',
      'fast-intercom-mcp doctor',
      'Environment variables:',
      'INTERCOM_ACCESS_TOKEN',
      'FASTINTERCOM_DATABASE_URL',
      'Exit codes:',
      '130  interrupted',
    ])
      assert.ok(r.stdout.includes(text), `help has ${text}`);
    assert.ok(r.stdout.endsWith('\n'));
  });

  it(
    'on a terminal, the progress bar ends at 100% with a summary line, counts in words',
    { timeout: 120_000 },
    async () => {
      const ws = join(tempWorkspace('fim-tty-'), 'ws');
      const command = [process.execPath, CLI, '--workspace', ws, 'sync', '--days', '5'].join(' ');
      const r = await onTerminal(command, { ...creds(), COLUMNS: '200' });
      assert.equal(r.code, 0, r.stdout);
      // Each frame of the bar starts at column 1 (ESC [1G); the other escapes only hide the cursor.
      const screen = r.stdout.replace(/\x1b\[1G/g, '\n').replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, '');
      const frames = screen.split(/\r|\n/).filter((l) => l.startsWith('sync '));
      assert.match(frames.at(-1) ?? '', /100% \| 80\/80 conversations .* \| \d+ API calls/);
      assert.match(screen, /sync: done, 80 conversations seen, 80 fetched, \d+ API calls, [\d.]+ s/);
      assert.match(screen, /Sync complete/);
      const again = await onTerminal(command, creds());
      assert.match(
        again.stdout,
        /sync: done, 80 conversations seen, 0 fetched, (1 API call|(?!1 )\d+ API calls), /,
      );
    },
  );

  it('start on a terminal says it waits for an MCP client', { timeout: 60_000 }, async () => {
    const log = join(tempWorkspace('fim-term-'), 'stderr.txt');
    const command = `${process.execPath} ${CLI} --workspace ${synced} --test-mode start`;
    // The server runs in the terminal's foreground (its stdin the terminal, as a person typing
    // `start` has it), its stderr into a file; a watcher interrupts it once the line is there,
    // however long this machine takes to get that far. After `exec`, bash's $$ is the server.
    const script = `(until grep -q 'waiting for an MCP client' ${log} 2>/dev/null; do sleep 0.1; done; kill -INT \\$\\$) & exec ${command} 2>${log}`;
    await onTerminal(`bash -c "${script}"`, creds());
    assert.match(readFileSync(log, 'utf8'), /waiting for an MCP client on stdio/);
  });

  it('a client that disconnects mid-sync is no error in the log', async () => {
    const ws = join(tempWorkspace('fim-disc-'), 'ws');
    await runCli(['--workspace', ws, 'init', '--days', '5'], creds());
    const slow = await startEmulator({ conversations: 400, days: 5, seed: 'disconnect', latencyMs: 40 });
    try {
      const server = await startServerProcess(
        ws,
        { ...process.env, INTERCOM_API_BASE_URL: slow.url, INTERCOM_ACCESS_TOKEN: slow.token } as Record<
          string,
          string
        >,
        { clientName: 'disc' },
      );
      // Threads after the 20th never answer, so the sync is still running when the client leaves,
      // however fast this machine is; the client leaves once the sync has said it is under way.
      await control(slow, 'POST', '/faults/scripted', {
        route: 'GET /conversations/{id}',
        kind: 'hang',
        count: 1000,
        after: 20,
      });
      let underWay!: () => void;
      const progressed = new Promise<void>((resolve) => (underWay = resolve));
      void server.client
        .callTool({ name: 'sync_conversations', arguments: {} }, { onprogress: () => underWay() })
        .catch(() => undefined);
      await progressed;
      const stopped = await server.stop();
      assert.ok(stopped.exited);
    } finally {
      await slow.stop();
    }
    const log = readFileSync(join(ws, 'logs', 'fast-intercom-mcp.log'), 'utf8');
    assert.match(log, /sync stopped at shutdown, to resume from its checkpoint/);
    assert.doesNotMatch(log, / ERROR /);
    assert.ok(existsSync(join(ws, 'data.db')) && statSync(join(ws, 'data.db')).size > 0);
  });
});
