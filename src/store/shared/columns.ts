/**
 * How a column reads back alike on both engines: a JSON column is text from SQLite and already
 * parsed from PostgreSQL's JSONB; a number may come as a bigint or a string (PostgreSQL's BIGINT,
 * counts), and an empty one as null.
 */
export const jsonColumn = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** A column that may be empty: null stays null, anything else is read as a number. */
export const orNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
