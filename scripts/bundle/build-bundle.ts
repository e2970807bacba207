/**
 * `npm run bundle`: an MCP Bundle (`.mcpb`), the zip Claude Desktop installs in one click. It holds
 * the compiled server, the vendored OpenAPI description, the production dependencies and a
 * manifest whose user settings are the token (sensitive: Claude Desktop keeps it in the system
 * keychain) and the region. The copy is the default workspace, ~/.fast-intercom-mcp, which the
 * command line shares: a setting for another folder would need `${HOME}` expanded in a default,
 * which mcpb's own resolver does not do. The native SQLite module is the one built here,
 * so the bundle is for this platform only, and says so in its manifest.
 *
 * Usage: node dist/scripts/bundle/build-bundle.js [--output FILE] [--stage DIR]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { TOOLS } from '../../src/mcp/tools/index.js';
import { MIN_NODE_MAJOR, PACKAGE_ROOT, PACKAGE_VERSION } from '../../src/package-root.js';

const { values } = parseArgs({
  options: {
    output: { type: 'string', default: join(PACKAGE_ROOT, 'dist', 'fast-intercom-mcp.mcpb') },
    stage: { type: 'string', default: join(PACKAGE_ROOT, 'dist', 'bundle') },
  },
});
const output = values.output;
const stage = values.stage;
const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  description: string;
  license: string;
  type: string;
  dependencies: Record<string, string>;
};

/** The installed production dependencies, each folder once: `npm ls` knows the tree npm built. */
function productionPackages(): string[] {
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const dirs = ls.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && l !== PACKAGE_ROOT);
  if (dirs.length === 0) throw new Error(`npm ls listed no dependencies: ${ls.stderr.trim()}`);
  return dirs;
}

/** better-sqlite3 needs only its JavaScript and the compiled addon, not SQLite's sources or the build's objects. */
function keep(packageDir: string, path: string): boolean {
  const rel = relative(packageDir, path);
  if (rel === 'node_modules' || rel.startsWith(`node_modules${sep}`)) return false;
  if (packageDir.endsWith(`${sep}better-sqlite3`))
    return (
      rel === '' ||
      rel === 'package.json' ||
      rel === 'lib' ||
      rel.startsWith(`lib${sep}`) ||
      rel === 'build' ||
      rel === join('build', 'Release') ||
      rel === join('build', 'Release', 'better_sqlite3.node')
    );
  return true;
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync(join(PACKAGE_ROOT, 'dist', 'src'), join(stage, 'dist', 'src'), {
  recursive: true,
  filter: (p) => !p.endsWith('.map'),
});
for (const f of ['vendor', 'LICENSE', 'README.md'])
  cpSync(join(PACKAGE_ROOT, f), join(stage, f), { recursive: true });
cpSync(join(PACKAGE_ROOT, 'scripts', 'bundle', 'icon.png'), join(stage, 'icon.png'));
writeFileSync(
  join(stage, 'package.json'),
  `${JSON.stringify(
    {
      name: pkg.name,
      version: pkg.version,
      description: pkg.description,
      license: pkg.license,
      type: pkg.type,
      engines: { node: `>=${MIN_NODE_MAJOR}` },
      dependencies: pkg.dependencies,
    },
    null,
    2,
  )}\n`,
);
for (const dir of productionPackages()) {
  const to = join(stage, relative(PACKAGE_ROOT, dir));
  cpSync(dir, to, { recursive: true, filter: (p) => keep(dir, p) });
}
if (!existsSync(join(stage, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')))
  throw new Error('better-sqlite3 is not built here: run `npm ci` (or `npm rebuild better-sqlite3`) first');

const manifest = {
  manifest_version: '0.3',
  name: pkg.name,
  display_name: 'Intercom (fast-intercom-mcp)',
  version: PACKAGE_VERSION,
  description: pkg.description,
  long_description:
    "Keeps a local copy of your Intercom workspace's conversations and answers from it in milliseconds: search every reply, read whole threads, count and compare, look up customers. The first sync covers 30 days; it then stays current in the background.",
  author: { name: 'the fast-intercom-mcp authors' },
  license: pkg.license,
  keywords: ['intercom', 'support', 'conversations', 'customer support'],
  server: {
    type: 'node',
    entry_point: 'dist/src/cli/main.js',
    mcp_config: {
      command: 'node',
      args: ['${__dirname}/dist/src/cli/main.js', 'start'],
      env: {
        INTERCOM_ACCESS_TOKEN: '${user_config.intercom_access_token}',
        INTERCOM_REGION: '${user_config.region}',
        FASTINTERCOM_READ_ONLY: '${user_config.read_only}',
        FASTINTERCOM_TOOLS: '${user_config.tools}',
        FASTINTERCOM_EXCLUDE_TOOLS: '${user_config.exclude_tools}',
        FASTINTERCOM_REDACT: '${user_config.redact}',
        FASTINTERCOM_REDACT_AT_SYNC: '${user_config.redact_at_sync}',
        FASTINTERCOM_ALLOW_WRITES: '${user_config.allow_writes}',
        FASTINTERCOM_ALLOW_REPLIES: '${user_config.allow_replies}',
        FASTINTERCOM_WRITE_AS: '${user_config.write_as}',
      },
    },
  },
  icon: 'icon.png',
  // Whole: Claude Desktop shows them before the server runs, and a cut one misleads.
  tools: TOOLS.map((t) => ({ name: t.name, description: t.description })),
  user_config: {
    intercom_access_token: {
      type: 'string',
      title: 'Intercom access token',
      description:
        'From the Intercom Developer Hub: your app → Authentication. It needs "Read conversations" and "Read and list users and companies" ("Read admins" and "Read tags" for names).',
      sensitive: true,
      required: true,
    },
    region: {
      type: 'string',
      title: 'Intercom region',
      description: 'us, eu or au: where your Intercom workspace is hosted.',
      default: 'us',
      required: false,
    },
    read_only: {
      type: 'boolean',
      title: 'Read-only',
      description:
        'Serve only the tools that change nothing (no sync on request; the copy still syncs on its own).',
      default: false,
      required: false,
    },
    tools: {
      type: 'string',
      title: 'Only these tools',
      description: 'Tool names, comma-separated. Empty: every tool.',
      default: '',
      required: false,
    },
    exclude_tools: {
      type: 'string',
      title: 'Leave out these tools',
      description: 'Tool names, comma-separated.',
      default: '',
      required: false,
    },
    redact: {
      type: 'string',
      title: 'Mask customers’ personal data',
      description:
        'emails, phones and/or cards, comma-separated: replaced by placeholders in every answer, so they never reach the model.',
      default: '',
      required: false,
    },
    redact_at_sync: {
      type: 'boolean',
      title: 'Keep customers’ personal data out of the copy',
      description: 'Mask it before anything is stored, not only in answers. Only for a new copy.',
      default: false,
      required: false,
    },
    allow_writes: {
      type: 'boolean',
      title: 'Allow changes in Intercom',
      description:
        'Notes, tags, assignments and states, each previewed and made only after you confirm it. The token needs write access.',
      default: false,
      required: false,
    },
    allow_replies: {
      type: 'boolean',
      title: 'Allow replies to customers',
      description: 'With changes allowed: replies your customers see, previewed and confirmed the same way.',
      default: false,
      required: false,
    },
    write_as: {
      type: 'string',
      title: 'Write as',
      description: "The teammate changes and replies are made as: an email or id. Empty: the token's owner.",
      default: '',
      required: false,
    },
  },
  compatibility: {
    platforms: [process.platform],
    runtimes: { node: `>=${MIN_NODE_MAJOR}.0.0` },
  },
};
writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

/** The official CLI, a development dependency: what packs the bundle also validates its manifest. */
const MCPB_CLI = join(PACKAGE_ROOT, 'node_modules', '.bin', 'mcpb');
mkdirSync(dirname(output), { recursive: true });
rmSync(output, { force: true });
const pack = spawnSync(MCPB_CLI, ['pack', stage, output], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (pack.status !== 0 || !existsSync(output)) {
  process.stderr.write(pack.stdout + pack.stderr);
  throw new Error('mcpb pack failed');
}
process.stderr.write(
  `${output}: ${(statSync(output).size / 1e6).toFixed(1)} MB, for ${process.platform} (Node.js ≥ ${MIN_NODE_MAJOR}). Open it with Claude Desktop to install.\n`,
);
