/** Runs the real CLI as a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';

export const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

export function tempWorkspace(prefix = 'fim-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with this process's environment minus any Intercom connection, plus `env`. */
function startCommand(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  cwd?: string,
): { child: ChildProcess; done: Promise<CliResult> } {
  const merged: Record<string, string | undefined> = {
    ...process.env,
    INTERCOM_ACCESS_TOKEN: undefined,
    INTERCOM_API_BASE_URL: undefined,
    ...env,
  };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  const child = spawn(command, args, {
    env: merged as NodeJS.ProcessEnv,
    ...(cwd ? { cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Any command, run as `runCli` runs the CLI: no standard input, both streams kept. */
export const runCommand = (
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd?: string,
) => startCommand(command, args, env, cwd).done;

export const startCli = (args: string[], env: Record<string, string | undefined> = {}) =>
  startCommand(process.execPath, [CLI, ...args], env);

export const runCli = (args: string[], env: Record<string, string | undefined> = {}) =>
  startCli(args, env).done;

/** Another build of the command line (a copy of the package), run as `runCli` runs this one. */
export const runOtherCli = (cli: string, args: string[], env: Record<string, string | undefined> = {}) =>
  startCommand(process.execPath, [cli, ...args], env).done;

/** One of the procedures' scripts under scripts/, started as a user starts it, to watch as it runs. */
export const startScript = (
  name: string,
  args: string[] = [],
  env: Record<string, string | undefined> = {},
) => startCommand(join(PACKAGE_ROOT, 'scripts', name), args, env);

/** One of the procedures' scripts under scripts/, run as a user runs it. */
export const runScript = (name: string, args: string[] = [], env: Record<string, string | undefined> = {}) =>
  startCommand(join(PACKAGE_ROOT, 'scripts', name), args, env).done;

export { childEnv } from '../../src/integration/child-env.js';
