/**
 * The log: lines appended to `<workspace>/logs/fast-intercom-mcp.log`, and to stderr when verbose.
 * Never stdout, which belongs to MCP. Every registered secret is masked before a line is written.
 * The logs folder is made at the first line, and only inside a workspace that exists: a command
 * that only reads must not create directories, and a mistyped --workspace must not become one. A
 * log that cannot be written (a read-only workspace) goes to stderr instead, said once.
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogLevel } from './settings.js';
import { redact } from '../redact.js';

/** Logs already found unwritable by this process: the note about one is made once. */
const unwritable = new Set<string>();

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40 };

export class Logger {
  private readonly secrets = new Set<string>();
  private fileUsable = true;
  /** Set once the logs folder is known to exist: after that, a line costs one append, no stats. */
  private folderReady = false;

  constructor(private readonly opts: { file?: string; level: LogLevel; stderr: boolean }) {}

  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    return redact(text, this.secrets);
  }

  /** `toStderr: false` for a line the caller says on stderr itself, such as a command's `error:` line. */
  log(level: LogLevel, message: string, toStderr = true): void {
    if (RANK[level] < RANK[this.opts.level]) return;
    const line = `${new Date().toISOString()} ${level.padEnd(7)} ${this.redact(message)}\n`;
    const written = this.toFile(line);
    if (toStderr && (this.opts.stderr || (!written && !this.fileUsable))) process.stderr.write(line);
  }

  /** False when the line could not go to the file. */
  private toFile(line: string): boolean {
    const file = this.opts.file;
    if (!file || !this.fileUsable) return false;
    const logDir = dirname(file);
    if (!this.folderReady && !existsSync(dirname(logDir))) return false;
    try {
      if (!this.folderReady && !existsSync(logDir)) mkdirSync(logDir, { mode: 0o700 });
      appendFileSync(file, line, { mode: 0o600 });
      this.folderReady = true;
      return true;
    } catch (e) {
      this.fileUsable = false;
      if (unwritable.has(file)) return false;
      unwritable.add(file);
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'EROFS'
          ? 'a read-only file system'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : String(e);
      process.stderr.write(`note: cannot write the log ${file} (${why}): logging to stderr instead\n`);
      return false;
    }
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
