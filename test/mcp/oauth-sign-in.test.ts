/**
 * Sign-in as the MCP authorization spec has it, end to end: the SDK's OAuth client meets a 401,
 * reads the protected-resource metadata, finds a real authorization server (oidc-provider, an
 * OpenID Certified implementation, running here), identifies itself by a Client ID Metadata
 * Document or registers dynamically, sends the person through the authorization page and back
 * with a code, gets a JWT access token for this server (RFC 8707 resource), and calls a tool. A
 * token the same issuer minted for another resource is refused.
 *
 * The person's part is played by the test: it follows the redirects as a browser would, keeping
 * the provider's cookies, and its interaction page signs in "alice" and grants what was asked.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { tempWorkspace } from '../helpers/cli.js';

const REDIRECT = 'http://127.0.0.1:1/callback';
/** Where a real client would publish its metadata document; the provider's fetch is given it here. */
const CLIENT_ID_URL = 'https://mcp-client.example/oauth/client.json';
const CLIENT_DOCUMENT = {
  client_id: CLIENT_ID_URL,
  client_name: 'fast-intercom-mcp sign-in test',
  redirect_uris: [REDIRECT],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
  application_type: 'native',
};
const OTHER_RESOURCE = 'https://another-service.example/mcp';

/** A free port for the MCP server, whose public URL (the tokens' audience) must be known first. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

class TestOAuthClient implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = '';
  private discovery: OAuthDiscoveryState | undefined;

  constructor(readonly clientMetadataUrl?: string) {}

  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: CLIENT_DOCUMENT.client_name,
      redirect_uris: [REDIRECT],
      grant_types: CLIENT_DOCUMENT.grant_types,
      response_types: CLIENT_DOCUMENT.response_types,
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

/** The person at the browser: follows redirects with the provider's cookies until the callback. */
async function browse(start: URL): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    if (url.href.startsWith(REDIRECT)) return url;
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    assert.ok(location, `${url.pathname} answered ${res.status} without a redirect: ${await res.text()}`);
    url = new URL(location, url);
  }
  throw new Error('no callback after 10 redirects');
}

describe('signing in with OAuth through the SDK’s client, against oidc-provider', () => {
  let provider: Provider;
  let issuerServer: Server;
  let issuer: string;
  let serve: ServeProcess;
  let mcpUrl: string;
  let documentFetches = 0;

  before(async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    issuerServer = createServer();
    await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', () => r()));
    issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    const port = await freePort();
    mcpUrl = `http://127.0.0.1:${port}/mcp`;

    provider = new Provider(issuer, {
      jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
      clients: [
        {
          client_id: 'another-service',
          client_secret: 'another-service-secret',
          grant_types: ['client_credentials'],
          redirect_uris: [],
          response_types: [],
        },
      ],
      // The resource's scopes are scopes a client may register for, too.
      scopes: ['openid', 'offline_access', 'mcp', 'other'],
      ttl: { ClientCredentials: 600 },
      findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        registration: { enabled: true },
        clientCredentials: { enabled: true },
        clientIdMetadataDocument: { enabled: true, ack: 'draft-02' },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => OTHER_RESOURCE,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx, resource) => ({
            scope: 'mcp other',
            audience: resource,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          }),
        },
      },
      // The client's metadata document, served as its host would serve it.
      fetch: async (url, options) => {
        if (String(url) !== CLIENT_ID_URL) return fetch(url, options);
        documentFetches++;
        return new Response(JSON.stringify(CLIENT_DOCUMENT), {
          headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60' },
        });
      },
    });
    const callback = provider.callback();
    // The interaction page: alice signs in and grants what the client asked for.
    const interaction = async (req: IncomingMessage, res: ServerResponse) => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: 'alice', clientId: String(details.params.client_id) });
      // What the provider says is missing is what alice grants.
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      for (const [r, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
        grant.addResourceScope(r, scopes.join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: 'alice' }, consent: { grantId } });
    };
    issuerServer.on('request', (req, res) => {
      if (req.url?.startsWith('/interaction/')) void interaction(req, res);
      else void callback(req, res);
    });

    serve = await startServeProcess(
      tempWorkspace(),
      { INTERCOM_ACCESS_TOKEN: 'oauth-test', INTERCOM_API_BASE_URL: 'http://127.0.0.1:9' },
      undefined,
      ['--port', String(port), '--oauth-issuer', issuer, '--public-url', mcpUrl, '--oauth-scopes', 'mcp'],
    );
  });
  after(async () => {
    await serve?.stop();
    issuerServer?.close();
  });

  async function signIn(client: TestOAuthClient, era: 'legacy' | 'modern'): Promise<Client> {
    const connect = async () => {
      const c = new Client(
        { name: 'oauth-test', version: '1.0.0' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: client });
      await c.connect(transport);
      return { c, transport };
    };
    let transport: StreamableHTTPClientTransport | undefined;
    try {
      await connect();
      assert.fail('connected without signing in');
    } catch (e) {
      if (!(e instanceof UnauthorizedError)) throw e;
    }
    assert.ok(client.authorizationUrl, 'the client was sent to the authorization page');
    assert.equal(client.authorizationUrl.origin, issuer);
    assert.equal(client.authorizationUrl.searchParams.get('resource'), mcpUrl);
    // The scope the server's metadata and 401 name, without which the issuer grants nothing.
    assert.ok(client.authorizationUrl.searchParams.get('scope')?.split(' ').includes('mcp'));
    const callback = await browse(client.authorizationUrl);
    transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: client });
    await transport.finishAuth(callback.searchParams);
    const { c } = await connect();
    return c;
  }

  for (const [how, era, metadataUrl] of [
    ['a Client ID Metadata Document', 'modern', CLIENT_ID_URL],
    ['dynamic client registration', 'legacy', undefined],
  ] as const)
    it(`signs in with ${how} (${era === 'modern' ? '2026-07-28' : '2025-11-25'}) and calls a tool`, async () => {
      const oauthClient = new TestOAuthClient(metadataUrl);
      const client = await signIn(oauthClient, era);
      try {
        const clientId = oauthClient.clientInformation()?.client_id;
        if (metadataUrl) {
          assert.equal(clientId, metadataUrl);
          assert.ok(documentFetches > 0, 'the issuer read the client’s metadata document');
        } else assert.doesNotMatch(clientId ?? '', /^https:/, 'an identifier the issuer assigned');
        const tools = await client.listTools();
        assert.ok(tools.tools.some((t) => t.name === 'get_server_status'));
        const status = await client.callTool({ name: 'get_server_status', arguments: {} });
        assert.notEqual(status.isError, true);
      } finally {
        await client.close();
      }
    });

  /** A token from the issuer's client-credentials grant, as another service would hold. */
  async function serviceToken(resource: string, scope: string): Promise<string> {
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('another-service:another-service-secret').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }),
    });
    const { access_token: token } = (await res.json()) as { access_token: string };
    assert.equal(res.status, 200);
    assert.equal(token.split('.').length, 3, 'a JWT');
    return token;
  }

  const listWith = (token: string) =>
    fetch(mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });

  it('refuses a token the same issuer minted for another resource', async () => {
    const refused = await listWith(await serviceToken(OTHER_RESOURCE, 'mcp'));
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('answers a token for this server without its scope with 403 and the scope it needs', async () => {
    const refused = await listWith(await serviceToken(mcpUrl, 'other'));
    assert.equal(refused.status, 403);
    const challenge = refused.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /error="insufficient_scope"/);
    assert.match(challenge, /scope="mcp"/);
  });
});
