/**
 * Which tools a server lists: all of them unless whoever runs it narrowed them (`--read-only`,
 * `--tools`, `--exclude-tools`, their environment variables and settings), less those it cannot
 * serve (a sync or a write where the copy cannot be synced), and the writes to Intercom unless they
 * were allowed (`--allow-writes`, and `--allow-replies` for replies to customers). Read-only is what
 * each tool's annotations say.
 * A tool left out is still answered when called, with why, instead of an unknown-tool error that
 * would send a person looking for a typo.
 */
import { ConfigError, type ToolNarrowing } from '../config/settings.js';
import type { ToolDefinition } from './tools/tool.js';

export interface ToolSelection {
  served: readonly ToolDefinition[];
  /** Each tool not served, with why. */
  hidden: ReadonlyMap<string, string>;
}

const TIERS = ['off', 'internal', 'replies'] as const;

function whyHidden(tool: ToolDefinition, narrowing: ToolNarrowing, cannotSync: string | undefined) {
  if (tool.writes && TIERS.indexOf(narrowing.writes) < TIERS.indexOf(tool.writes))
    return tool.writes === 'replies'
      ? 'replies to customers are off: start the server with --allow-writes --allow-replies (FASTINTERCOM_ALLOW_REPLIES)'
      : 'writes to Intercom are off: start the server with --allow-writes (FASTINTERCOM_ALLOW_WRITES)';
  if (narrowing.only && !narrowing.only.includes(tool.name))
    return 'this server serves only the tools it was started with (--tools, FASTINTERCOM_TOOLS)';
  if (narrowing.exclude.includes(tool.name))
    return 'this server was started without it (--exclude-tools, FASTINTERCOM_EXCLUDE_TOOLS)';
  if (narrowing.readOnly && !tool.annotations.readOnlyHint)
    return 'this server is read-only (--read-only, FASTINTERCOM_READ_ONLY): the copy still syncs on its schedule';
  if ((tool.syncs || tool.writes) && cannotSync) return cannotSync;
  return undefined;
}

/** Throws a ConfigError, at start-up, for a name that is no tool or a narrowing that leaves none. */
export function selectTools(
  all: readonly ToolDefinition[],
  narrowing: ToolNarrowing,
  cannotSync: string | undefined,
): ToolSelection {
  const names = all.map((t) => t.name);
  for (const [flag, list] of [
    ['--tools', narrowing.only ?? []],
    ['--exclude-tools', narrowing.exclude],
  ] as const) {
    const unknown = list.filter((n) => !names.includes(n));
    if (unknown.length)
      throw new ConfigError(
        `${flag} names ${unknown.length === 1 ? 'a tool that does not exist' : 'tools that do not exist'}: ${unknown.map((n) => `'${n.slice(0, 60)}'`).join(', ')}. The tools are ${names.join(', ')}.`,
      );
  }
  const hidden = new Map<string, string>();
  for (const tool of all) {
    const why = whyHidden(tool, narrowing, cannotSync);
    if (why) hidden.set(tool.name, why);
  }
  const served = all.filter((t) => !hidden.has(t.name));
  if (!served.length)
    throw new ConfigError(
      'The tool settings leave no tool to serve: check --tools, --exclude-tools and --read-only (or FASTINTERCOM_TOOLS, FASTINTERCOM_EXCLUDE_TOOLS, FASTINTERCOM_READ_ONLY).',
    );
  return { served, hidden };
}
