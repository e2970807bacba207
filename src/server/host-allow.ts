/**
 * Which Host headers a server answers to. DNS rebinding is a page on a hostile name that resolves
 * to this server: refusing every Host but the server's own names defeats it. A deployment adds the
 * names it is reached by (`--allow-host`, FASTINTERCOM_ALLOWED_HOSTS): a bare name is allowed at
 * any port, since a proxy or a port mapping (`docker -p 9000:8765`) changes the port the client
 * sees; `name:port` allows that port only.
 */

export class AllowedHostError extends Error {}

const NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/;

/** The allowed names as given (a list, or one comma-separated string), checked and lower-cased. */
export function parseAllowedHosts(given: readonly string[]): string[] {
  return given
    .flatMap((g) => g.split(','))
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '')
    .map((h) => {
      if (!NAME.test(h))
        throw new AllowedHostError(
          `allowed host "${h.slice(0, 80)}" is not a host name or address (with an optional :port); give names like intercom-mcp.internal or 10.0.0.5:8765, without a scheme or path`,
        );
      return h;
    });
}

/** The Host header's name and port, lower-cased; a missing port is the scheme's, unknown here. */
function split(host: string): { name: string; port: string | undefined } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.toLowerCase());
  return m ? { name: m[1]!, port: m[2] } : { name: host.toLowerCase(), port: undefined };
}

/**
 * @param own the server's own `name:port` pairs (the bound address and loopback names)
 * @param allowed what parseAllowedHosts returned
 */
export function hostAllowed(
  host: string | undefined,
  own: ReadonlySet<string>,
  allowed: readonly string[],
): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  if (own.has(h)) return true;
  const { name, port } = split(h);
  return allowed.some((a) => {
    const entry = split(a);
    return entry.name === name && (entry.port === undefined || entry.port === port);
  });
}
