/**
 * The MCP server as an assistant runs it: a child process over stdio, driven by the SDK's Client.
 * Also reads the child's CPU time and peak RSS from /proc where there is one (Linux).
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { PACKAGE_VERSION } from '../package-root.js';
import { cpuSeconds, isAlive, residentMb } from './proc-stats.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface ServerProcess {
  client: Client;
  pid: number | null;
  startupMs: number;
  /** CPU seconds (user + system) the server has used, or null without /proc. */
  cpuSeconds(): number | null;
  /** Peak resident memory in MB (VmHWM), or null without /proc. */
  peakRssMb(): number | null;
  /** Closes stdin as a client does and reports whether the server exited on its own. */
  stop(): Promise<{ ms: number; exited: boolean }>;
}

/**
 * @param workspace the workspace to serve; without it, the test workspace (`--test-mode` alone).
 * @param opts.cli how to run the command line: this package's by default, an installed one in
 *   the clean-install check; `verbose`: its log lines relayed to stderr.
 */
export async function startServerProcess(
  workspace: string | undefined,
  env: Record<string, string>,
  opts: { clientName?: string; cli?: readonly string[]; verbose?: boolean } = {},
): Promise<ServerProcess> {
  const { clientName = 'fast-intercom-mcp-integration-test', cli = [process.execPath, CLI] } = opts;
  const started = performance.now();
  const client = new Client({ name: clientName, version: PACKAGE_VERSION });
  const transport = new StdioClientTransport({
    command: cli[0]!,
    args: [
      ...cli.slice(1),
      ...(workspace ? ['--workspace', workspace] : []),
      '--test-mode',
      ...(opts.verbose ? ['--verbose'] : []),
      'start',
    ],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
    if (opts.verbose) process.stderr.write(chunk);
  });
  try {
    await client.connect(transport);
  } catch (e) {
    throw new Error(
      `The MCP server did not start: ${e instanceof Error ? e.message : String(e)}${stderr ? ` (${stderr.trim()})` : ''}`,
    );
  }
  const startupMs = performance.now() - started;
  const pid = transport.pid;
  return {
    client,
    pid,
    startupMs,
    cpuSeconds: () => cpuSeconds(pid),
    peakRssMb: () => residentMb(pid, 'VmHWM'),
    async stop() {
      const t = performance.now();
      await client.close();
      const ms = performance.now() - t;
      // The SDK sends SIGTERM only after 2 s without an exit: a quicker exit is the server's own.
      return { ms, exited: pid === null || !isAlive(pid) };
    },
  };
}
