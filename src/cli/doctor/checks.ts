/**
 * `doctor`'s checks, each one line with its fix: Node.js, the native SQLite module, Intercom (reach,
 * clock, token, permissions), the workspace's files, the database, and the MCP clients' configs.
 * None writes: the database is opened read-only, and nothing is created.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Settings } from '../../config/settings.js';
import { IntercomApi } from '../../intercom/client.js';
import { probeReach } from '../../intercom/reach.js';
import { checkApiConnection } from '../../integration/api-check.js';
import { MIN_NODE_MAJOR, PACKAGE_ROOT } from '../../package-root.js';
import { engineOf, openStore, storeLocation } from '../../store/open.js';
import { StoreError } from '../../store/errors.js';
import { clientConfigFiles, judgeEntry, readClientConfigs } from './client-configs.js';
import { writable } from '../../fs-access.js';
import { nativeModuleProblem } from '../../sync/failures.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** Beyond this, times in answers and the pacing of calls by Intercom's clock are visibly off. */
export const MAX_CLOCK_OFFSET_S = 60;

export function checkNode(version = process.versions.node): CheckResult {
  const major = Number(version.split('.')[0]);
  return major >= MIN_NODE_MAJOR
    ? { name: 'Node.js', status: 'ok', detail: `${version} (needs ${MIN_NODE_MAJOR} or newer)` }
    : {
        name: 'Node.js',
        status: 'fail',
        detail: `${version} is too old: fast-intercom-mcp needs ${MIN_NODE_MAJOR} or newer`,
        fix: `install Node.js ${MIN_NODE_MAJOR} or 22 (nodejs.org, or \`nvm install 22\`), then rebuild: cd ${PACKAGE_ROOT} && npm rebuild better-sqlite3`,
      };
}

/** The native module loads for this Node.js: built, and built for this ABI. */
export function checkNativeModule(root = PACKAGE_ROOT): CheckResult {
  const name = 'Native module';
  const fix = `cd ${root} && npm rebuild better-sqlite3 (it compiles for this Node.js; a few minutes)`;
  try {
    const Database = createRequire(`${root}/package.json`)(
      'better-sqlite3',
    ) as typeof import('better-sqlite3');
    new Database(':memory:').close();
    return {
      name,
      status: 'ok',
      detail: `better-sqlite3 loads for Node.js ${process.versions.node} (ABI ${process.versions.modules})`,
    };
  } catch (e) {
    return { name, status: 'fail', detail: nativeModuleProblem((e as Error).message), fix };
  }
}

export async function checkIntercomReach(baseUrl: string): Promise<CheckResult[]> {
  const reach = await probeReach(baseUrl);
  if (!reach.reached)
    return [
      {
        name: 'Intercom',
        status: 'fail',
        detail: `cannot reach ${baseUrl} (${reach.why})`,
        fix: 'check the network and any proxy (HTTPS_PROXY), and INTERCOM_REGION or INTERCOM_API_BASE_URL',
      },
      { name: 'Clock', status: 'skip', detail: 'Intercom not reached' },
    ];
  const intercom: CheckResult = {
    name: 'Intercom',
    status: 'ok',
    detail: `${baseUrl} answers (HTTP ${reach.status} without a token)`,
  };
  if (reach.clockOffsetMs === undefined)
    return [intercom, { name: 'Clock', status: 'warn', detail: 'Intercom sent no Date header' }];
  const offsetS = reach.clockOffsetMs / 1000;
  return [
    intercom,
    Math.abs(offsetS) > MAX_CLOCK_OFFSET_S
      ? {
          name: 'Clock',
          status: 'fail',
          detail: `this machine's clock is ${Math.abs(offsetS).toFixed(0)} s ${offsetS > 0 ? 'behind' : 'ahead of'} Intercom's`,
          fix: 'turn on network time (macOS: System Settings → Date & Time; Linux: timedatectl set-ntp true)',
        }
      : {
          name: 'Clock',
          status: 'ok',
          detail: `within ${Math.max(1, Math.abs(offsetS)).toFixed(0)} s of Intercom's`,
        },
  ];
}

/** The token against GET /me, then the permissions the sync needs, by the integration test's probes. */
export async function checkToken(settings: Settings): Promise<CheckResult[]> {
  if (!settings.token)
    return [
      {
        name: 'Token',
        status: 'fail',
        detail: 'no Intercom access token',
        fix: 'set INTERCOM_ACCESS_TOKEN, or run `fast-intercom-mcp init --token-file -` and paste it (Intercom Developer Hub → your app → Authentication)',
      },
      { name: 'Permissions', status: 'skip', detail: 'no token to check' },
    ];
  // Not the commands' createApi: its request log writes to the workspace, and doctor writes nothing.
  const api = new IntercomApi({
    baseUrl: settings.baseUrl,
    token: settings.token,
    requestOptions: { maxAttempts: 2 },
  });
  const { items } = await checkApiConnection(api);
  const me = items.find((i) => i.label === 'Status');
  const permissions = items.find((i) => i.label === 'Permissions');
  const tokenFix =
    'check INTERCOM_ACCESS_TOKEN (or the token `init` saved): mistyped, revoked, or from another region (INTERCOM_REGION)';
  const permissionsFix =
    'in the Intercom Developer Hub, give the app "Read conversations" and "Read and list users and companies" ("Read admins" and "Read tags" for names, "Read tickets" for tickets, "Read articles" for the Help Center)';
  return [
    me?.mark === 'pass'
      ? { name: 'Token', status: 'ok', detail: me.value }
      : { name: 'Token', status: 'fail', detail: me?.value ?? 'no answer', fix: tokenFix },
    !permissions
      ? { name: 'Permissions', status: 'skip', detail: 'the token was refused' }
      : {
          name: 'Permissions',
          status: permissions.mark === 'pass' ? 'ok' : permissions.mark === 'warn' ? 'warn' : 'fail',
          detail: permissions.value,
          ...(permissions.mark === 'pass' ? {} : { fix: permissionsFix }),
        },
  ];
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** The workspace's directory and the files holding the token or customer data: owner-only. */
export function checkWorkspaceFiles(settings: Settings): CheckResult {
  const name = 'Workspace';
  const { dir, configFile, httpTokenFile } = settings.paths;
  if (!existsSync(dir))
    return {
      name,
      status: 'fail',
      detail: `${dir} does not exist`,
      fix: 'run `fast-intercom-mcp init` (or check --workspace and FASTINTERCOM_WORKSPACE)',
    };
  const secretFiles = [configFile, httpTokenFile]
    .filter((f) => existsSync(f))
    .concat(engineOf(settings.store).files(settings.store));
  const open = secretFiles.filter((f) => (modeOf(f) & 0o077) !== 0);
  if (open.length > 0)
    return {
      name,
      status: 'fail',
      detail: `readable by other users: ${open.map((f) => `${f} (${modeOf(f).toString(8)})`).join(', ')}`,
      fix: `chmod 600 ${open.join(' ')}`,
    };
  const files = secretFiles.length
    ? `${secretFiles.map((f) => f.slice(dir.length + 1)).join(', ')} owner-only`
    : 'no files yet';
  if (!writable(dir))
    return {
      name,
      status: 'warn',
      detail: `${dir}: ${files}, read-only for this user: queries work, syncs do not`,
      fix: 'sync as the owner, or make it writable for this user',
    };
  return { name, status: 'ok', detail: `${dir}: ${files}, writable` };
}

export async function checkDatabase(settings: Settings): Promise<CheckResult> {
  const name = 'Database';
  const where = storeLocation(settings.store).description;
  const rebuild = '`fast-intercom-mcp reset --yes` then `fast-intercom-mcp sync` rebuild it from Intercom';
  try {
    if (!(await engineOf(settings.store).exists(settings.store)))
      return {
        name,
        status: 'fail',
        detail: `no database yet at ${where}`,
        fix: 'run `fast-intercom-mcp sync`',
      };
    const store = await openStore(settings.store, { readOnly: true });
    try {
      const problems = await store.integrityProblems();
      const status = await store.status();
      if (problems.length > 0)
        return {
          name,
          status: 'fail',
          detail: `${where} is damaged: ${problems.slice(0, 2).join('; ')}`,
          fix: rebuild,
        };
      return {
        name,
        status: 'ok',
        detail: `${where} (${store.engine}), intact, schema ${status.schemaVersion}, ${status.conversations.toLocaleString('en-US')} conversations`,
      };
    } finally {
      await store.close();
    }
  } catch (e) {
    const kind = e instanceof StoreError ? e.kind : undefined;
    // An older schema is upgraded by the next write (a sync): nothing is wrong.
    if (kind === 'read_only') return { name, status: 'warn', detail: (e as Error).message };
    return {
      name,
      status: 'fail',
      detail: (e as Error).message,
      fix: kind === 'newer_schema' ? 'upgrade fast-intercom-mcp to the version that wrote it' : rebuild,
    };
  }
}

export function checkClients(home: string, cwd: string): CheckResult[] {
  const readings = readClientConfigs(clientConfigFiles(home, cwd));
  const fix =
    'point it at the installed command: "command": "fast-intercom-mcp" after `npm link` (or its absolute path, `command -v fast-intercom-mcp`), "args": ["start"]';
  if (readings.length === 0)
    return [
      {
        name: 'MCP clients',
        status: 'warn',
        detail: 'no Claude Desktop, Cursor, Claude Code or VS Code config runs fast-intercom-mcp',
        fix: 'add it as the README\'s "Connect a client" says',
      },
    ];
  return readings.flatMap((r): CheckResult[] => {
    if ('error' in r)
      return [
        {
          name: 'MCP clients',
          status: 'fail',
          detail: `${r.file.path}: ${r.error}`,
          fix: 'fix the file (a JSON object)',
        },
      ];
    return r.entries.map((entry) => {
      const verdict = judgeEntry(entry);
      return verdict.ok
        ? { name: 'MCP clients', status: 'ok', detail: verdict.detail }
        : { name: 'MCP clients', status: 'fail', detail: `${verdict.detail} (${entry.path})`, fix };
    });
  });
}
