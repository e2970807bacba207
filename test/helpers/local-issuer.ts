/**
 * A local OAuth issuer for resource-server tests: its metadata and its JWKS over HTTP, keys the test
 * generates, and access tokens signed with them (or with a key it does not publish).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface TokenClaims {
  aud?: string;
  iss?: string;
  /** Null: no expiry at all. */
  exp?: number | null;
  sub?: string;
  scope?: string;
}

export interface LocalIssuer {
  url: string;
  /** An access token for `audience`, signed with the published key unless `foreign`. */
  token: (claims?: TokenClaims, foreign?: boolean) => Promise<string>;
  close: () => void;
}

export async function startLocalIssuer(audience: string): Promise<LocalIssuer> {
  const pair = await generateKeyPair('RS256');
  const otherKey: CryptoKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let url = '';
  const server: Server = createServer((req, res) => {
    const body =
      req.url === '/.well-known/oauth-authorization-server'
        ? { issuer: url, jwks_uri: `${url}/jwks`, authorization_endpoint: `${url}/authorize` }
        : req.url === '/jwks'
          ? { keys: [jwk] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token: (claims = {}, foreign = false) => {
      const jwt = new SignJWT({ scope: claims.scope ?? 'mcp' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject(claims.sub ?? 'agent@example.com')
        .setIssuedAt()
        .setIssuer(claims.iss ?? url)
        .setAudience(claims.aud ?? audience);
      if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 300);
      return jwt.sign(foreign ? otherKey : pair.privateKey);
    },
    close: () => server.close(),
  };
}
