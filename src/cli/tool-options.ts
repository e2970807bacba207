/**
 * `--read-only`, `--tools` and `--exclude-tools`, on both servers: each flag wins over its
 * environment variable and the workspace's settings (config/settings.ts); the names are checked
 * when the server starts (mcp/tool-selection.ts).
 */
import type { Command } from 'commander';
import { listOf, type ToolNarrowing } from '../config/settings.js';

export interface ToolFlags {
  readOnly?: boolean;
  tools?: string;
  excludeTools?: string;
}

export const withToolOptions = (cmd: Command): Command =>
  cmd
    .option(
      '--read-only',
      'serve only the tools that change nothing; the copy still syncs on its schedule (FASTINTERCOM_READ_ONLY=1)',
    )
    .option('--tools <names>', 'serve only these tools, comma-separated (FASTINTERCOM_TOOLS)')
    .option(
      '--exclude-tools <names>',
      'serve every tool but these, comma-separated (FASTINTERCOM_EXCLUDE_TOOLS)',
    );

export const narrowedBy = (flags: ToolFlags, settings: ToolNarrowing): ToolNarrowing => ({
  readOnly: flags.readOnly ?? settings.readOnly,
  only: listOf(flags.tools) ?? settings.only,
  exclude: listOf(flags.excludeTools) ?? settings.exclude,
});
