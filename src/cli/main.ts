#!/usr/bin/env node
/** The `fast-intercom-mcp` command line. Output for people goes to stderr or a TTY; stdout is MCP's. */
import { Command } from 'commander';
import { PACKAGE_VERSION } from '../package-root.js';
import { startHeapGovernor } from './heap-governor.js';
import { registerEmulatorCommand } from './emulator-command.js';
import { registerInitCommand } from './init-command.js';
import { registerIntegrationTestCommands } from './integration-test-command.js';
import { registerLogsCommand } from './logs-command.js';
import { registerResetCommand } from './reset-command.js';
import { registerServerCommands } from './server-commands.js';
import { registerStatusCommand } from './status-command.js';
import { registerSyncCommand } from './sync-command.js';

const program = new Command();
program
  .name('fast-intercom-mcp')
  .description('Mirror an Intercom workspace into a local database and serve it to AI assistants over MCP')
  .version(PACKAGE_VERSION)
  .option(
    '--workspace <dir>',
    'workspace directory (config.json, data.db, logs/); default ~/.fast-intercom-mcp',
  )
  .option('--test-mode', 'use the test workspace (FASTINTERCOM_TEST_WORKSPACE or ~/.fast-intercom-mcp-test)')
  .option('--verbose', 'log to stderr too, at debug level');
registerInitCommand(program);
registerSyncCommand(program);
registerStatusCommand(program);
registerResetCommand(program);
registerLogsCommand(program);
registerServerCommands(program);
registerEmulatorCommand(program);
registerIntegrationTestCommands(program);

// The one-shot commands (a sync above all) are governed; the servers answer queries and the
// emulator's workspace is large on purpose.
program.hook('preAction', (_program, action) => {
  if (!['emulator', 'start', 'serve'].includes(action.name())) startHeapGovernor();
});
await program.parseAsync(process.argv);
// One-shot commands end here even if a library left a timer running (the SDK's request time-outs
// outlive aborted requests); servers and followers keep the process alive on purpose.
const longRunning = new Set(['emulator', 'start', 'serve', 'logs']);
if (!longRunning.has(program.args[0] ?? '')) process.exit(process.exitCode ?? 0);
