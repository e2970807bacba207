/**
 * Secrets given to a command. A flag's value is in every local user's `ps` for as long as the
 * command runs, so each secret flag has a `-file` twin that reads it from a file, or from standard
 * input as `-`; the value given on the command line still works, with a warning that says so.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/settings.js';

/** Reads a secret from `path` (`-` for standard input): its first line, trimmed. */
export function readSecretFile(path: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new ConfigError(`${flag}: cannot read ${path === '-' ? 'standard input' : path} (${code})`);
  }
  const secret = text.split(/\r?\n/)[0]!.trim();
  if (!secret) throw new ConfigError(`${flag}: ${path === '-' ? 'standard input' : path} holds no token`);
  return secret;
}

/**
 * The secret of a pair of flags (`--token` / `--token-file`), undefined when neither is given.
 * The plain flag's value is taken with a warning on stderr.
 */
export function secretFromFlags(
  value: string | undefined,
  file: string | undefined,
  flag: string,
): string | undefined {
  if (value !== undefined && file !== undefined)
    throw new ConfigError(`Give ${flag} or ${flag}-file, not both`);
  if (file !== undefined) return readSecretFile(file, `${flag}-file`);
  if (value !== undefined)
    process.stderr.write(
      `warning: ${flag} on the command line is visible to every local user (ps) while the command runs; use ${flag}-file FILE, or ${flag}-file - to read it from standard input\n`,
    );
  return value;
}
