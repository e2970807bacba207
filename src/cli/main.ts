#!/usr/bin/env node
/** The `fast-intercom-mcp` command line. Output for people goes to stderr or a TTY; stdout is MCP's. */
import { Command } from 'commander';
import { PACKAGE_VERSION } from '../package-root.js';
import { registerEmulatorCommand } from './emulator-command.js';

const program = new Command();
program
  .name('fast-intercom-mcp')
  .description('Mirror an Intercom workspace into local SQLite and serve it to AI assistants over MCP')
  .version(PACKAGE_VERSION);
registerEmulatorCommand(program);

await program.parseAsync(process.argv);
