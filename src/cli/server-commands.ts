/**
 * `start` (MCP over stdio, for Claude Desktop and Cursor) and `serve` (Streamable HTTP). Both close
 * cleanly on SIGINT/SIGTERM: a running sync stops at a checkpoint and the database closes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { writeScopes } from '../actions/permissions.js';
import { ConfigError } from '../config/settings.js';
import type { WorkspacePaths } from '../config/workspace-paths.js';
import { writable } from '../fs-access.js';
import { secretFromFlags } from './secret-flags.js';
import { contextFrom, guarded } from './context.js';
import { portOption, positiveIntOption } from './options.js';
import { SESSION_DEFAULTS, serveSettings, type ServeFlags } from './serve-options.js';
import { withServingFlags, withServingOptions, type ServingFlags } from './serving-options.js';

function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void close()
      .catch((e: unknown) =>
        process.stderr.write(`error while shutting down: ${e instanceof Error ? e.message : String(e)}\n`),
      )
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The HTTP bearer token: given, from the environment, or generated once and kept (0600) in the workspace. */
function httpToken(given: string | undefined, paths: WorkspacePaths): { token: string; file?: string } {
  const token = given ?? process.env.FASTINTERCOM_MCP_TOKEN;
  if (token) return { token };
  const { dir, httpTokenFile: file } = paths;
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file };
  const fresh = randomBytes(24).toString('base64url');
  if (existsSync(dir) && !writable(dir))
    throw new ConfigError(
      `No bearer token was given, and ${dir} is read-only for this user, so none can be kept there: pass --auth-token-file or set FASTINTERCOM_MCP_TOKEN.`,
    );
  writeFileSync(file, `${fresh}\n`, { mode: 0o600 });
  return { token: fresh, file };
}

// The server modules load inside the actions, so that one-shot commands such as `sync` do not
// carry the MCP SDK's memory.
export function registerServerCommands(program: Command): void {
  withServingOptions(
    program
      .command('start')
      .description('run the MCP server over stdio (what Claude Desktop and Cursor launch)'),
  ).action(
    guarded(async (opts: ServingFlags, cmd: Command) => {
      const ctx = contextFrom(cmd);
      ctx.settings = withServingFlags(opts, ctx.settings);
      const [
        { createRuntime },
        { serveStdio, StdioServerTransport },
        { BoundedLines },
        { MAX_REQUEST_BYTES },
      ] = await Promise.all([
        import('../server/runtime.js'),
        import('@modelcontextprotocol/server/stdio'),
        import('../server/stdio-lines.js'),
        import('../server/body.js'),
      ]);
      const runtime = await createRuntime(ctx.settings, ctx.logger, {
        testMode: ctx.testMode,
        invocation: ctx.invocation,
        readers: 1,
      });
      const lines = new BoundedLines(MAX_REQUEST_BYTES, ({ bytes, id }) => {
        ctx.logger.warn(`mcp: a ${bytes}-byte message on stdio refused (at most ${MAX_REQUEST_BYTES})`);
        process.stdout.write(
          `${JSON.stringify({
            jsonrpc: '2.0',
            id,
            error: {
              code: -32600,
              message: `Message too large: ${bytes} bytes, at most ${MAX_REQUEST_BYTES}`,
            },
          })}\n`,
        );
      });
      process.stdin.pipe(lines);
      // The connection's first message picks its era: a 2025 `initialize`, or a 2026-07-28 request
      // carrying its version in `_meta`; one server from the factory then serves it to the end.
      const connection = serveStdio(() => runtime.newServer(), {
        transport: new StdioServerTransport(lines, process.stdout),
        // What the SDK cannot go on after ends the process non-zero, said on stderr and in the log.
        onerror: (e) => ctx.logger.error(`mcp: stdio: ${e.message}`),
      });
      const close = async () => {
        await runtime.close();
        await connection.close();
      };
      onShutdown(close);
      lines.once('end', () => void close().finally(() => process.exit(0)));
      ctx.logger.info(`mcp: stdio server started (workspace ${ctx.settings.paths.dir})`);
      // A person who typed `start` would otherwise see nothing and think it hung.
      if (process.stdin.isTTY)
        process.stderr.write(
          'fast-intercom-mcp is waiting for an MCP client on stdio: this is the command Claude Desktop, Cursor or ' +
            'Claude Code launch, not one to type into. Press Ctrl+C to stop. To see it answer: fast-intercom-mcp demo\n',
        );
    }),
  );

  withServingOptions(program.command('serve'))
    .description('run the MCP server over Streamable HTTP (bearer token required)')
    .option('--port <n>', 'port (0 picks a free one)', portOption, 8765)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--auth-token-file <file>',
      'read the bearer token clients must send from FILE (- for standard input; default: FASTINTERCOM_MCP_TOKEN, else generated)',
    )
    .option('--auth-token <token>', 'the bearer token itself (visible in ps: prefer --auth-token-file)')
    .option(
      '--allow-origin <origin...>',
      'browser origins allowed besides the server’s own (FASTINTERCOM_ALLOWED_ORIGINS)',
    )
    .option(
      '--allow-host <name...>',
      'host names the server answers to besides its own (a bare name at any port, or name:port; FASTINTERCOM_ALLOWED_HOSTS, comma-separated)',
    )
    .option(
      '--stateless',
      'no sessions: any replica behind a load balancer can take any request (FASTINTERCOM_HTTP_STATELESS=1)',
    )
    .option(
      '--max-sessions <n>',
      `sessions kept at once; a new one closes the least recently used (FASTINTERCOM_MAX_SESSIONS, default ${SESSION_DEFAULTS.maxSessions})`,
      positiveIntOption,
    )
    .option(
      '--session-idle-seconds <n>',
      `a session unused this long is closed (FASTINTERCOM_SESSION_IDLE_SECONDS, default ${SESSION_DEFAULTS.idleSeconds})`,
      positiveIntOption,
    )
    .option(
      '--max-streams <n>',
      `standalone SSE streams open at once (FASTINTERCOM_MAX_STREAMS, default ${SESSION_DEFAULTS.maxStreams})`,
      positiveIntOption,
    )
    .option(
      '--trust-proxy',
      'read X-Forwarded-Host and X-Forwarded-For from the reverse proxy in front (FASTINTERCOM_TRUST_PROXY=1)',
    )
    .option(
      '--oauth-issuer <url>',
      'accept access tokens (JWTs) from this OAuth authorization server (FASTINTERCOM_OAUTH_ISSUER)',
    )
    .option(
      '--oauth-jwks-url <url>',
      "the issuer's JWKS, when its metadata does not name it (FASTINTERCOM_OAUTH_JWKS_URL)",
    )
    .option(
      '--oauth-scopes <scopes>',
      'scopes every access token must carry, which clients ask for when they sign in (FASTINTERCOM_OAUTH_SCOPES)',
    )
    .option(
      '--public-url <url>',
      'this MCP endpoint as clients reach it, the audience of its access tokens (FASTINTERCOM_PUBLIC_URL)',
    )
    .action(
      guarded(
        async (
          opts: ServeFlags &
            ServingFlags & { port: number; host: string; authToken?: string; authTokenFile?: string },
          cmd: Command,
        ) => {
          const ctx = contextFrom(cmd);
          ctx.settings = withServingFlags(opts, ctx.settings);
          const http = serveSettings(opts, process.env);
          // With company sign-in, a static token is accepted only when one is given on purpose.
          const given =
            secretFromFlags(opts.authToken, opts.authTokenFile, '--auth-token') ??
            process.env.FASTINTERCOM_MCP_TOKEN;
          const { token, file } =
            http.oauth && !given
              ? { token: undefined, file: undefined }
              : httpToken(given, ctx.settings.paths);
          if (token) ctx.logger.addSecret(token);
          const [{ createRuntime }, { startHttpServer }] = await Promise.all([
            import('../server/runtime.js'),
            import('../server/http.js'),
          ]);
          const runtime = await createRuntime(ctx.settings, ctx.logger, {
            testMode: ctx.testMode,
            invocation: ctx.invocation,
            readers: 2,
          });
          const server = await startHttpServer(
            runtime,
            {
              host: opts.host,
              port: opts.port,
              auth: {
                ...(token ? { staticToken: token } : {}),
                ...(http.oauth
                  ? { oauth: { ...http.oauth, offeredScopes: writeScopes(ctx.settings.tools.writes) } }
                  : {}),
              },
              allowedOrigins: http.allowedOrigins,
              allowedHosts: http.allowedHosts,
              stateless: http.stateless,
              sessions: http.sessions,
              trustProxy: http.trustProxy,
            },
            ctx.logger,
          );
          onShutdown(async () => {
            await server.close();
            await runtime.close();
          });
          const access = [
            ...(http.oauth
              ? [`  access tokens from ${http.oauth.issuer} for ${http.oauth.publicUrl}\n`]
              : []),
            ...(file ? [`  bearer token in ${file}\n`] : token ? ['  bearer token: the one you gave\n'] : []),
          ];
          process.stderr.write(
            `MCP server (Streamable HTTP${http.stateless ? ', stateless' : ''}) at ${server.url}\n${access.join('')}`,
          );
          ctx.logger.info(`mcp: http server at ${server.url}`);
        },
      ),
    );
}
