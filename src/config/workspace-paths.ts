/**
 * Where a workspace keeps its files: `config.json`, `data.db` and `logs/`. Chosen by the
 * `--workspace` flag, then FASTINTERCOM_WORKSPACE, then (with --test-mode) FASTINTERCOM_TEST_WORKSPACE
 * or ~/.fast-intercom-mcp-test as the seed's test procedures expect, else ~/.fast-intercom-mcp.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface WorkspacePaths {
  dir: string;
  configFile: string;
  logDir: string;
  logFile: string;
  /** `serve`'s generated bearer token, when none is given. */
  httpTokenFile: string;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

export function resolveWorkspace(
  opts: { workspace?: string; testMode?: boolean },
  env = process.env,
): WorkspacePaths {
  const chosen =
    opts.workspace ||
    env.FASTINTERCOM_WORKSPACE ||
    (opts.testMode ? env.FASTINTERCOM_TEST_WORKSPACE || '~/.fast-intercom-mcp-test' : '~/.fast-intercom-mcp');
  const dir = resolve(expandHome(chosen));
  return {
    dir,
    configFile: join(dir, 'config.json'),
    logDir: join(dir, 'logs'),
    logFile: join(dir, 'logs', 'fast-intercom-mcp.log'),
    httpTokenFile: join(dir, 'mcp-http-token'),
  };
}
