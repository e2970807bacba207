/**
 * The engines every store, sync and MCP test runs against, one suite looped over them (as
 * Kysely's tests loop over dialects): SQLite in a temporary workspace, PostgreSQL in a fresh
 * database on a real server.
 */
import { openStore, type OpenOptions, type StoreTarget } from '../../src/store/open.js';
import type { EngineName, Store } from '../../src/store/types.js';
import { tempWorkspace } from './cli.js';
import { SELECTED_ENGINES } from './engine-selection.js';
import { freshDatabase } from './postgres-server.js';

export interface TestEngine {
  name: EngineName;
  /** A new, empty copy of this engine's kind. */
  fresh: () => Promise<StoreTarget>;
}

const ALL_ENGINES: TestEngine[] = [
  { name: 'sqlite', fresh: async () => ({ workspaceDir: tempWorkspace() }) },
  {
    name: 'postgres',
    fresh: async () => ({ workspaceDir: tempWorkspace(), databaseUrl: await freshDatabase() }),
  },
];

/** Those FASTINTERCOM_TEST_ENGINES selects (engine-selection.ts): both unless narrowed. */
export const ENGINES = ALL_ENGINES.filter((e) => SELECTED_ENGINES.includes(e.name));

/** A fresh copy on this engine, opened. */
export async function freshStore(
  engine: TestEngine,
  opts: OpenOptions = {},
): Promise<{ store: Store; target: StoreTarget }> {
  const target = await engine.fresh();
  return { store: await openStore(target, opts), target };
}

/** The environment a child process needs to use this copy. */
export function targetEnv(target: StoreTarget): Record<string, string> {
  return {
    FASTINTERCOM_WORKSPACE: target.workspaceDir,
    ...(target.databaseUrl ? { FASTINTERCOM_DATABASE_URL: target.databaseUrl } : {}),
  };
}
