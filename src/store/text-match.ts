/**
 * How a person's text is matched against names and emails, and how a conversation is named: the
 * same rules for every engine and every answer.
 */
import type { ReferenceKind } from './types.js';

/**
 * The key a name or email is matched by: lower case and without diacritics, by Unicode's rules
 * (JavaScript's, so that every engine folds alike: SQLite's own LIKE folds ASCII only, and
 * PostgreSQL's depends on the database's locale). "ÉLODIE" and "elodie" share a key.
 */
export function fold(text: string): string;
export function fold(text: string | null): string | null;
export function fold(text: string | null): string | null {
  return text === null
    ? null
    : text
        .toLowerCase()
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '');
}

export interface NamedRow {
  id: string;
  name: string | null;
  email: string | null;
}

/** Every row of a kind of reference data, for matchReference (these tables hold hundreds of rows). */
export const REFERENCE_ROWS: Record<ReferenceKind, string> = {
  admin: 'SELECT id, name, email FROM admins ORDER BY name',
  team: 'SELECT id, name, NULL AS email FROM teams ORDER BY name',
  tag: 'SELECT id, name, NULL AS email FROM tags ORDER BY name',
};

/**
 * The admins, teams or tags a person's text names: by id, or whole name or email, ignoring case
 * and diacritics; failing that, those whose name contains it (in the rows' order).
 */
export function matchReference<T extends NamedRow>(rows: T[], text: string): T[] {
  const key = fold(text.trim());
  const exact = rows.filter((r) => r.id === text || fold(r.name) === key || fold(r.email) === key);
  if (exact.length > 0) return exact;
  return rows.filter((r) => fold(r.name)?.includes(key));
}

/** A contact's keys, written with its name and email. */
export const contactKeys = (c: { name: string | null; email: string | null }) => ({
  nameKey: fold(c.name),
  emailKey: fold(c.email),
});

/** The pattern CONTACT_MATCHES takes for a person's text. */
export const contactPattern = (text: string) => likeContains(fold(text));

/** The keys of `contacts k` a person's text is looked for in. */
export const CONTACT_KEYS = ['k.email_key', 'k.name_key'] as const;

/** `contacts k` whose email or name key contains a contactPattern. */
export const CONTACT_MATCHES = (like: string) =>
  `(${CONTACT_KEYS.map((key) => `${key} LIKE ${like} ESCAPE '\\'`).join(' OR ')})`;

/** Text with LIKE's `%`, `_` and `\` made literal (use with ESCAPE '\'). */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern for "contains" (use with ESCAPE '\'). */
export const likeContains = (text: string) => `%${likeLiteral(text)}%`;

/** A LIKE pattern for "starts with" (use with ESCAPE '\'). */
export const likeStartsWith = (text: string) => `${likeLiteral(text)}%`;

/**
 * What a conversation is called everywhere: its title, else its email subject, else the first
 * line of its opening message, cut at 100 characters; "(no subject)" when it has none of them.
 */
export function subjectOf(c: {
  title: string | null;
  subject: string | null;
  sourceBody: string | null;
}): string {
  const first = (c.sourceBody ?? '').trim().split('\n')[0]!.trim();
  return c.title?.trim() || c.subject?.trim() || (first ? first.slice(0, 100) : '(no subject)');
}
