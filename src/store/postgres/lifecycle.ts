/** Finding and dropping the PostgreSQL copy: our schema, and nothing else in the database. */
import pg from 'pg';
import { translatePgError } from './connection.js';
import { describeUrl } from './url.js';
import { SCHEMA } from './migrations.js';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    return await fn(client);
  } catch (e) {
    throw translatePgError(e, describeUrl(url));
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function schemaExists(url: string): Promise<boolean> {
  return withClient(
    url,
    async (c) =>
      (await c.query<{ t: string | null }>(`SELECT to_regclass('${SCHEMA}.schema_version') AS t`)).rows[0]!
        .t !== null,
  );
}

/** Drops this product's schema (its tables, indexes and search configuration); true if there was one. */
export function dropSchema(url: string): Promise<boolean> {
  return withClient(url, async (c) => {
    const existed = (
      await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [SCHEMA])
    ).rows[0]!.n;
    await c.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    return existed > 0;
  });
}
