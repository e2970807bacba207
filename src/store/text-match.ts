/**
 * How a person's text is matched against names and emails, and how a conversation is named: the
 * same rules for every engine and every answer.
 */

/** The start of a person's text, for error messages that must not echo a huge input. */
export function quote(text: string, max = 60): string {
  const t = text.trim();
  return `"${t.length > max ? `${t.slice(0, max)}…` : t}"`;
}

/** A LIKE pattern for "contains", with `%`, `_` and `\` literal (use with ESCAPE '\'). */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

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
