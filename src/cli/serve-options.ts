/**
 * `serve`'s HTTP settings: each from its flag, else its environment variable (what a container is
 * given), else the default; parsed once, a bad value refused with one line naming where it came from.
 */
import { z } from 'zod';
import { ConfigError, listOf } from '../config/settings.js';
import { AllowedHostError, parseAllowedHosts } from '../server/host-allow.js';
import type { OAuthOptions } from '../server/auth.js';
import type { SessionLimits } from '../server/sessions.js';

export interface ServeFlags {
  allowHost?: string[];
  allowOrigin?: string[];
  stateless?: boolean;
  maxSessions?: number;
  sessionIdleSeconds?: number;
  maxStreams?: number;
  trustProxy?: boolean;
  oauthIssuer?: string;
  oauthJwksUrl?: string;
  oauthScopes?: string;
  publicUrl?: string;
}

export interface ServeSettings {
  allowedHosts: string[];
  allowedOrigins: string[];
  stateless: boolean;
  sessions: SessionLimits;
  trustProxy: boolean;
  oauth: OAuthOptions | undefined;
}

export const SESSION_DEFAULTS: SessionLimits = { maxSessions: 500, idleSeconds: 1800, maxStreams: 200 };

const flag = z
  .enum(['1', 'true', 'yes', '0', 'false', 'no', ''])
  .transform((v) => ['1', 'true', 'yes'].includes(v));
const count = z.coerce.number().int().min(1);
/** RFC 6749's scope tokens, separated by spaces or commas. */
const scopeList = z
  .string()
  .transform((v) => v.split(/[\s,]+/).filter(Boolean))
  .pipe(
    z.array(
      z
        .string()
        .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope is printable ASCII without quotes or backslashes'),
    ),
  );
const httpsOrLocal = z
  .url()
  .refine((u) => u.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/.test(u), {
    message: 'must be https (plain http only on localhost)',
  });

function pick<T>(
  name: string,
  schema: z.ZodType<T>,
  given: unknown,
  env: string | undefined,
  fallback: T,
): T {
  const [value, from] = given !== undefined ? [given, `--${name}`] : [env, ENV_NAMES[name]!];
  if (value === undefined) return fallback;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ConfigError(
      `${from}: ${parsed.error.issues[0]?.message ?? 'invalid'} (got '${String(value)}')`,
    );
  return parsed.data;
}

const ENV_NAMES: Record<string, string> = {
  stateless: 'FASTINTERCOM_HTTP_STATELESS',
  'max-sessions': 'FASTINTERCOM_MAX_SESSIONS',
  'session-idle-seconds': 'FASTINTERCOM_SESSION_IDLE_SECONDS',
  'max-streams': 'FASTINTERCOM_MAX_STREAMS',
  'trust-proxy': 'FASTINTERCOM_TRUST_PROXY',
  'oauth-issuer': 'FASTINTERCOM_OAUTH_ISSUER',
  'oauth-jwks-url': 'FASTINTERCOM_OAUTH_JWKS_URL',
  'oauth-scopes': 'FASTINTERCOM_OAUTH_SCOPES',
  'public-url': 'FASTINTERCOM_PUBLIC_URL',
};

function envOrigins(value: string | undefined, schema: z.ZodType<string[]>): string[] {
  const parsed = schema.safeParse(listOf(value) ?? []);
  if (!parsed.success)
    throw new ConfigError(
      'FASTINTERCOM_ALLOWED_ORIGINS: each entry must be an origin such as https://app.example.com',
    );
  return parsed.data;
}

export function serveSettings(flags: ServeFlags, env: NodeJS.ProcessEnv): ServeSettings {
  let allowedHosts: string[];
  try {
    allowedHosts = parseAllowedHosts(
      flags.allowHost ?? (env.FASTINTERCOM_ALLOWED_HOSTS ? [env.FASTINTERCOM_ALLOWED_HOSTS] : []),
    );
  } catch (e) {
    if (e instanceof AllowedHostError)
      throw new ConfigError(
        `${flags.allowHost ? '--allow-host' : 'FASTINTERCOM_ALLOWED_HOSTS'}: ${e.message}`,
      );
    throw e;
  }
  const origins = z.array(z.url().transform((u) => new URL(u).origin));
  const issuer = pick(
    'oauth-issuer',
    httpsOrLocal,
    flags.oauthIssuer,
    env.FASTINTERCOM_OAUTH_ISSUER,
    undefined,
  );
  const publicUrl = pick('public-url', httpsOrLocal, flags.publicUrl, env.FASTINTERCOM_PUBLIC_URL, undefined);
  const jwksUrl = pick(
    'oauth-jwks-url',
    httpsOrLocal,
    flags.oauthJwksUrl,
    env.FASTINTERCOM_OAUTH_JWKS_URL,
    undefined,
  );
  if (issuer !== undefined && publicUrl === undefined)
    throw new ConfigError(
      '--oauth-issuer needs --public-url (or FASTINTERCOM_PUBLIC_URL): the MCP endpoint as clients reach it, which its access tokens must name as their audience',
    );
  if (issuer === undefined && jwksUrl !== undefined)
    throw new ConfigError('--oauth-jwks-url needs --oauth-issuer');
  const scopes = pick('oauth-scopes', scopeList, flags.oauthScopes, env.FASTINTERCOM_OAUTH_SCOPES, []);
  if (issuer === undefined && scopes.length) throw new ConfigError('--oauth-scopes needs --oauth-issuer');
  return {
    allowedHosts,
    allowedOrigins:
      flags.allowOrigin !== undefined
        ? pick('allow-origin', origins, flags.allowOrigin, undefined, [])
        : envOrigins(env.FASTINTERCOM_ALLOWED_ORIGINS, origins),
    stateless: pick(
      'stateless',
      z.union([z.boolean(), flag]),
      flags.stateless,
      env.FASTINTERCOM_HTTP_STATELESS,
      false,
    ),
    sessions: {
      maxSessions: pick(
        'max-sessions',
        count,
        flags.maxSessions,
        env.FASTINTERCOM_MAX_SESSIONS,
        SESSION_DEFAULTS.maxSessions,
      ),
      idleSeconds: pick(
        'session-idle-seconds',
        count,
        flags.sessionIdleSeconds,
        env.FASTINTERCOM_SESSION_IDLE_SECONDS,
        SESSION_DEFAULTS.idleSeconds,
      ),
      maxStreams: pick(
        'max-streams',
        count,
        flags.maxStreams,
        env.FASTINTERCOM_MAX_STREAMS,
        SESSION_DEFAULTS.maxStreams,
      ),
    },
    trustProxy: pick(
      'trust-proxy',
      z.union([z.boolean(), flag]),
      flags.trustProxy,
      env.FASTINTERCOM_TRUST_PROXY,
      false,
    ),
    oauth:
      issuer !== undefined
        ? {
            issuer,
            publicUrl: publicUrl!,
            ...(jwksUrl ? { jwksUrl } : {}),
            ...(scopes.length ? { scopes } : {}),
          }
        : undefined,
  };
}
