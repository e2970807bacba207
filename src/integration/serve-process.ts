/**
 * The shared server as a team runs it: `serve` in a child process on a free loopback port, with
 * a bearer token, and SDK clients over Streamable HTTP to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { childEnv } from './child-env.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process exits, with its code and the end of its stderr. */
  exited: Promise<{ code: number | null; stderr: string }>;
  /** An SDK client over Streamable HTTP, sending the static token (or the bearer given). */
  connect: (bearer?: string) => Promise<Client>;
  stop: () => Promise<void>;
}

export async function startServeProcess(
  workspace: string,
  env: Record<string, string>,
  /** The static bearer token; none for a server that accepts OAuth access tokens only. */
  token: string | undefined,
  serveArgs: readonly string[] = [],
  /** Test mode (the default here) never syncs on a schedule; replicas leading syncs run without it. */
  testMode = true,
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      '--workspace',
      workspace,
      ...(testMode ? ['--test-mode'] : []),
      'serve',
      '--port',
      '0',
      ...serveArgs,
    ],
    // The token goes by the environment: an argument would be in every local user's `ps`.
    {
      env: childEnv({ ...env, ...(token !== undefined ? { FASTINTERCOM_MCP_TOKEN: token } : {}) }),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-8000);
      const m = /at (http:\/\/\S+\/mcp)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`serve exited: ${stderr}`)));
  });
  return {
    url,
    child,
    exited,
    connect: async (bearer = token) => {
      const client = new Client({ name: 'fast-intercom-mcp-http-client', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: bearer !== undefined ? { Authorization: `Bearer ${bearer}` } : {} },
        }),
      );
      return client;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
