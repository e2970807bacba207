/**
 * The scripts of the testing procedures, run as a user runs them: each must end in PASSED with exit
 * code 0, having made the checks its header promises.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { startEmulator } from '../../src/emulator/server.js';
import { runCli, runScript, startScript, tempWorkspace } from '../helpers/cli.js';
import { WITHOUT_POSTGRES } from '../helpers/engine-selection.js';
import { freshDatabase } from '../helpers/postgres-server.js';

async function script(name: string, args: string[] = [], env: Record<string, string> = {}) {
  const r = await runScript(name, args, env);
  return { code: r.code, out: r.stdout + r.stderr };
}

const expectLines = (out: string, lines: string[]) => {
  for (const line of lines) assert.ok(out.includes(line), `output has '${line}':\n${out}`);
};

describe('scripts/', () => {
  it('test_concurrent_clients.sh --clients 5: correct answers, no locked database', async () => {
    const r = await script('test_concurrent_clients.sh', ['--clients', '5']);
    assert.equal(r.code, 0, r.out);
    expectLines(r.out, [
      '✅ 5 MCP servers started',
      '✅ no "database is locked"',
      '✅ every answer equals the local copy',
      'PASSED ✅',
    ]);
  });

  it('test_network_interruption.sh: the sync recovers and mirrors the workspace', async () => {
    const r = await script('test_network_interruption.sh');
    assert.equal(r.code, 0, r.out);
    expectLines(r.out, [
      'emulator stopped mid-sync',
      '✅ the final database equals the emulator workspace',
      'PASSED ✅',
    ]);
  });

  it('test_database_recovery.sh: damage detected, reset + sync restore the copy', async () => {
    const r = await script('test_database_recovery.sh');
    assert.equal(r.code, 0, r.out);
    assert.equal(r.out.split('✅ status --check reports the damage, exit code 5').length - 1, 2, r.out);
    expectLines(r.out, ['truncated to half its size', 'garbage written over 16 pages', 'PASSED ✅']);
  });

  it(
    'test_database_recovery.sh on PostgreSQL: a dropped table detected, reset + sync restore it, a refused server said',
    { skip: WITHOUT_POSTGRES },
    async () => {
      const r = await script('test_database_recovery.sh', [], {
        FASTINTERCOM_DATABASE_URL: await freshDatabase(),
      });
      assert.equal(r.code, 0, r.out);
      expectLines(r.out, [
        'engine: PostgreSQL',
        'database its parts table dropped by hand',
        '✅ status --check reports the damage, exit code 5',
        '✅ the rebuilt copy is complete and intact',
        "✅ reset dropped only this product's schema",
        '✅ a server that refuses connections: one line, exit code 5, no password shown',
        'PASSED ✅',
      ]);
    },
  );

  it('test_docker_install.sh: without an engine, the clean install of the packed tarball works', async () => {
    const r = await script('test_docker_install.sh');
    assert.equal(r.code, 0, r.out);
    expectLines(r.out, [
      'npm install of the tarball into an empty prefix',
      '✅ init --test-mode',
      '✅ the MCP server starts and registers its tools',
      '✅ sync against the emulator',
      '✅ after a restart the server serves the synced data',
      '✅ clean shutdown',
    ]);
  });

  it('test_mcp_tools.sh checks one tool, and refuses an unknown one', async () => {
    const em = await startEmulator({ conversations: 300, days: 30 });
    try {
      const dir = tempWorkspace();
      const synced = await runCli(['--workspace', dir, 'sync', '--days', '30'], {
        INTERCOM_ACCESS_TOKEN: em.token,
        INTERCOM_API_BASE_URL: em.url,
      });
      assert.equal(synced.code, 0, synced.stderr);
      const ok = await script('test_mcp_tools.sh', ['--tool', 'get_conversation', '--workspace', dir]);
      assert.equal(ok.code, 0, ok.out);
      expectLines(ok.out, ['✅ get_conversation answered without a tool error', 'Conversation ']);
      const bad = await script('test_mcp_tools.sh', ['--tool', 'delete_everything', '--workspace', dir]);
      assert.equal(bad.code, 1, bad.out);
      expectLines(bad.out, ["❌ 'delete_everything' is one of the server's tools"]);
    } finally {
      await em.stop();
    }
  });

  it('monitor_memory_usage.sh counts the processes started after it, and no earlier one', async () => {
    // Both look like the CLI to the monitor; the earlier one holds twice what the later one does.
    const hold = (mb: number) =>
      spawn(process.execPath, [
        '-e',
        `const a = Buffer.alloc(${mb} * 1024 * 1024, 1); console.log('held'); setTimeout(() => {}, 60000)`,
        'fast-intercom-mcp',
      ]);
    const held = (child: ReturnType<typeof hold>) =>
      new Promise<void>((resolve) =>
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve()),
      );
    /** Resolves after `count` more of the monitor's sample lines. */
    const samples = (count: number) =>
      new Promise<void>((resolve) => {
        let seen = 0;
        const onData = (d: Buffer) => {
          seen += (d.toString().match(/rss=/g) ?? []).length;
          if (seen >= count) {
            monitor.child.stdout!.off('data', onData);
            resolve();
          }
        };
        monitor.child.stdout!.on('data', onData);
      });
    const earlier = hold(128);
    await held(earlier);
    const monitor = startScript('monitor_memory_usage.sh', ['--interval', '0.1']);
    let later: ReturnType<typeof hold> | undefined;
    try {
      // A first sample means the monitor is running: a process started now is after it.
      await samples(1);
      later = hold(64);
      await held(later);
      // A whole scan begun after the allocation, however slow the machine: the second line after it.
      await samples(2);
      monitor.child.kill('SIGTERM');
      const r = await monitor.done;
      // Other tests may start processes of their own meanwhile: each process is judged by its line.
      assert.match(r.stdout, /Peak memory: \d+ MB RSS for the processes of the run together/);
      const peakOf = (pid: number | undefined) =>
        Number(r.stdout.match(new RegExp(`PID ${pid} \\(fast-intercom-mcp\\): peak (\\d+) MB`))?.[1]);
      assert.ok(
        peakOf(later.pid) >= 64,
        `the later process is counted: ${r.stdout.split('\n').slice(-6).join(' | ')}`,
      );
      assert.doesNotMatch(r.stdout, new RegExp(`PID ${earlier.pid} `), 'the earlier one is not');
    } finally {
      earlier.kill();
      later?.kill();
      monitor.child.kill();
    }
  });

  it('monitor_memory_usage.sh --pid prints the peak when the process ends', async () => {
    const sleeper = spawn(process.execPath, [
      '-e',
      'const a = Buffer.alloc(64 * 1024 * 1024, 1); setTimeout(() => {}, 1500)',
    ]);
    const r = await script('monitor_memory_usage.sh', ['--pid', String(sleeper.pid), '--interval', '0.2']);
    assert.equal(r.code, 0, r.out);
    const peak = Number(r.out.match(/Peak memory: (\d+) MB RSS/)?.[1]);
    assert.ok(peak >= 64, `the 64 MB buffer shows in the peak: ${r.out}`);
  });
});
