/**
 * The built-in emulator in its own process, so that the memory and CPU the integration test reports
 * are the product's alone, not the emulated Intercom's.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface EmulatorProcess {
  url: string;
  token: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface EmulatorProcessOptions {
  conversations: number;
  days: number;
  latencyMs: number;
  jitterMs: number;
  /** Rate limit in calls a minute; the emulator's default (Intercom's, 10,000) when absent. */
  perMinute?: number;
  /** The other kinds' sizes, when not the emulator's defaults. */
  tickets?: number;
  companies?: number;
  articles?: number;
  /** How to run the command line: this package's by default, an installed one in the clean-install check. */
  cli?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export async function startEmulatorProcess(o: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const token = `emulator-${randomBytes(12).toString('hex')}`;
  const [command, ...prefix] = o.cli ?? [process.execPath, CLI];
  const child = spawn(
    command!,
    [
      ...prefix,
      'emulator',
      '--port',
      '0',
      '--conversations',
      String(o.conversations),
      '--days',
      String(o.days),
      '--latency',
      String(o.latencyMs),
      '--jitter',
      String(o.jitterMs),
      '--token',
      token,
      ...(o.perMinute ? ['--per-minute', String(o.perMinute)] : []),
      ...(['tickets', 'companies', 'articles'] as const).flatMap((k) =>
        o[k] !== undefined ? [`--${k}`, String(o[k])] : [],
      ),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], ...(o.env ? { env: o.env } : {}) },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stderr.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const m = seen.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) =>
      reject(new Error(`The emulator exited with ${code} before listening: ${seen.trim()}`)),
    );
  });
  child.stderr.resume();
  return {
    url,
    token,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
