/**
 * Who may use the HTTP server: a static bearer token, or (OAuth 2.1 resource-server mode) access
 * tokens that the company's authorization server issued for this server, verified as JWTs against
 * the issuer's JWKS: signature, expiry, issuer, and audience = this server's public URL. Clients
 * that follow the MCP authorization spec learn where to sign in from the protected-resource
 * metadata (RFC 9728) that every 401 names. Why a token was refused goes to the log; a response
 * says only that it was (RFC 6750's `invalid_token`), and no token is ever logged.
 */
import { timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { REPLY_SCOPE, WRITE_SCOPE } from '../actions/permissions.js';

export interface OAuthOptions {
  issuer: string;
  /** This server's MCP endpoint as its clients reach it: the audience its tokens must name. */
  publicUrl: string;
  /** The issuer's JWKS; found from its metadata (RFC 8414, else OpenID discovery) when absent. */
  jwksUrl?: string;
  /**
   * Scopes every access token must carry, which clients learn from the metadata and each 401 and
   * ask for when they sign in: issuers grant nothing for a resource unless a scope is asked for.
   */
  scopes?: string[];
  /**
   * Scopes a token may carry for more than reading, listed in the metadata so that clients can
   * ask for them: the write permissions, when writes are allowed (actions/write-desk.ts).
   */
  offeredScopes?: string[];
}

export interface AuthOptions {
  /** Accepted as is; in OAuth mode only when given explicitly (a service account's token). */
  staticToken?: string;
  oauth?: OAuthOptions;
}

/**
 * `principal` names who is calling: a session is bound to the one that opened it, so a session id
 * that leaks is no use with another user's token. `scopes`: what the token grants, of which the
 * write permissions are read (actions/write-desk.ts); the static token, a service account's, grants
 * them all.
 */
export type AuthOutcome =
  | { ok: true; principal: string; scopes: string[] }
  | { ok: false; status: 401; reason: string; tokenGiven: boolean }
  | { ok: false; status: 403; reason: string; tokenGiven: true }
  | { ok: false; status: 503; reason: string };

/** What a client is told to wait before trying again when the issuer's keys cannot be had. */
export const KEYS_RETRY_AFTER_SECONDS = 30;

/**
 * jose's codes for keys it could not get (the JWKS timed out, or answered no key set); a fetch that
 * fails outright throws without a code. Either says nothing about the token.
 */
const UNREACHABLE_KEYS = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

const METADATA_PATH = '/.well-known/oauth-protected-resource';
const DISCOVERY_TIMEOUT_MS = 5000;

const issuerMetadata = z.object({ issuer: z.string(), jwks_uri: z.string().url() });

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 8414's well-known URL (inserted before the issuer's path), then OpenID Connect's (appended). */
function discoveryUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/$/, '');
  return [
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
    `${u.origin}${path}/.well-known/openid-configuration`,
  ];
}

async function discoverJwks(issuer: string): Promise<string> {
  const problems: string[] = [];
  for (const url of discoveryUrls(issuer)) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
      if (!res.ok) {
        problems.push(`${url}: HTTP ${res.status}`);
        continue;
      }
      const meta = issuerMetadata.parse(await res.json());
      if (meta.issuer !== issuer) {
        problems.push(`${url}: names issuer ${meta.issuer}`);
        continue;
      }
      return meta.jwks_uri;
    } catch (e) {
      problems.push(`${url}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no usable metadata for issuer ${issuer} (${problems.join('; ')})`);
}

/** RFC 9068's space-separated `scope`, or the `scp` list Entra ID and Okta write instead. */
function grantedScopes(payload: JWTPayload): Set<string> {
  const { scope, scp } = payload as { scope?: unknown; scp?: unknown };
  const words = (v: unknown) =>
    typeof v === 'string' ? v.split(' ') : Array.isArray(v) ? v.filter((s) => typeof s === 'string') : [];
  return new Set([...words(scope), ...words(scp)]);
}

export class Authenticator {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(private readonly opts: AuthOptions) {}

  /** The path of the protected-resource metadata, in RFC 9728's form for a resource with a path. */
  get metadataPath(): string | undefined {
    if (!this.opts.oauth) return undefined;
    const path = new URL(this.opts.oauth.publicUrl).pathname.replace(/\/$/, '');
    return `${METADATA_PATH}${path}`;
  }

  /** The metadata document, for both its path-suffixed and its bare well-known URL. */
  metadataFor(pathname: string): object | undefined {
    const oauth = this.opts.oauth;
    if (!oauth || (pathname !== this.metadataPath && pathname !== METADATA_PATH)) return undefined;
    return {
      resource: oauth.publicUrl,
      authorization_servers: [oauth.issuer],
      bearer_methods_supported: ['header'],
      resource_name: 'fast-intercom-mcp',
      ...(oauth.scopes?.length || oauth.offeredScopes?.length
        ? { scopes_supported: [...(oauth.scopes ?? []), ...(oauth.offeredScopes ?? [])] }
        : {}),
    };
  }

  /** The WWW-Authenticate header of a 401, or of a 403 for a token without the scopes. */
  challenge(outcome: { status: 401 | 403; tokenGiven: boolean }): string {
    const params: string[] = [];
    const oauth = this.opts.oauth;
    if (oauth) params.push(`resource_metadata="${new URL(this.metadataPath!, oauth.publicUrl).toString()}"`);
    if (oauth?.scopes?.length) params.push(`scope="${oauth.scopes.join(' ')}"`);
    if (outcome.status === 403) params.push('error="insufficient_scope"');
    else if (outcome.tokenGiven) params.push('error="invalid_token"');
    return params.length ? `Bearer ${params.join(', ')}` : 'Bearer';
  }

  async check(header: string | undefined): Promise<AuthOutcome> {
    if (!header?.startsWith('Bearer '))
      return { ok: false, status: 401, reason: 'no bearer token', tokenGiven: false };
    const token = header.slice(7).trim();
    if (this.opts.staticToken !== undefined && sameToken(token, this.opts.staticToken))
      return { ok: true, principal: 'static token', scopes: [WRITE_SCOPE, REPLY_SCOPE] };
    const oauth = this.opts.oauth;
    if (!oauth) return { ok: false, status: 401, reason: 'not the server’s token', tokenGiven: true };
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.jwks(oauth);
    } catch (e) {
      return { ok: false, status: 503, reason: `cannot fetch the issuer's keys: ${(e as Error).message}` };
    }
    try {
      // Issuers compare as exact strings (RFC 8414, RFC 9207); a token that never expires is refused.
      const { payload } = await jwtVerify(token, keys, {
        issuer: oauth.issuer,
        audience: oauth.publicUrl,
        requiredClaims: ['exp'],
      });
      const missing = (oauth.scopes ?? []).filter((s) => !grantedScopes(payload).has(s));
      if (missing.length)
        return {
          ok: false,
          status: 403,
          reason: `the token lacks the scope ${missing.join(' ')}`,
          tokenGiven: true,
        };
      return {
        ok: true,
        principal: `${payload.iss} ${payload.sub ?? payload.client_id ?? ''}`,
        scopes: [...grantedScopes(payload)],
      };
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === undefined || UNREACHABLE_KEYS.has(code))
        return { ok: false, status: 503, reason: `cannot fetch the issuer's keys: ${(e as Error).message}` };
      return { ok: false, status: 401, reason: `${code}: ${(e as Error).message}`, tokenGiven: true };
    }
  }

  private jwks(oauth: OAuthOptions): Promise<JWTVerifyGetKey> {
    // A failed discovery is not kept: the next request tries again.
    this.keys ??= (async () =>
      createRemoteJWKSet(new URL(oauth.jwksUrl ?? (await discoverJwks(oauth.issuer)))))();
    return this.keys.catch((e: unknown) => {
      this.keys = undefined;
      throw e;
    });
  }
}

/**
 * A browser asks for the status page with Basic credentials (its own login prompt): the password
 * is the token, the user name anything. Turned into the Bearer header the check reads; a Bearer
 * header (curl) passes as it is.
 */
export function bearerFromBasic(header: string | undefined): string | undefined {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!basic) return header;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : `Bearer ${decoded.slice(colon + 1)}`;
}
