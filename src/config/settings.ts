/**
 * Settings: `config.json` in the workspace (written 0600, as it may hold the token), overridden by
 * the environment names of the original tool. Parsed once here; the rest of the code trusts it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { REGION_BASE_URLS, type Region } from './regions.js';
import { PERSONAL_DATA_KINDS, type PersonalDataKind } from '../personal-data.js';
import type { StoreTarget } from '../store/open.js';
import type { WorkspacePaths } from './workspace-paths.js';

export class ConfigError extends Error {}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const fileConfigSchema = z.object({
  access_token: z.string().min(1).optional(),
  region: z.enum(['us', 'eu', 'au']).optional(),
  api_base_url: z.url().optional(),
  initial_sync_days: z.number().int().min(1).max(3650).default(30),
  background_sync_interval_minutes: z.number().int().min(0).optional(),
  max_sync_age_minutes: z.number().int().min(0).optional(),
  log_level: z.enum(LOG_LEVELS).optional(),
  workspace_name: z.string().optional(),
  database_url: z.string().optional(),
  /** The Intercom app's client secret, which signs its webhook notifications. */
  webhook_secret: z.string().min(1).optional(),
  /** Serve only tools that change nothing (FASTINTERCOM_READ_ONLY, --read-only). */
  read_only: z.boolean().optional(),
  /** Serve only these tools (FASTINTERCOM_TOOLS, --tools). */
  tools: z.array(z.string()).optional(),
  /** Serve every tool but these (FASTINTERCOM_EXCLUDE_TOOLS, --exclude-tools). */
  exclude_tools: z.array(z.string()).optional(),
  /** Customers' personal data replaced in every answer (FASTINTERCOM_REDACT, --redact). */
  redact: z.array(z.enum(PERSONAL_DATA_KINDS)).optional(),
  /** And kept out of the copy (FASTINTERCOM_REDACT_AT_SYNC, --redact-at-sync). */
  redact_at_sync: z.boolean().optional(),
  /** Serve the tools that write to Intercom (FASTINTERCOM_ALLOW_WRITES, --allow-writes). */
  allow_writes: z.boolean().optional(),
  /** And the one that replies to customers (FASTINTERCOM_ALLOW_REPLIES, --allow-replies). */
  allow_replies: z.boolean().optional(),
  /** The admin writes are made as: an id or email (FASTINTERCOM_WRITE_AS, --write-as). */
  write_as: z.string().min(1).optional(),
  timezone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as America/Los_Angeles')
    .optional(),
});
export type FileConfig = z.infer<typeof fileConfigSchema>;

/**
 * Which writes to Intercom a server offers: none (the default), internal ones (notes, tags,
 * assignments, states), or those and replies customers see.
 */
export type WriteTier = 'off' | 'internal' | 'replies';

/** The tools a server is narrowed to by whoever runs it (mcp/tool-selection.ts checks the names). */
export interface ToolNarrowing {
  readOnly: boolean;
  writes: WriteTier;
  /** Only these, when given. */
  only: readonly string[] | undefined;
  exclude: readonly string[];
}

export interface Settings {
  paths: WorkspacePaths;
  file: FileConfig;
  token: string | undefined;
  /** FASTINTERCOM_WEBHOOK_SECRET or `webhook_secret`: with it, `serve` receives webhooks. */
  webhookSecret: string | undefined;
  /** FASTINTERCOM_WEBHOOK_RETRY_SECONDS: the first wait before a failed notification is tried again. */
  webhookRetrySeconds: number;
  baseUrl: string;
  region: Region;
  logLevel: LogLevel;
  maxSyncAgeMinutes: number;
  backgroundSyncIntervalMinutes: number;
  initialSyncDays: number;
  /**
   * FASTINTERCOM_MAX_SYNC_CONVERSATIONS: each sync the server runs stops after this many
   * conversations and the next one resumes (a trial on a huge workspace, the integration test's cap).
   */
  maxSyncConversations: number | undefined;
  /** Overrides the workspace's own time zone (Intercom's `app.timezone`) for reading timeframes. */
  timezone: string | undefined;
  /** Which copy: the workspace's SQLite file, or the PostgreSQL database a URL names. */
  store: StoreTarget;
  tools: ToolNarrowing;
  /** The kinds of personal data every answer masks (personal-data.ts). */
  redact: ReadonlySet<PersonalDataKind>;
  /** The kinds masked before anything is stored (sync/masked-at-sync.ts); undefined: none. */
  redactAtSync: ReadonlySet<PersonalDataKind> | undefined;
  /** The admin writes are made as (an id or email); undefined: the token's own. */
  writeAs: string | undefined;
}

export function readFileConfig(paths: WorkspacePaths): FileConfig {
  if (!existsSync(paths.configFile)) return fileConfigSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(paths.configFile, 'utf8'));
  } catch {
    throw new ConfigError(
      `${paths.configFile} is not valid JSON: fix it or run \`fast-intercom-mcp init\` again.`,
    );
  }
  const parsed = fileConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `${paths.configFile} is invalid: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`,
    );
  }
  return parsed.data;
}

export function writeFileConfig(paths: WorkspacePaths, config: FileConfig): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  writeFileSync(paths.configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(paths.configFile, 0o600);
}

function envInt(env: NodeJS.ProcessEnv, name: string, unit = 'minutes'): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(`${name} must be a whole number of ${unit}, got '${value}'`);
  return n;
}

/** Replies go on top of the internal writes, never alone: a setting asking for them alone is refused. */
export function writeTier(
  writes: boolean | undefined,
  replies: boolean | undefined,
  from: string,
): WriteTier {
  if (replies && !writes)
    throw new ConfigError(
      `${from}: replies to customers go on top of the internal writes; allow those too (--allow-writes, FASTINTERCOM_ALLOW_WRITES)`,
    );
  return replies ? 'replies' : writes ? 'internal' : 'off';
}

/** Yes or no; empty is unset (a desktop bundle passes a setting the user cleared as ''). */
function envFlag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return undefined;
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['0', 'false', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be 1 or 0 (true or false), got '${value.slice(0, 20)}'`);
}

/** A comma-separated list; empty is unset. */
export function listOf(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** `emails,phones,cards` or any of them; empty is none. */
export function readRedaction(value: string, from: string): ReadonlySet<PersonalDataKind> {
  const kinds = listOf(value) ?? [];
  const unknown = kinds.filter((k) => !(PERSONAL_DATA_KINDS as readonly string[]).includes(k));
  if (unknown.length)
    throw new ConfigError(
      `${from} takes ${PERSONAL_DATA_KINDS.join(', ')} (comma-separated), got '${unknown.join(',').slice(0, 60)}'`,
    );
  return new Set(kinds as PersonalDataKind[]);
}

/** What a masked copy keeps out: what the answers mask, or all of it when they mask nothing. */
export const keptOutAtSync = (redact: ReadonlySet<PersonalDataKind>): ReadonlySet<PersonalDataKind> =>
  redact.size ? redact : new Set(PERSONAL_DATA_KINDS);

export function readLogLevel(value: string | undefined, from: string): LogLevel {
  const level = (value || 'INFO').toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new ConfigError(`${from} must be one of ${LOG_LEVELS.join(', ')}, got '${level.slice(0, 40)}'`);
  return level as LogLevel;
}

function readTimezone(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!IANAZone.isValidZone(value))
    throw new ConfigError(
      `FASTINTERCOM_TIMEZONE must be an IANA time zone such as America/Los_Angeles, got '${value.slice(0, 60)}'`,
    );
  return value;
}

/**
 * FASTINTERCOM_DATABASE_URL, else `database_url`: a PostgreSQL URL, or nothing for the embedded
 * file. The value may hold a password, so an error names the variable, never the value.
 */
function readDatabaseUrl(value: string | undefined, from: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(`${from} is not a URL: expected postgres://user:password@host:5432/database`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new ConfigError(
      `${from} must be a postgres:// URL (postgres://user:password@host:5432/database); leave it unset for the embedded SQLite file`,
    );
  return value.trim();
}

/**
 * `testMode`: the testing procedures' own variables win (FASTINTERCOM_TEST_LOG_LEVEL, as
 * FASTINTERCOM_TEST_WORKSPACE does for the workspace).
 */
/** `redactAtSync`: the command line's `--redact-at-sync`, over the variable and the file. */
export function loadSettings(
  paths: WorkspacePaths,
  env = process.env,
  testMode = false,
  redactAtSync?: boolean,
): Settings {
  const file = readFileConfig(paths);
  // Empty means unset: a desktop bundle passes a setting the user cleared as ''.
  const regionRaw = (env.INTERCOM_REGION || file.region || 'us').toLowerCase();
  if (!(regionRaw in REGION_BASE_URLS))
    throw new ConfigError(`INTERCOM_REGION must be us, eu or au, got '${regionRaw}'`);
  const region = regionRaw as Region;
  const levelVariable =
    testMode && env.FASTINTERCOM_TEST_LOG_LEVEL ? 'FASTINTERCOM_TEST_LOG_LEVEL' : 'FASTINTERCOM_LOG_LEVEL';
  const level = readLogLevel(env[levelVariable] || file.log_level, levelVariable);
  const redact =
    env.FASTINTERCOM_REDACT !== undefined && env.FASTINTERCOM_REDACT.trim() !== ''
      ? readRedaction(env.FASTINTERCOM_REDACT, 'FASTINTERCOM_REDACT')
      : new Set(file.redact ?? []);
  return {
    paths,
    file,
    token: env.INTERCOM_ACCESS_TOKEN || file.access_token,
    webhookSecret: env.FASTINTERCOM_WEBHOOK_SECRET || file.webhook_secret,
    webhookRetrySeconds: envInt(env, 'FASTINTERCOM_WEBHOOK_RETRY_SECONDS', 'seconds') ?? 30,
    baseUrl: env.INTERCOM_API_BASE_URL || file.api_base_url || REGION_BASE_URLS[region],
    region,
    logLevel: level,
    maxSyncAgeMinutes: envInt(env, 'FASTINTERCOM_MAX_SYNC_AGE_MINUTES') ?? file.max_sync_age_minutes ?? 5,
    backgroundSyncIntervalMinutes:
      envInt(env, 'FASTINTERCOM_BACKGROUND_SYNC_INTERVAL') ?? file.background_sync_interval_minutes ?? 10,
    initialSyncDays: file.initial_sync_days,
    maxSyncConversations: envInt(env, 'FASTINTERCOM_MAX_SYNC_CONVERSATIONS', 'conversations') || undefined,
    timezone: readTimezone(env.FASTINTERCOM_TIMEZONE) ?? file.timezone,
    redact,
    redactAtSync:
      (redactAtSync ?? envFlag(env, 'FASTINTERCOM_REDACT_AT_SYNC') ?? file.redact_at_sync)
        ? keptOutAtSync(redact)
        : undefined,
    writeAs: env.FASTINTERCOM_WRITE_AS?.trim() || file.write_as,
    tools: {
      readOnly: envFlag(env, 'FASTINTERCOM_READ_ONLY') ?? file.read_only ?? false,
      writes: writeTier(
        envFlag(env, 'FASTINTERCOM_ALLOW_WRITES') ?? file.allow_writes,
        envFlag(env, 'FASTINTERCOM_ALLOW_REPLIES') ?? file.allow_replies,
        'FASTINTERCOM_ALLOW_REPLIES or allow_replies',
      ),
      only: listOf(env.FASTINTERCOM_TOOLS) ?? file.tools,
      exclude: listOf(env.FASTINTERCOM_EXCLUDE_TOOLS) ?? file.exclude_tools ?? [],
    },
    store: {
      workspaceDir: paths.dir,
      databaseUrl:
        readDatabaseUrl(env.FASTINTERCOM_DATABASE_URL, 'FASTINTERCOM_DATABASE_URL') ??
        readDatabaseUrl(file.database_url, `database_url in ${paths.configFile}`),
    },
  };
}

export function requireToken(settings: Settings): string {
  if (!settings.token) {
    throw new ConfigError(
      'No Intercom access token: set INTERCOM_ACCESS_TOKEN or run `fast-intercom-mcp init --token-file -` and paste it.',
    );
  }
  return settings.token;
}
