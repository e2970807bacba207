/**
 * The log: lines appended to `<workspace>/logs/fast-intercom-mcp.log`, and to stderr when verbose.
 * Never stdout, which belongs to MCP. Every registered secret is masked before a line is written.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogLevel } from './settings.js';

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40 };

export class Logger {
  private readonly secrets = new Set<string>();

  constructor(private readonly opts: { file?: string; level: LogLevel; stderr: boolean }) {
    if (opts.file) mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
  }

  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('[REDACTED]');
    return out;
  }

  log(level: LogLevel, message: string): void {
    if (RANK[level] < RANK[this.opts.level]) return;
    const line = `${new Date().toISOString()} ${level.padEnd(7)} ${this.redact(message)}\n`;
    if (this.opts.file) appendFileSync(this.opts.file, line, { mode: 0o600 });
    if (this.opts.stderr) process.stderr.write(line);
  }

  debug(message: string): void {
    this.log('DEBUG', message);
  }
  info(message: string): void {
    this.log('INFO', message);
  }
  warn(message: string): void {
    this.log('WARNING', message);
  }
  error(message: string): void {
    this.log('ERROR', message);
  }
}
