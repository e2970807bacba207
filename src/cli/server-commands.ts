/**
 * `start` (MCP over stdio, for Claude Desktop and Cursor) and `serve` (Streamable HTTP). Both close
 * cleanly on SIGINT/SIGTERM: a running sync stops at a checkpoint and the database closes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../config/settings.js';
import { AllowedHostError, parseAllowedHosts } from '../mcp/host-allow.js';
import { contextFrom, guarded } from './context.js';
import { intOption } from './options.js';

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
/** The names `serve` answers to besides its own: --allow-host, else FASTINTERCOM_ALLOWED_HOSTS. */
function allowedHostsFrom(given: string[] | undefined, env: string | undefined): string[] {
  try {
    return parseAllowedHosts(given ?? (env ? [env] : []));
  } catch (e) {
    if (e instanceof AllowedHostError)
      throw new ConfigError(`${given ? '--allow-host' : 'FASTINTERCOM_ALLOWED_HOSTS'}: ${e.message}`);
    throw e;
  }
}

function httpToken(given: string | undefined, dir: string): { token: string; file?: string } {
  const token = given ?? process.env.FASTINTERCOM_MCP_TOKEN;
  if (token) return { token };
  const file = join(dir, 'mcp-http-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file };
  const fresh = randomBytes(24).toString('base64url');
  writeFileSync(file, `${fresh}\n`, { mode: 0o600 });
  return { token: fresh, file };
}

// The server modules load when a server command runs, so that one-shot commands such as `sync`
// do not carry the MCP SDK's memory.

// The server modules load inside the actions, so that one-shot commands such as `sync` do not
// carry the MCP SDK's memory.
export function registerServerCommands(program: Command): void {
  program
    .command('start')
    .description('run the MCP server over stdio (what Claude Desktop and Cursor launch)')
    .action(
      guarded(async (_opts: object, cmd: Command) => {
        const ctx = contextFrom(cmd);
        const [{ createRuntime }, { StdioServerTransport }] = await Promise.all([
          import('../mcp/runtime.js'),
          import('@modelcontextprotocol/sdk/server/stdio.js'),
        ]);
        const runtime = await createRuntime(ctx.settings, ctx.logger, { testMode: ctx.testMode });
        const server = runtime.newServer();
        const transport = new StdioServerTransport();
        const close = async () => {
          await runtime.close();
          await server.close();
        };
        onShutdown(close);
        process.stdin.once('end', () => void close().finally(() => process.exit(0)));
        await server.connect(transport);
        ctx.logger.info(`mcp: stdio server started (workspace ${ctx.settings.paths.dir})`);
      }),
    );

  program
    .command('serve')
    .description('run the MCP server over Streamable HTTP (bearer token required)')
    .option('--port <n>', 'port (0 picks a free one)', intOption, 8765)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--auth-token <token>',
      'bearer token clients must send (default: FASTINTERCOM_MCP_TOKEN, else generated)',
    )
    .option('--allow-origin <origin...>', 'browser origins allowed besides the server’s own', [])
    .option(
      '--allow-host <name...>',
      'host names the server answers to besides its own (a bare name at any port, or name:port; default: FASTINTERCOM_ALLOWED_HOSTS, comma-separated)',
    )
    .action(
      guarded(
        async (
          opts: {
            port: number;
            host: string;
            authToken?: string;
            allowOrigin: string[];
            allowHost?: string[];
          },
          cmd: Command,
        ) => {
          const ctx = contextFrom(cmd);
          const allowedHosts = allowedHostsFrom(opts.allowHost, process.env.FASTINTERCOM_ALLOWED_HOSTS);
          const { token, file } = httpToken(opts.authToken, ctx.settings.paths.dir);
          ctx.logger.addSecret(token);
          const [{ createRuntime }, { startHttpServer }] = await Promise.all([
            import('../mcp/runtime.js'),
            import('../mcp/http-server.js'),
          ]);
          const runtime = await createRuntime(ctx.settings, ctx.logger, { testMode: ctx.testMode });
          const http = await startHttpServer(
            runtime,
            {
              host: opts.host,
              port: opts.port,
              authToken: token,
              allowedOrigins: opts.allowOrigin,
              allowedHosts,
            },
            ctx.logger,
          );
          onShutdown(async () => {
            await http.close();
            await runtime.close();
          });
          process.stderr.write(
            `MCP server (Streamable HTTP) at ${http.url}\n` +
              (file ? `  bearer token in ${file}\n` : '  bearer token: the one you gave\n'),
          );
          ctx.logger.info(`mcp: http server at ${http.url}`);
        },
      ),
    );
}
