/** Opaque cursors: a small JSON object in base64url, read back only as what it claims to be. */
export const encodeCursorToken = (value: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** The object a cursor carries, or undefined for anything this server could not have made. */
export function decodeCursorToken(cursor: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
