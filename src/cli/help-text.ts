/** What `fast-intercom-mcp --help` adds after the commands: examples, the environment, exit codes. */
import { EXIT_MEANINGS } from '../sync/failures.js';

const EXAMPLES: [string, string][] = [
  ['fast-intercom-mcp demo', 'see it all work against the built-in emulator (no token needed)'],
  ['fast-intercom-mcp doctor', 'check this set-up: one line per check, with the fix'],
  [
    'fast-intercom-mcp init --token-file -',
    'connect a workspace: paste the token (it is kept with mode 0600)',
  ],
  ['fast-intercom-mcp sync --days 30', 'backfill the last 30 days, then `sync` keeps it current'],
  ['fast-intercom-mcp start', 'the stdio server that Claude Desktop, Cursor or Claude Code launch'],
  ['fast-intercom-mcp serve --port 8765', 'Streamable HTTP for a team (see `serve --help`)'],
  ['fast-intercom-mcp status --json', 'what the copy holds and how fresh it is, as JSON'],
];

const ENVIRONMENT: [string, string][] = [
  ['INTERCOM_ACCESS_TOKEN', 'the Intercom access token (or `init --token-file`)'],
  ['INTERCOM_REGION', 'us (default), eu or au'],
  ['INTERCOM_API_BASE_URL', "another API base URL (overrides the region's)"],
  ['FASTINTERCOM_WORKSPACE', 'the workspace directory (default ~/.fast-intercom-mcp)'],
  [
    'FASTINTERCOM_DATABASE_URL',
    'postgres://… for a shared PostgreSQL copy (default: SQLite in the workspace)',
  ],
  ['FASTINTERCOM_LOG_LEVEL', 'DEBUG, INFO (default), WARNING or ERROR'],
  ['FASTINTERCOM_MAX_SYNC_AGE_MINUTES', 'answers older than this start a sync (default 5)'],
  [
    'FASTINTERCOM_BACKGROUND_SYNC_INTERVAL',
    'minutes between background syncs of a server (default 10; 0: none)',
  ],
  ['FASTINTERCOM_TIMEZONE', "the zone timeframes are read in (default: the workspace's own)"],
  ['FASTINTERCOM_MCP_TOKEN', "serve's bearer token (default: generated and kept in the workspace)"],
  ['FASTINTERCOM_WEBHOOK_SECRET', "the Intercom app's client secret: serve receives webhooks"],
];

const table = (rows: [string, string][], width: number) =>
  rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n');

export const HELP_AFTER = [
  '',
  'Examples:',
  table(EXAMPLES, 40),
  '',
  'Environment variables:',
  table(ENVIRONMENT, 38),
  "  (serve's HTTP settings have their own: fast-intercom-mcp serve --help)",
  '',
  'Exit codes:',
  table(
    EXIT_MEANINGS.map(([code, meaning]) => [String(code), meaning]),
    3,
  ),
  '  integration-test and demo: 0 PASSED, 2 PARTIAL, 1 FAILED',
  '',
].join('\n');
