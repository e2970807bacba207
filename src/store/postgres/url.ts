/** Query parameters of a PostgreSQL URL that carry a secret (libpq reads them as connection options). */
const SECRET_PARAMS = ['password', 'sslpassword'];

/** The URL without its password (in its userinfo or its query), as users are shown where the copy is. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const p of SECRET_PARAMS) if (u.searchParams.has(p)) u.searchParams.set(p, '***');
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** The passwords a PostgreSQL URL holds, decoded, for redaction wherever the URL may be echoed. */
export function urlPasswords(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    return [decodeURIComponent(u.password), ...SECRET_PARAMS.map((p) => u.searchParams.get(p) ?? '')].filter(
      Boolean,
    );
  } catch {
    return [];
  }
}
