/**
 * The MCP server as an assistant runs it: a child process over stdio, driven by the SDK's Client.
 * Also reads the child's CPU time and peak RSS from /proc where there is one (Linux).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { PACKAGE_VERSION } from '../package-root.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
/** Linux's USER_HZ: /proc reports CPU time in these ticks on every architecture Node supports. */
const TICKS_PER_SECOND = 100;

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

function procFile(pid: number | null, name: string): string | null {
  if (pid === null) return null;
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startServerProcess(
  workspace: string,
  env: Record<string, string>,
  clientName = 'fast-intercom-mcp-integration-test',
): Promise<ServerProcess> {
  const started = performance.now();
  const client = new Client({ name: clientName, version: PACKAGE_VERSION });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, '--workspace', workspace, '--test-mode', 'start'],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
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
    cpuSeconds() {
      const stat = procFile(pid, 'stat');
      if (!stat) return null;
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    },
    peakRssMb() {
      const status = procFile(pid, 'status');
      const kb = status?.match(/^VmHWM:\s+(\d+)\s+kB/m)?.[1];
      return kb ? Number(kb) / 1024 : null;
    },
    async stop() {
      const t = performance.now();
      await client.close();
      const ms = performance.now() - t;
      // The SDK sends SIGTERM only after 2 s without an exit: a quicker exit is the server's own.
      return { ms, exited: pid === null || !alive(pid) };
    },
  };
}
