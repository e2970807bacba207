/**
 * The clean-install half of ./scripts/test_docker_install.sh, for machines without a Docker engine:
 * `npm pack`, install the tarball into an empty prefix with an empty HOME, then what the Docker test
 * checks in a container: CLI help, `init --test-mode`, MCP server start-up through the SDK client,
 * a sync against the installed package's own emulator, a restart that finds the data, clean shutdown.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileConfigSchema } from '../../src/config/settings.js';
import { startEmulatorProcess } from '../../src/integration/emulator-process.js';
import { startServerProcess } from '../../src/integration/server-process.js';
import { TOOL_NAMES } from '../../src/mcp/tools/index.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { tempWorkspace } from '../../test/helpers/cli.js';
import { options, runChecks } from './harness.js';

const opts = options({ config: '', 'with-api-test': false });

await runChecks(
  'Clean install test (no Docker engine: npm pack into an empty prefix)',
  async ({ ok, info }) => {
    const root = tempWorkspace('fim-clean-install-');
    const home = join(root, 'home');
    const prefix = join(root, 'prefix');
    mkdirSync(home);
    mkdirSync(prefix);
    // npm's own set-up stays the machine's (registry, CA file, cache, where native modules find
    // Node's headers): the product's HOME is what starts empty. --prefix would otherwise also move
    // the global config under the empty prefix.
    const npmConfig = (key: string) =>
      spawnSync('npm', ['config', 'get', key], { encoding: 'utf8' }).stdout.trim();
    const npmFlags = [
      '--userconfig',
      npmConfig('userconfig'),
      '--globalconfig',
      npmConfig('globalconfig'),
      '--cache',
      npmConfig('cache'),
    ];
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !/^(INTERCOM_|FASTINTERCOM_)/.test(k)) env[k] = v;
    Object.assign(env, { HOME: home, npm_config_update_notifier: 'false' });
    const run = (cmd: string, args: string[], cwd = root, extra: Record<string, string> = {}) =>
      spawnSync(cmd, args, {
        cwd,
        env: { ...env, ...extra },
        encoding: 'utf8',
        timeout: 600_000,
        // No standard input: npm waits on an open one.
        stdio: ['ignore', 'pipe', 'pipe'],
      });

    // The build is already there (lib.sh, or npm test's own): `prepare` would rebuild dist/ in
    // place while other processes of a parallel test run import from it, and one could read a
    // half-written module.
    const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', root], PACKAGE_ROOT);
    const tarball = pack.stdout.trim().split('\n').at(-1) ?? '';
    ok(pack.status === 0 && existsSync(join(root, tarball)), 'npm pack', tarball);
    info(`package size ${(statSync(join(root, tarball)).size / 1024).toFixed(0)} KB`);

    const install = run('npm', [
      'install',
      ...npmFlags,
      '--no-audit',
      '--no-fund',
      '--prefix',
      prefix,
      join(root, tarball),
    ]);
    ok(
      install.status === 0,
      'npm install of the tarball into an empty prefix, empty HOME',
      install.stderr.trim().split('\n').at(-1),
    );
    const bin = join(prefix, 'node_modules', '.bin', 'fast-intercom-mcp');
    ok(existsSync(bin), 'the fast-intercom-mcp command is installed');

    const help = run(bin, ['--help']);
    ok(
      help.status === 0 &&
        ['start', 'serve', 'sync', 'init', 'integration-test'].every((c) => help.stdout.includes(c)),
      'CLI help lists its commands',
    );

    const emulator = await startEmulatorProcess({
      conversations: 400,
      days: 30,
      latencyMs: 0,
      jitterMs: 0,
      cli: [bin],
      env,
    });
    try {
      const url = emulator.url;
      const state = (await (await fetch(`${url}/_emulator/state`)).json()) as { conversations?: number };
      ok(state.conversations === 400, "the installed package's emulator runs and serves its workspace", url);
      const realApi = opts['with-api-test'] && process.env.INTERCOM_ACCESS_TOKEN;
      const token = realApi || emulator.token;
      const apiUrl = realApi ? (process.env.INTERCOM_API_BASE_URL ?? 'https://api.intercom.io') : url;
      const workspace = join(home, '.fast-intercom-mcp-test');
      // --config is the workspace's configuration: init keeps what it says (no --days over it).
      const given = opts.config
        ? fileConfigSchema.safeParse(JSON.parse(readFileSync(opts.config, 'utf8')))
        : undefined;
      if (given) {
        ok(given.success, `--config ${opts.config} is a valid config.json`, given.error?.message ?? '');
        mkdirSync(workspace, { recursive: true });
        copyFileSync(opts.config, join(workspace, 'config.json'));
      }
      const init = run(bin, [
        'init',
        '--test-mode',
        '--token',
        token,
        '--api-url',
        apiUrl,
        ...(given ? [] : ['--days', '30']),
      ]);
      ok(
        init.status === 0,
        'init --test-mode verifies the token and creates the database',
        init.stdout.trim().split('\n')[0],
      );
      if (given?.success) {
        const saved = JSON.parse(readFileSync(join(workspace, 'config.json'), 'utf8')) as Record<
          string,
          unknown
        >;
        const lost = Object.entries(JSON.parse(readFileSync(opts.config, 'utf8')) as Record<string, unknown>)
          .filter(
            ([k, v]) =>
              k !== 'access_token' && k !== 'api_base_url' && JSON.stringify(saved[k]) !== JSON.stringify(v),
          )
          .map(([k]) => k);
        ok(
          lost.length === 0,
          `init kept the settings of --config`,
          lost.length ? `changed: ${lost.join(', ')}` : '',
        );
      }
      const mode = statSync(join(workspace, 'config.json')).mode & 0o777;
      ok(mode === 0o600, 'the saved token is readable by its owner only', `mode ${mode.toString(8)}`);

      const startServer = () =>
        startServerProcess(undefined, env, { clientName: 'clean-install-check', cli: [bin] });
      const first = await startServer();
      const { tools } = await first.client.listTools();
      ok(
        tools.map((t) => t.name).join() === TOOL_NAMES.join(),
        'the MCP server starts and registers its tools',
        tools.map((t) => t.name).join(', '),
      );
      await first.stop();

      const sync = run(bin, ['sync', '--test-mode']);
      ok(
        sync.status === 0,
        'sync against the emulator',
        sync.stdout
          .split('\n')
          .find((l) => l.includes('Conversations:'))
          ?.trim(),
      );

      const second = await startServer();
      const status = (await second.client.callTool({ name: 'get_server_status', arguments: {} })) as {
        structuredContent?: { conversations?: number };
      };
      const count = status.structuredContent?.conversations ?? 0;
      ok(count > 0, 'after a restart the server serves the synced data', `${count} conversations`);
      const stopped = await second.stop();
      ok(stopped.exited, 'clean shutdown when the client closes', `${stopped.ms.toFixed(0)} ms`);
    } finally {
      await emulator.stop();
    }
  },
);
