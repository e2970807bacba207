/** What every command needs: the workspace's settings, the log, the store and the API client. */
import type { Command } from 'commander';
import { Logger } from '../config/logger.js';
import { existsSync } from 'node:fs';
import { ConfigError, loadSettings, requireToken, type Settings } from '../config/settings.js';
import { resolveWorkspace } from '../config/workspace-paths.js';
import { IntercomApi } from '../intercom/client.js';
import { describeSlow, loggedRequests } from '../intercom/request-log.js';
import type { ResilientRequestOptions } from '../intercom/resilient-request.js';
import { engineOf, openStore as openWorkspaceStore, storeSecrets, type OpenOptions } from '../store/open.js';
import type { Store } from '../store/types.js';
import { explainFailure } from '../sync/failures.js';
import { printFailure } from './output.js';
import { redact } from '../redact.js';
import { asInvoked, PRODUCT } from '../wording.js';

export interface GlobalOptions {
  workspace?: string;
  testMode?: boolean;
  verbose?: boolean;
  redactAtSync?: boolean;
}

export interface CliContext {
  settings: Settings;
  logger: Logger;
  verbose: boolean;
  testMode: boolean;
  /** How this command was run, for hints that name another: `fast-intercom-mcp --test-mode`. */
  invocation: string;
}

/** Single quotes for a path a shell would split or expand. */
const shellWord = (word: string) =>
  /^[\w./~:@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;

function invocationOf(opts: GlobalOptions): string {
  return [
    PRODUCT,
    ...(opts.testMode ? ['--test-mode'] : []),
    ...(opts.workspace ? ['--workspace', shellWord(opts.workspace)] : []),
  ].join(' ');
}

export function contextFrom(cmd: Command): CliContext {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const paths = resolveWorkspace({
    ...(opts.workspace ? { workspace: opts.workspace } : {}),
    testMode: opts.testMode ?? false,
  });
  const settings = loadSettings(paths, process.env, opts.testMode ?? false, opts.redactAtSync);
  const logger = new Logger({
    file: paths.logFile,
    level: opts.verbose ? 'DEBUG' : settings.logLevel,
    stderr: opts.verbose ?? false,
  });
  logger.addSecret(settings.token);
  logger.addSecret(settings.webhookSecret);
  for (const password of storeSecrets(settings.store.databaseUrl)) logger.addSecret(password);
  return {
    settings,
    logger,
    verbose: opts.verbose ?? false,
    testMode: opts.testMode ?? false,
    invocation: invocationOf(opts),
  };
}

/**
 * For the commands that only read: a workspace directory that does not exist is a mistyped path
 * or a machine not set up yet, said in one line, and never created.
 */
export function requireWorkspace(ctx: CliContext): void {
  if (!engineOf(ctx.settings.store).localFiles || existsSync(ctx.settings.paths.dir)) return;
  throw new ConfigError(
    `No workspace at ${ctx.settings.paths.dir} (no such directory): check --workspace and FASTINTERCOM_WORKSPACE, or run \`fast-intercom-mcp init\` to create one.`,
  );
}

export function openStore(ctx: CliContext, opts: OpenOptions = {}): Promise<Store> {
  return openWorkspaceStore(ctx.settings.store, opts);
}

export function createApi(
  ctx: CliContext,
  token = requireToken(ctx.settings),
  requestOptions: Partial<ResilientRequestOptions> = {},
) {
  ctx.logger.addSecret(token);
  return new IntercomApi({
    baseUrl: ctx.settings.baseUrl,
    token,
    requestOptions: {
      ...requestOptions,
      // A command's user is at the terminal: a silent upstream is said there, not only in the log.
      ...loggedRequests(ctx.logger, {
        onSlow: (s) => process.stderr.write(`note: ${describeSlow(s)}\n`),
        ...requestOptions,
      }),
    },
  });
}

/**
 * Every secret this command may know, however it arrived: the environment, its own flags, and,
 * when its settings load, the workspace's config (a saved token) and a PostgreSQL URL's password.
 */
function knownSecrets(cmd: Command | undefined, ctx: CliContext | undefined): (string | undefined)[] {
  const opts = (cmd?.opts?.() ?? {}) as { token?: string; authToken?: string };
  const env = process.env;
  return [
    env.INTERCOM_ACCESS_TOKEN,
    env.FASTINTERCOM_MCP_TOKEN,
    env.FASTINTERCOM_WEBHOOK_SECRET,
    ...storeSecrets(env.FASTINTERCOM_DATABASE_URL),
    opts.token,
    opts.authToken,
    ...(ctx
      ? [ctx.settings.token, ctx.settings.webhookSecret, ...storeSecrets(ctx.settings.store.databaseUrl)]
      : []),
  ];
}

/** Wraps a command's action: a failure becomes one clear line on stderr and an exit code. */
export function guarded<A extends unknown[]>(
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const described = explainFailure(e);
      const cmd = args.at(-1) as Command | undefined;
      let ctx: CliContext | undefined;
      try {
        if (cmd && typeof cmd.optsWithGlobals === 'function') ctx = contextFrom(cmd);
      } catch {
        // The settings may be what failed (an unreadable config): the environment's secrets are
        // still known, and the stderr line below still says it.
      }
      const message = redact(
        ctx ? asInvoked(described.message, ctx.invocation) : described.message,
        knownSecrets(cmd, ctx),
      );
      ctx?.logger.log('ERROR', message, false);
      process.stderr.write(`error: ${message}\n`);
      // A caller that asked for JSON gets the failure as JSON too, on the stream it reads.
      if ((cmd?.opts?.() as { json?: boolean } | undefined)?.json)
        printFailure(described.kind, message, described.exitCode);
      process.exitCode = described.exitCode;
    }
  };
}
