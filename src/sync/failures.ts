/**
 * Every failure a user can meet, by kind, in one table: the exit code the CLI ends with, the
 * cause line of the integration report, and what to do next (its Required Actions, and the
 * advice the MCP tools give). The CLI, the integration report and the MCP tools all read it.
 */
import { ConfigError } from '../config/settings.js';
import { REGION_BASE_URLS } from '../config/regions.js';
import { IntercomApiError } from '../intercom/errors.js';
import { StoreError } from '../store/errors.js';
import { SyncOutage } from './deletions.js';
import { SyncInterrupted, SyncRequestError } from './engine.js';
import { SyncAlreadyRunning } from '../store/errors.js';
import { PACKAGE_ROOT } from '../package-root.js';

export const FAILURE_KINDS = [
  'config',
  'request',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'unreachable',
  'outage',
  'upstream',
  'busy',
  'database',
  'disk_full',
  'permission',
  'read_only',
  'port_busy',
  'native_module',
  'interrupted',
  'other',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export const EXIT = {
  ok: 0,
  other: 1,
  config: 2,
  auth: 3,
  network: 4,
  database: 5,
  interrupted: 130,
} as const;

/** What each exit code means, for `--help` and the README. */
export const EXIT_MEANINGS: [number, string][] = [
  [EXIT.ok, 'success'],
  [EXIT.other, 'an unexpected failure (the log says more: fast-intercom-mcp logs)'],
  [
    EXIT.config,
    'set-up or usage: no token, a bad setting or option, a busy port, a native module to rebuild',
  ],
  [EXIT.auth, 'Intercom refused the token (401) or a permission (403)'],
  [EXIT.network, 'Intercom unreachable, rate-limited or failing'],
  [EXIT.database, "the local copy or the workspace's files: locked, damaged, read-only, disk full"],
  [EXIT.interrupted, 'interrupted: the next sync resumes from its last checkpoint'],
];

interface Entry {
  exitCode: number;
  cause: string;
  /** The line a user reads; the error's own message unless the kind has better words. */
  message?: (e: Error) => string;
  actions: (baseUrl: string) => string[];
}

const curl = (baseUrl: string) => `curl -H "Authorization: Bearer $INTERCOM_ACCESS_TOKEN" ${baseUrl}/me`;
const investigate = (e: Error) => [
  `Investigate: ${e.message}`,
  'Re-run with --verbose and read `fast-intercom-mcp logs`',
];

/** Why better-sqlite3 did not load, from the loader's message: what the CLI's error line and `doctor` both say. */
export function nativeModuleProblem(message: string): string {
  const abi = /NODE_MODULE_VERSION (\d+)/.exec(message);
  if (abi)
    return `better-sqlite3 was built for another Node.js (ABI ${abi[1]}; this one is ${process.versions.modules})`;
  if (/Could not locate the bindings file|Cannot find module/.test(message))
    return 'better-sqlite3 is not built for this machine (its native file is missing)';
  return `better-sqlite3 does not load: ${message.split('\n')[0]}`;
}

/** What a failed system call was doing, in the words of a permission error. */
const ACTIONS: Record<string, string> = {
  unlink: 'delete',
  rmdir: 'delete',
  rm: 'delete',
  mkdir: 'create',
  open: 'open',
  copyfile: 'copy',
  chmod: 'change the mode of',
  scandir: 'list',
};

const TABLE: Record<FailureKind, Entry> = {
  config: {
    exitCode: EXIT.config,
    cause: 'The configuration is incomplete or invalid',
    actions: () => [
      'Set INTERCOM_ACCESS_TOKEN, or run `fast-intercom-mcp init`',
      'Check the workspace config.json and the FASTINTERCOM_* environment variables',
    ],
  },
  request: {
    exitCode: EXIT.config,
    cause: 'The request cannot be carried out as given',
    actions: () => ['Change the arguments as the message says and run it again'],
  },
  unauthorized: {
    exitCode: EXIT.auth,
    cause: 'Invalid or expired access token',
    message: () =>
      'Intercom rejected the access token (401 Unauthorized). Check INTERCOM_ACCESS_TOKEN (or the token ' +
      'saved by `init`): it may be mistyped, revoked or expired, or belong to another region.',
    actions: (baseUrl) => [
      'Verify INTERCOM_ACCESS_TOKEN is correct',
      "Check token permissions include 'conversations:read'",
      "Confirm token hasn't expired",
      `Test API access manually: ${curl(baseUrl)}`,
    ],
  },
  forbidden: {
    exitCode: EXIT.auth,
    cause: 'The token lacks a required permission, or the plan has no API access',
    message: (e) =>
      `Intercom refused access (403${e instanceof IntercomApiError && e.code ? ` ${e.code}` : ''}). The token needs the "Read conversations" ` +
      'and "Read and list users and companies" permissions ("Read admins" and "Read tags" for names) on a plan with API access.',
    actions: (baseUrl) => [
      'Give the app the "Read conversations" and "Read and list users and companies" permissions in the Intercom Developer Hub ("Read admins" and "Read tags" for teammate, team and tag names)',
      'Check that the workspace plan includes API access',
      "Check the token's region: EU and AU workspaces need INTERCOM_REGION=eu or au",
      `Test API access manually: ${curl(baseUrl)}`,
    ],
  },
  rate_limited: {
    exitCode: EXIT.network,
    cause: 'The app exhausted its rate limit',
    actions: (baseUrl) => [
      'Another app or script is using the same rate limit: stop it or wait for the window to reset',
      `Check the limit headers: curl -I -H "Authorization: Bearer $INTERCOM_ACCESS_TOKEN" ${baseUrl}/conversations (X-RateLimit-Limit, X-RateLimit-Remaining)`,
      'Re-run with a smaller --days or --max-conversations',
    ],
  },
  unreachable: {
    exitCode: EXIT.network,
    cause: 'Intercom could not be reached',
    message: (e) => `${e.message}. Check the network and INTERCOM_API_BASE_URL / region.`,
    actions: (baseUrl) => [
      `Test basic connectivity: curl -I ${baseUrl}/`,
      'Check for proxy settings: echo $HTTP_PROXY $HTTPS_PROXY',
      'Check INTERCOM_API_BASE_URL / INTERCOM_REGION point at the right Intercom',
      'Re-run: an interrupted sync resumes from its last checkpoint',
    ],
  },
  outage: {
    exitCode: EXIT.network,
    cause: 'Intercom answered Not Found for far more conversations than it lists as deleted',
    actions: (baseUrl) => [
      'Nothing was marked deleted: the local copy is as it was before this run',
      `Check that the token still reads conversations: curl -H "Authorization: Bearer $INTERCOM_ACCESS_TOKEN" ${baseUrl}/conversations`,
      'Check for a proxy or gateway between this machine and Intercom, then sync again',
    ],
  },
  upstream: {
    exitCode: EXIT.network,
    cause: 'Intercom answered unexpectedly',
    actions: () => [
      'Re-run: an interrupted sync resumes from its last checkpoint',
      'Re-run with --verbose and read `fast-intercom-mcp logs`',
    ],
  },
  busy: {
    exitCode: EXIT.database,
    cause: 'Another sync holds this workspace',
    actions: () => [
      'Wait for the other sync to finish, or stop that process',
      '`fast-intercom-mcp status` shows the running sync',
    ],
  },
  database: {
    exitCode: EXIT.database,
    cause: 'The local database failed',
    actions: () => [
      'Check free disk space and that the workspace directory is writable',
      'Stop other fast-intercom-mcp processes using the same workspace (a sync holds the write lock)',
      'Run `fast-intercom-mcp reset --yes` and `fast-intercom-mcp sync` to rebuild a damaged copy',
    ],
  },
  disk_full: {
    exitCode: EXIT.database,
    cause: 'The disk is full',
    message: () => 'The disk is full: free some space and try again.',
    actions: () => ['Free disk space on the workspace volume, then sync again: nothing synced is lost'],
  },
  permission: {
    exitCode: EXIT.database,
    cause: 'A file or directory of the workspace is not accessible to this user',
    message: (e) => {
      const err = e as NodeJS.ErrnoException;
      const action = ACTIONS[err.syscall ?? ''] ?? 'use';
      const why = err.code === 'EROFS' ? 'it is on a read-only file system' : 'permission denied';
      return `This user cannot ${action} ${err.path ?? 'a workspace file'}: ${why}. Run as the workspace's owner, fix its owner or mode (\`ls -ld\` shows them), or use another workspace with --workspace.`;
    },
    actions: () => [
      'Run the command as the user who owns the workspace, or fix its owner and mode',
      'Or use another workspace: --workspace DIR or FASTINTERCOM_WORKSPACE',
    ],
  },
  read_only: {
    exitCode: EXIT.database,
    cause: 'The copy is read-only for this user: it answers queries but cannot be synced',
    actions: () => [
      'Sync from the account that owns the workspace, or make the workspace writable for this user',
      'Queries (status, start, serve) work on a read-only copy as it is',
    ],
  },
  port_busy: {
    exitCode: EXIT.config,
    cause: 'The port is already in use or not allowed',
    message: (e) => {
      const err = e as NodeJS.ErrnoException & { address?: string; port?: number };
      const where = `port ${err.port ?? '?'} on ${err.address ?? 'this host'}`;
      return err.code === 'EADDRINUSE'
        ? `The ${where} is already in use (another server, or an earlier run still going): stop it, or pick another port with --port (0 picks a free one).`
        : `Not allowed to listen on ${where} (ports below 1024 need privileges): pick another port with --port.`;
    },
    actions: () => ['Stop the process using the port, or pick another one with --port'],
  },
  native_module: {
    exitCode: EXIT.config,
    cause: 'The native SQLite module is not built for this Node.js',
    message: (e) =>
      `The native module ${nativeModuleProblem(e.message)}: run \`npm rebuild better-sqlite3\` in ${PACKAGE_ROOT} (a few minutes), or \`fast-intercom-mcp doctor\` for the whole set-up.`,
    actions: () => [`Rebuild it for this Node.js: cd ${PACKAGE_ROOT} && npm rebuild better-sqlite3`],
  },
  interrupted: {
    exitCode: EXIT.interrupted,
    cause: 'The sync was stopped',
    actions: () => ['Run the sync again: it resumes from its last checkpoint'],
  },
  other: {
    exitCode: EXIT.other,
    cause: 'An unexpected error',
    actions: () => ['Re-run with --verbose and read `fast-intercom-mcp logs`'],
  },
};

/** A failure already classified elsewhere, such as a child process's `sync --json` answer. */
export class ReportedFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

export function failureKind(e: unknown): FailureKind {
  if (e instanceof ReportedFailure) return e.kind;
  if (e instanceof ConfigError) return 'config';
  if (e instanceof SyncRequestError) return 'request';
  if (e instanceof SyncInterrupted) return 'interrupted';
  if (e instanceof SyncOutage) return 'outage';
  if (e instanceof SyncAlreadyRunning) return 'busy';
  if (e instanceof StoreError) return e.kind === 'read_only' ? 'read_only' : 'database';
  if (e instanceof IntercomApiError) {
    if (e.kind === 'unauthorized' || e.kind === 'forbidden' || e.kind === 'rate_limited') return e.kind;
    if (e.kind === 'network' || e.kind === 'timeout') return 'unreachable';
    return 'upstream';
  }
  const errno = e as NodeJS.ErrnoException | undefined;
  if (errno?.code === 'ERR_DLOPEN_FAILED' || /Could not locate the bindings file/.test(errno?.message ?? ''))
    return 'native_module';
  if (errno?.code === 'ENOSPC') return 'disk_full';
  if (errno?.syscall === 'listen' && ['EADDRINUSE', 'EACCES', 'EPERM'].includes(errno.code ?? ''))
    return 'port_busy';
  if (['EACCES', 'EPERM', 'EROFS'].includes(errno?.code ?? '')) return 'permission';
  return 'other';
}

export interface ExplainedFailure {
  kind: FailureKind;
  exitCode: number;
  message: string;
  cause: string;
  actions: string[];
}

/** `baseUrl` goes into the actions' commands; by default, Intercom's US API. */
export function explainFailure(e: unknown, baseUrl: string = REGION_BASE_URLS.us): ExplainedFailure {
  const kind = failureKind(e);
  const entry = TABLE[kind];
  const error = e instanceof Error ? e : new Error(String(e));
  const own = kind === 'upstream' || kind === 'database' || kind === 'other';
  return {
    kind,
    exitCode: entry.exitCode,
    message: e instanceof ReportedFailure ? e.message : (entry.message?.(error) ?? error.message),
    cause: own ? `${entry.cause}: ${error.message}` : entry.cause,
    actions: kind === 'other' ? investigate(error) : entry.actions(baseUrl),
  };
}
