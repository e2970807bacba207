/**
 * `fast-intercom-mcp integration-test` (scripts/run_integration_test.sh wraps it) and `demo` (what
 * `npm start` runs): the integration test of the procedures, against the real API when a token is
 * configured and the built-in emulator otherwise. Exit code 0 only on PASSED; 2 PARTIAL; 1 FAILED.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  EXIT_FOR_VERDICT,
  renderPerformanceSummary,
  renderReport,
  type IntegrationReport,
} from '../integration/report.js';
import { ConfigError, readLogLevel } from '../config/settings.js';
import { resolveWorkspace } from '../config/workspace-paths.js';
import type { IntegrationOptions } from '../integration/runner.js';
import { contextFrom, guarded } from './context.js';
import { intOption } from './options.js';

interface RunOptions {
  days: number;
  maxConversations?: number;
  keep?: boolean;
  sampleQuestions?: boolean;
  /** The demo's choice: its own workspace only when asked (`--intercom`); the integration test's is the token. */
  useIntercom?: boolean;
  /** The integration test reads the procedures' FASTINTERCOM_TEST_* settings; the demo does not. */
  procedures?: boolean;
}

async function run(opts: RunOptions, cmd: Command): Promise<IntegrationReport> {
  const ctx = contextFrom(cmd);
  const token = opts.useIntercom === false ? undefined : ctx.settings.token;
  const tokenSource = process.env.INTERCOM_ACCESS_TOKEN
    ? 'INTERCOM_ACCESS_TOKEN'
    : `the token saved in ${ctx.settings.paths.configFile}`;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const test = opts.procedures ? testSettings(process.env, ctx.verbose) : {};
  const { runIntegrationTest } = await import('../integration/runner.js');
  const report = await runIntegrationTest({
    days: opts.days,
    ...(opts.maxConversations !== undefined ? { maxConversations: opts.maxConversations } : {}),
    keep: opts.keep ?? false,
    ...(token ? { intercom: { token, baseUrl: ctx.settings.baseUrl, tokenSource } } : {}),
    say,
    sampleQuestions: opts.sampleQuestions ?? false,
    ...test,
  });
  say('');
  say(renderReport(report));
  process.exitCode = EXIT_FOR_VERDICT[report.verdict];
  return report;
}

/**
 * The testing procedures' settings, read and checked before anything runs: the workspace the test
 * keeps (FASTINTERCOM_TEST_WORKSPACE), its limit (FASTINTERCOM_TEST_TIMEOUT, seconds; 1,800 by
 * default, so a hung run ends) and its processes' log level (FASTINTERCOM_TEST_LOG_LEVEL; DEBUG
 * with --verbose, which also relays their log lines).
 */
export function testSettings(
  env: NodeJS.ProcessEnv,
  verbose: boolean,
): Pick<IntegrationOptions, 'workspace' | 'timeoutSeconds' | 'logLevel' | 'verbose'> {
  const timeout = env.FASTINTERCOM_TEST_TIMEOUT;
  const seconds = timeout === undefined || timeout === '' ? DEFAULT_TIMEOUT_SECONDS : Number(timeout);
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new ConfigError(`FASTINTERCOM_TEST_TIMEOUT must be a whole number of seconds, got '${timeout}'`);
  const level = env.FASTINTERCOM_TEST_LOG_LEVEL
    ? readLogLevel(env.FASTINTERCOM_TEST_LOG_LEVEL, 'FASTINTERCOM_TEST_LOG_LEVEL')
    : undefined;
  const workspace = env.FASTINTERCOM_TEST_WORKSPACE
    ? resolveWorkspace({ testMode: true }, { FASTINTERCOM_TEST_WORKSPACE: env.FASTINTERCOM_TEST_WORKSPACE })
        .dir
    : undefined;
  return {
    timeoutSeconds: seconds,
    ...(verbose ? { logLevel: 'DEBUG' as const, verbose } : level ? { logLevel: level } : {}),
    ...(workspace ? { workspace } : {}),
  };
}

const DEFAULT_TIMEOUT_SECONDS = 1800;

/** How to go on from the demo: a client on the emulator's workspace, then on your own. */
const NEXT_STEPS = [
  'Next: connect your MCP client.',
  '  To try it on the emulator first, run `fast-intercom-mcp emulator` (it prints the token it accepts) and give',
  '  your client: command "fast-intercom-mcp", args ["start"], env {"INTERCOM_API_BASE_URL": "http://127.0.0.1:8090",',
  '  "INTERCOM_ACCESS_TOKEN": "emulator-token", "FASTINTERCOM_WORKSPACE": "<an empty folder>"}.',
  '  For your workspace: the README\'s "Connect a client", with your Intercom access token.',
].join('\n');

export function registerIntegrationTestCommands(program: Command): void {
  program
    .command('integration-test')
    .description(
      'the integration test: sync into a temporary workspace, check the data and every MCP tool, report (emulator without a token)',
    )
    .option('--days <n>', 'days of conversations to sync', intOption, 7)
    .option('--max-conversations <n>', 'stop the sync after this many conversations', intOption)
    .option('--performance-report', 'also print the performance metrics summary')
    .option('--output <file>', 'write the report as JSON to this file')
    .option('--keep', 'keep the temporary workspace')
    .action(
      guarded(async (opts: RunOptions & { performanceReport?: boolean; output?: string }, cmd: Command) => {
        const report = await run({ ...opts, procedures: true }, cmd);
        if (opts.performanceReport) process.stdout.write(`\n${renderPerformanceSummary(report)}\n`);
        if (opts.output) writeFileSync(opts.output, `${JSON.stringify(report, null, 2)}\n`);
        // Work the deadline cut short may still be retrying against what was stopped: end here.
        if (report.timedOutAfterSeconds !== undefined)
          process.stdout.write('', () => process.exit(EXIT_FOR_VERDICT.FAILED));
      }),
    );

  program
    .command('demo')
    .description(
      'see it work on the built-in emulator: a sync, sample questions over MCP, the report (--intercom: your workspace)',
    )
    .option('--days <n>', 'days of conversations to sync', intOption, 7)
    .option('--keep', 'keep the demo workspace')
    .option(
      '--intercom',
      'run against your Intercom workspace (the configured token) instead of the emulator',
    )
    .action(
      guarded(async (opts: RunOptions & { intercom?: boolean }, cmd: Command) => {
        const report = await run(
          { ...opts, sampleQuestions: true, useIntercom: opts.intercom ?? false },
          cmd,
        );
        process.stdout.write(`\n${NEXT_STEPS}\n`);
        // A demo that worked but missed a performance target has still shown the product working.
        process.exitCode = report.verdict === 'FAILED' ? EXIT_FOR_VERDICT.FAILED : 0;
      }),
    );
}
