/**
 * What both servers serve, on both `start` and `serve`: `--read-only`, `--tools` and
 * `--exclude-tools` (mcp/tool-selection.ts checks the names when the server starts), `--redact`,
 * and the writes to Intercom (`--allow-writes`, `--allow-replies`, `--write-as`). Each flag wins
 * over its environment variable and the workspace's settings (config/settings.ts).
 */
import type { Command } from 'commander';
import { keptOutAtSync, listOf, readRedaction, writeTier, type Settings } from '../config/settings.js';

export interface ServingFlags {
  readOnly?: boolean;
  tools?: string;
  excludeTools?: string;
  redact?: string;
  allowWrites?: boolean;
  allowReplies?: boolean;
  writeAs?: string;
}

export const withServingOptions = (cmd: Command): Command =>
  cmd
    .option(
      '--read-only',
      'serve only the tools that change nothing; the copy still syncs on its schedule (FASTINTERCOM_READ_ONLY=1)',
    )
    .option('--tools <names>', 'serve only these tools, comma-separated (FASTINTERCOM_TOOLS)')
    .option(
      '--exclude-tools <names>',
      'serve every tool but these, comma-separated (FASTINTERCOM_EXCLUDE_TOOLS)',
    )
    .option(
      '--redact <kinds>',
      "replace customers' emails, phones and/or cards in every answer, comma-separated (FASTINTERCOM_REDACT)",
    )
    .option(
      '--allow-writes',
      'serve the tools that write to Intercom (notes, tags, assignments, states), each previewed and confirmed (FASTINTERCOM_ALLOW_WRITES=1)',
    )
    .option(
      '--allow-replies',
      'with --allow-writes, also the tool that replies to customers (FASTINTERCOM_ALLOW_REPLIES=1)',
    )
    .option(
      '--write-as <admin>',
      "the admin writes are made as, an id or email; default the token's own (FASTINTERCOM_WRITE_AS)",
    );

/** The settings with the flags given on the command line applied over them. */
export function withServingFlags(flags: ServingFlags, settings: Settings): Settings {
  const redact = flags.redact !== undefined ? readRedaction(flags.redact, '--redact') : settings.redact;
  return {
    ...settings,
    writeAs: flags.writeAs ?? settings.writeAs,
    tools: {
      readOnly: flags.readOnly ?? settings.tools.readOnly,
      writes:
        flags.allowWrites || flags.allowReplies
          ? writeTier(
              flags.allowWrites || settings.tools.writes !== 'off',
              flags.allowReplies || settings.tools.writes === 'replies',
              '--allow-replies',
            )
          : settings.tools.writes,
      only: listOf(flags.tools) ?? settings.tools.only,
      exclude: listOf(flags.excludeTools) ?? settings.tools.exclude,
    },
    redact,
    redactAtSync: settings.redactAtSync && keptOutAtSync(redact),
  };
}
