import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SESSION_DEFAULTS, serveSettings, type ServeFlags } from '../../src/cli/serve-options.js';
import { ConfigError } from '../../src/config/settings.js';

type Settings = ReturnType<typeof serveSettings>;
interface Case {
  what: string;
  flags?: ServeFlags;
  env?: NodeJS.ProcessEnv;
  read: (s: Settings) => unknown;
  expected: unknown;
}

const CASES: Case[] = [
  {
    what: 'the defaults',
    read: (s) => [s.allowedOrigins, s.stateless, s.sessions, s.trustProxy, s.oauth],
    expected: [[], false, SESSION_DEFAULTS, false, undefined],
  },
  {
    what: 'a flag over its variable',
    flags: { maxSessions: 7 },
    env: { FASTINTERCOM_MAX_SESSIONS: '9' },
    read: (s) => s.sessions.maxSessions,
    expected: 7,
  },
  {
    what: 'the variable without a flag',
    env: { FASTINTERCOM_MAX_SESSIONS: '9' },
    read: (s) => s.sessions.maxSessions,
    expected: 9,
  },
  {
    what: 'idle seconds from the variable',
    env: { FASTINTERCOM_SESSION_IDLE_SECONDS: '60' },
    read: (s) => s.sessions.idleSeconds,
    expected: 60,
  },
  {
    what: 'streams from the flag',
    flags: { maxStreams: 3 },
    read: (s) => s.sessions.maxStreams,
    expected: 3,
  },
  {
    what: 'stateless "yes"',
    env: { FASTINTERCOM_HTTP_STATELESS: 'yes' },
    read: (s) => s.stateless,
    expected: true,
  },
  {
    what: 'stateless "0"',
    env: { FASTINTERCOM_HTTP_STATELESS: '0' },
    read: (s) => s.stateless,
    expected: false,
  },
  {
    what: 'stateless empty',
    env: { FASTINTERCOM_HTTP_STATELESS: '' },
    read: (s) => s.stateless,
    expected: false,
  },
  {
    what: 'the trust-proxy flag over its variable',
    flags: { trustProxy: true },
    env: { FASTINTERCOM_TRUST_PROXY: 'no' },
    read: (s) => s.trustProxy,
    expected: true,
  },
  {
    what: 'origins from the variable, reduced to origins',
    env: { FASTINTERCOM_ALLOWED_ORIGINS: ' https://a.example.com/path , http://localhost:5173 ' },
    read: (s) => s.allowedOrigins,
    expected: ['https://a.example.com', 'http://localhost:5173'],
  },
  {
    what: 'origins from the flag over the variable',
    flags: { allowOrigin: ['https://b.example.com'] },
    env: { FASTINTERCOM_ALLOWED_ORIGINS: 'https://a.example.com' },
    read: (s) => s.allowedOrigins,
    expected: ['https://b.example.com'],
  },
  {
    what: 'OAuth with its issuer and public URL',
    flags: { oauthIssuer: 'https://id.example.com', publicUrl: 'https://mcp.example.com/mcp' },
    read: (s) => s.oauth,
    expected: { issuer: 'https://id.example.com', publicUrl: 'https://mcp.example.com/mcp' },
  },
  {
    what: 'OAuth on localhost over plain http, with a JWKS URL',
    env: {
      FASTINTERCOM_OAUTH_ISSUER: 'http://127.0.0.1:9000',
      FASTINTERCOM_PUBLIC_URL: 'http://localhost:3000/mcp',
      FASTINTERCOM_OAUTH_JWKS_URL: 'http://localhost:9000/jwks',
    },
    read: (s) => s.oauth,
    expected: {
      issuer: 'http://127.0.0.1:9000',
      publicUrl: 'http://localhost:3000/mcp',
      jwksUrl: 'http://localhost:9000/jwks',
    },
  },
  {
    what: 'the scopes tokens must carry, by spaces or commas, the flag over the variable',
    flags: {
      oauthIssuer: 'https://id.example.com',
      publicUrl: 'https://m.example.com/mcp',
      oauthScopes: ' mcp:read, api://x/.default ',
    },
    env: { FASTINTERCOM_OAUTH_SCOPES: 'other' },
    read: (s) => s.oauth?.scopes,
    expected: ['mcp:read', 'api://x/.default'],
  },
  {
    what: 'no scopes: none is listed',
    flags: { oauthIssuer: 'https://id.example.com', publicUrl: 'https://m.example.com/mcp' },
    env: { FASTINTERCOM_OAUTH_SCOPES: ' ' },
    read: (s) => s.oauth && 'scopes' in s.oauth,
    expected: false,
  },
];

const REFUSED: { what: string; flags?: ServeFlags; env?: NodeJS.ProcessEnv; message: RegExp }[] = [
  {
    what: 'a count below one, named by its flag',
    flags: { maxSessions: 0 },
    message: /^--max-sessions: .*\(got '0'\)$/,
  },
  {
    what: 'a count that is not a number, named by its variable',
    env: { FASTINTERCOM_MAX_STREAMS: 'lots' },
    message: /^FASTINTERCOM_MAX_STREAMS: .*\(got 'lots'\)$/,
  },
  {
    what: 'a yes/no that is neither',
    env: { FASTINTERCOM_TRUST_PROXY: 'maybe' },
    message: /^FASTINTERCOM_TRUST_PROXY: .*\(got 'maybe'\)$/,
  },
  {
    what: 'an issuer over plain http off localhost',
    flags: { oauthIssuer: 'http://id.example.com', publicUrl: 'https://m.example.com/mcp' },
    message: /^--oauth-issuer: must be https \(plain http only on localhost\)/,
  },
  {
    what: 'an issuer without the public URL',
    flags: { oauthIssuer: 'https://id.example.com' },
    message: /^--oauth-issuer needs --public-url/,
  },
  {
    what: 'a JWKS URL without an issuer',
    flags: { oauthJwksUrl: 'https://id.example.com/jwks' },
    message: /^--oauth-jwks-url needs --oauth-issuer$/,
  },
  {
    what: 'a scope with a quote in it',
    flags: { oauthIssuer: 'https://id.example.com', publicUrl: 'https://m.example.com/mcp' },
    env: { FASTINTERCOM_OAUTH_SCOPES: 'mcp "read"' },
    message: /^FASTINTERCOM_OAUTH_SCOPES: a scope is printable ASCII without quotes or backslashes/,
  },
  {
    what: 'scopes without an issuer',
    flags: { oauthScopes: 'mcp' },
    message: /^--oauth-scopes needs --oauth-issuer$/,
  },
  {
    what: 'an origin that is no URL',
    env: { FASTINTERCOM_ALLOWED_ORIGINS: 'app.example.com' },
    message: /^FASTINTERCOM_ALLOWED_ORIGINS: each entry must be an origin/,
  },
];

describe("serve's HTTP settings: flag, else variable, else default", () => {
  for (const c of CASES)
    it(c.what, () => {
      assert.deepEqual(c.read(serveSettings(c.flags ?? {}, c.env ?? {})), c.expected);
    });
  for (const c of REFUSED)
    it(`refuses ${c.what}`, () => {
      assert.throws(
        () => serveSettings(c.flags ?? {}, c.env ?? {}),
        (e) => e instanceof ConfigError && c.message.test(e.message),
      );
    });
});
