/**
 * The MCP client configurations a user may have pointed at fast-intercom-mcp: where each client
 * keeps its file on this platform, the servers in it that run fast-intercom-mcp, and whether the
 * command they launch exists. A GUI client does not read the shell's start-up files, so a command
 * is looked up on this process's PATH only as a hint; an absolute path is what works everywhere.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { z } from 'zod';

export interface ClientConfigFile {
  client: string;
  path: string;
  /** The key holding the servers: `mcpServers`, or VS Code's `servers`. */
  key: 'mcpServers' | 'servers';
}

export function clientConfigFiles(
  home: string,
  cwd: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): ClientConfigFile[] {
  const claudeDesktopDir =
    platform === 'darwin'
      ? join(home, 'Library', 'Application Support', 'Claude')
      : platform === 'win32'
        ? join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Claude')
        : join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Claude');
  return [
    {
      client: 'Claude Desktop',
      path: join(claudeDesktopDir, 'claude_desktop_config.json'),
      key: 'mcpServers',
    },
    { client: 'Cursor', path: join(home, '.cursor', 'mcp.json'), key: 'mcpServers' },
    { client: 'Cursor (this project)', path: join(cwd, '.cursor', 'mcp.json'), key: 'mcpServers' },
    { client: 'Claude Code', path: join(home, '.claude.json'), key: 'mcpServers' },
    { client: 'Claude Code (this project)', path: join(cwd, '.mcp.json'), key: 'mcpServers' },
    { client: 'VS Code (this project)', path: join(cwd, '.vscode', 'mcp.json'), key: 'servers' },
  ];
}

const serverSchema = z.looseObject({
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  url: z.string().optional(),
});
const configSchema = z.looseObject({
  mcpServers: z.record(z.string(), serverSchema).optional(),
  servers: z.record(z.string(), serverSchema).optional(),
});

export interface ServerEntry {
  client: string;
  path: string;
  name: string;
  command: string;
  args: string[];
}

export type ConfigReading =
  | { file: ClientConfigFile; entries: ServerEntry[] }
  | { file: ClientConfigFile; error: string };

/** By name, command or arguments: a clone may live in a folder of any name, its server named for Intercom. */
const mentionsUs = (text: string) => /intercom/i.test(text);

/** The servers of each existing config file that launch fast-intercom-mcp. */
export function readClientConfigs(files: ClientConfigFile[]): ConfigReading[] {
  const readings: ConfigReading[] = [];
  for (const file of files) {
    if (!existsSync(file.path)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file.path, 'utf8'));
    } catch (e) {
      readings.push({ file, error: `not valid JSON (${(e as Error).message.slice(0, 80)})` });
      continue;
    }
    const parsed = configSchema.safeParse(raw);
    if (!parsed.success) {
      readings.push({ file, error: `"${file.key}" is not a map of servers` });
      continue;
    }
    const servers = parsed.data[file.key] ?? {};
    const entries = Object.entries(servers)
      .filter(([name, s]) => mentionsUs([name, s.command ?? '', ...(s.args ?? [])].join(' ')))
      .filter(([, s]) => s.command !== undefined)
      .map(([name, s]) => ({
        client: file.client,
        path: file.path,
        name,
        command: s.command!,
        args: s.args ?? [],
      }));
    if (entries.length > 0) readings.push({ file, entries });
  }
  return readings;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where a command resolves: itself when absolute, else the first PATH entry holding it. */
export function resolveCommand(command: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  if (isAbsolute(command)) return executable(command) ? command : undefined;
  const names = process.platform === 'win32' ? [command, `${command}.cmd`, `${command}.exe`] : [command];
  for (const dir of pathEnv.split(delimiter).filter(Boolean))
    for (const name of names) if (executable(join(dir, name))) return join(dir, name);
  return undefined;
}

export interface EntryVerdict {
  ok: boolean;
  /** What is wrong, or what the entry runs. */
  detail: string;
}

/** Whether an entry launches something that exists, and (for `node FILE`) whether FILE does. */
export function judgeEntry(entry: ServerEntry, pathEnv = process.env.PATH ?? ''): EntryVerdict {
  const where = `${entry.client} "${entry.name}"`;
  const resolved = resolveCommand(entry.command, pathEnv);
  if (!resolved) return { ok: false, detail: `${where} runs \`${entry.command}\`, which is not found` };
  const program = entry.command.split(/[\\/]/).at(-1) ?? '';
  if (/^npx(\.cmd)?$/.test(program))
    return {
      ok: false,
      detail: `${where} runs npx, which downloads fast-intercom-mcp from the npm registry, where it is not published yet`,
    };
  const script = entry.args.find((a) => /\.(c|m)?js$/.test(a));
  if (/^node(\.exe)?$/.test(program) && script && !existsSync(script))
    return { ok: false, detail: `${where} runs node ${script}, which does not exist` };
  return {
    ok: true,
    detail: `${where} runs ${resolved}${entry.args.length ? ` ${entry.args.join(' ')}` : ''}`,
  };
}
