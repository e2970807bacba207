#!/usr/bin/env node
/** The `fast-intercom-mcp` command line. Output for people goes to stderr or a TTY; stdout is MCP's. */
import './young-generation.js';
import { Command, CommanderError } from 'commander';
import { EXIT } from '../sync/failures.js';
import { HELP_AFTER } from './help-text.js';
import { printFailure } from './output.js';
import { PACKAGE_VERSION } from '../package-root.js';
import { preferMemoryToSpeed, startHeapGovernor } from './heap-governor.js';
import { registerCompletionCommand } from './completion.js';
import { registerDoctorCommand } from './doctor-command.js';
import { registerEmulatorCommand } from './emulator-command.js';
import { registerInitCommand } from './init-command.js';
import { registerIntegrationTestCommands } from './integration-test-command.js';
import { registerLogsCommand } from './logs-command.js';
import { registerAuditCommand } from './audit-command.js';
import { registerResetCommand } from './reset-command.js';
import { registerServerCommands } from './server-commands.js';
import { registerStatusCommand } from './status-command.js';
import { registerSyncCommand } from './sync-command.js';

const wantsJson = process.argv.includes('--json');
const program = new Command();
// Usage errors end with the configuration exit code and, for a caller that asked for JSON, a JSON
// answer on stdout as every other failure has. Set before the commands, which inherit both.
program.exitOverride().configureOutput({
  outputError: (text, write) => {
    write(text);
    if (wantsJson) printFailure('config', text.replace(/^error: /, '').trim(), EXIT.config);
  },
});
program
  .name('fast-intercom-mcp')
  .description('Mirror an Intercom workspace into a local database and serve it to AI assistants over MCP')
  .version(PACKAGE_VERSION)
  .option(
    '--workspace <dir>',
    'workspace directory (config.json, data.db, logs/); default ~/.fast-intercom-mcp',
  )
  .option('--test-mode', 'use the test workspace (FASTINTERCOM_TEST_WORKSPACE or ~/.fast-intercom-mcp-test)')
  .option('--verbose', 'log to stderr too, at debug level')
  .option(
    '--redact-at-sync',
    "keep customers' emails, phones and cards (or what --redact names) out of the copy: masked before it is stored (FASTINTERCOM_REDACT_AT_SYNC=1)",
  )
  .addHelpText('after', HELP_AFTER);
registerInitCommand(program);
registerSyncCommand(program);
registerStatusCommand(program);
registerDoctorCommand(program);
registerResetCommand(program);
registerLogsCommand(program);
registerAuditCommand(program);
registerServerCommands(program);
registerEmulatorCommand(program);
registerIntegrationTestCommands(program);
registerCompletionCommand(program);

// The one-shot commands (a sync above all) are governed; the stdio server, one per person's
// client, prefers memory too; the HTTP server answers a team, and the emulator's workspace is
// large on purpose.
program.hook('preAction', (_program, action) => {
  const name = action.name();
  if (name === 'start') preferMemoryToSpeed();
  else if (!['emulator', 'serve'].includes(name)) startHeapGovernor();
});
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  // Help and --version exit 0; any other usage error is a configuration one.
  process.exitCode = e.exitCode === 0 ? 0 : EXIT.config;
}
// One-shot commands end here even if a library left a timer running (the SDK's request time-outs
// outlive aborted requests); servers and followers keep the process alive on purpose. The exit waits
// for stdout to drain: on a pipe that is slow to read, an answer's tail would be lost.
const longRunning = new Set(['emulator', 'start', 'serve', 'logs']);
if (process.exitCode !== undefined || !longRunning.has(program.args[0] ?? ''))
  process.stdout.write('', () => process.exit(process.exitCode ?? 0));
