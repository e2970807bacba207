/** Multi-row upserts by id, the same statement on both engines. */
import type { Insertable, Kysely } from 'kysely';
import type { SharedTables } from './tables.js';

/**
 * Rows an upsert takes at once: far below both engines' limits on bound parameters (SQLite
 * 32,766, PostgreSQL 65,535) with the widest of these tables.
 */
const UPSERT_ROWS = 1000;

/**
 * The last of each id, in batches: one statement may not update a row twice (PostgreSQL refuses
 * it), and the lists Intercom gives are read in order, so the last word on an id is its newest.
 */
function lastOfEach<T extends { id: string }>(rows: T[]): T[][] {
  const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
  return Array.from({ length: Math.ceil(unique.length / UPSERT_ROWS) }, (_, i) =>
    unique.slice(i * UPSERT_ROWS, (i + 1) * UPSERT_ROWS),
  );
}

type ById = 'admins' | 'teams' | 'tags' | 'help_collections' | 'articles' | 'ticket_types' | 'companies';

/** Rows inserted, or on an id already there, `columns` taken from the new row. */
export async function upsertById<T extends ById>(
  db: Kysely<SharedTables>,
  table: T,
  rows: (Insertable<SharedTables[T]> & { id: string })[],
  columns: (keyof SharedTables[T] & string)[],
): Promise<void> {
  // The builder cannot follow a table chosen at run time; the rows' type above says what it takes.
  const loose = (x: unknown) => x as never;
  for (const batch of lastOfEach(rows))
    await db
      .insertInto(table)
      .values(loose(batch))
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) =>
            loose(Object.fromEntries(columns.map((c) => [c, eb.ref(loose(`excluded.${c}`))]))),
          ),
      )
      .execute();
}

/** A list Intercom gives whole (collections, ticket types): its rows upserted, those it no longer has gone. */
export async function replaceListed<T extends 'help_collections' | 'ticket_types'>(
  db: Kysely<SharedTables>,
  table: T,
  rows: (Insertable<SharedTables[T]> & { id: string })[],
  columns: (keyof SharedTables[T] & string)[],
): Promise<void> {
  await upsertById(db, table, rows, columns);
  const ids = rows.map((r) => r.id);
  await db
    .deleteFrom(table as 'ticket_types')
    .$if(ids.length > 0, (q) => q.where('id', 'not in', ids))
    .execute();
}
