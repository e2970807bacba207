/**
 * What a deployment's edge needs from `serve`, each against a real server process: CORS preflights,
 * proxy headers only when trusted, bounded sessions, streams and bodies, the stateless mode, and
 * OAuth resource-server mode against a local issuer whose keys the test generates.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { tempWorkspace } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { rawRequest } from '../helpers/http.js';
import { startLocalIssuer, type LocalIssuer, type TokenClaims } from '../helpers/local-issuer.js';

const TOKEN = 'edge-test-token-0123456789';
const ACCEPT = 'application/json, text/event-stream';

const rpc = (method: string, params: object, id = 1) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });
const initialize = (name = 'raw') =>
  rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name, version: '1' } });

/** A server on a workspace of its own (an empty copy is enough: the edge is what is tested). */
async function serve(
  args: string[],
  token: string | undefined = TOKEN,
): Promise<ServeProcess & { dir: string }> {
  const dir = tempWorkspace('fim-edge-');
  return { ...(await startServeProcess(dir, {}, token, args)), dir };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  rawRequest(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: ACCEPT,
      Authorization: `Bearer ${TOKEN}`,
      ...headers,
    },
    body,
  });

/** A new session's id, from a raw initialize. */
async function openSession(url: string): Promise<string> {
  const r = await post(url, initialize());
  assert.equal(r.status, 200, r.body);
  const id = r.headers['mcp-session-id'];
  assert.ok(typeof id === 'string');
  await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), {
    'Mcp-Session-Id': id,
    'Mcp-Protocol-Version': '2025-06-18',
  });
  return id;
}

const listTools = (url: string, session: string) =>
  post(url, rpc('tools/list', {}, 2), { 'Mcp-Session-Id': session, 'Mcp-Protocol-Version': '2025-06-18' });

const openStream = (url: string, session: string) =>
  rawRequest(url, {
    headers: {
      Accept: 'text/event-stream',
      Authorization: `Bearer ${TOKEN}`,
      'Mcp-Session-Id': session,
      'Mcp-Protocol-Version': '2025-06-18',
    },
    headersOnly: true,
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serve at the edge of a deployment', () => {
  const servers: ServeProcess[] = [];
  const start = async (args: string[], token?: string | null) => {
    const s = await serve(args, token === null ? undefined : (token ?? TOKEN));
    servers.push(s);
    return s;
  };
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('answers a CORS preflight from an allowed origin without credentials, and no other origin', async () => {
    const s = await start(['--allow-origin', 'https://app.example']);
    const preflight = await rawRequest(s.url, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type, mcp-session-id',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example');
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    for (const h of ['Authorization', 'Content-Type', 'Mcp-Session-Id', 'Mcp-Protocol-Version'])
      assert.match(String(preflight.headers['access-control-allow-headers']), new RegExp(h));
    assert.equal(preflight.headers['access-control-allow-credentials'], undefined);

    const foreign = await rawRequest(s.url, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);

    const real = await post(s.url, initialize(), { Origin: 'https://app.example' });
    assert.equal(real.status, 200);
    assert.equal(real.headers['access-control-allow-origin'], 'https://app.example');
    assert.match(String(real.headers['access-control-expose-headers']), /Mcp-Session-Id/);
    const refused = await post(s.url, initialize(), {
      Origin: 'https://app.example',
      Authorization: 'Bearer x',
    });
    assert.equal(refused.status, 401);
    assert.equal(
      refused.headers['access-control-allow-origin'],
      'https://app.example',
      'a page can read the 401',
    );
  });

  it('reads X-Forwarded-Host only with --trust-proxy', async () => {
    const plain = await start(['--allow-host', 'mcp.example.com']);
    const own = new URL(plain.url).host;
    assert.equal(
      (await post(plain.url, initialize(), { Host: own, 'X-Forwarded-Host': 'evil.example' })).status,
      200,
    );
    assert.equal(
      (await post(plain.url, initialize(), { Host: 'evil.example', 'X-Forwarded-Host': 'mcp.example.com' }))
        .status,
      403,
      'an untrusted X-Forwarded-Host does not open the door',
    );
    const proxied = await start(['--allow-host', 'mcp.example.com', '--trust-proxy']);
    const inner = new URL(proxied.url).host;
    assert.equal(
      (await post(proxied.url, initialize(), { Host: inner, 'X-Forwarded-Host': 'evil.example' })).status,
      403,
      'behind a proxy, the name the client used is checked',
    );
    assert.equal(
      (await post(proxied.url, initialize(), { Host: inner, 'X-Forwarded-Host': 'mcp.example.com' })).status,
      200,
    );
    await post(proxied.url, initialize(), {
      Authorization: 'Bearer wrong',
      'X-Forwarded-For': '203.0.113.7',
    });
    await sleep(200);
    const log = readFileSync(
      join((proxied as ServeProcess & { dir: string }).dir, 'logs', 'fast-intercom-mcp.log'),
      'utf8',
    );
    assert.match(log, /request from 203\.0\.113\.7 refused/);
  });

  it('keeps at most --max-sessions sessions: a new one closes the least recently used', async () => {
    const s = await start(['--max-sessions', '3']);
    const [a, b, c] = [await openSession(s.url), await openSession(s.url), await openSession(s.url)];
    assert.equal((await listTools(s.url, a)).status, 200, 'a is now the most recently used');
    const d = await openSession(s.url);
    assert.equal((await listTools(s.url, b)).status, 404, 'b, the least recently used, was closed');
    for (const id of [a, c, d]) assert.equal((await listTools(s.url, id)).status, 200);
  });

  it('closes a session idle for --session-idle-seconds, and ends its stream after half that', async () => {
    const s = await start(['--session-idle-seconds', '2']);
    const idle = await openSession(s.url);
    const busy = await openSession(s.url);
    const stream = await openStream(s.url, busy);
    assert.equal(stream.status, 200);
    const opened = Date.now();
    let streamEndedAfter: number | undefined;
    void stream.ended.then(() => (streamEndedAfter = Date.now() - opened));
    for (let i = 0; i < 7; i++) {
      await sleep(500);
      assert.equal((await listTools(s.url, busy)).status, 200, 'a session in use stays');
    }
    assert.ok(
      streamEndedAfter !== undefined && streamEndedAfter < 2500,
      `stream ended after ${streamEndedAfter} ms`,
    );
    assert.equal((await listTools(s.url, idle)).status, 404, 'the idle session is gone');
    const second = await openStream(s.url, busy);
    assert.equal(second.status, 200, 'a client reconnects its stream');
    second.close();
  });

  it('cuts trickled headers after 10 s and a trickled body after 30 s, as documented', async () => {
    const s = await start([]);
    const url = new URL(s.url);
    /** Sends `head`, then one more byte a second; resolves with when the server ended it, and how. */
    const trickle = (head: string, more: (i: number) => string) =>
      new Promise<{ seconds: number; status: string }>((resolve) => {
        const started = performance.now();
        const socket = connect(Number(url.port), url.hostname);
        let answer = '';
        let i = 0;
        const tick = setInterval(() => socket.write(more(i++)), 1000);
        socket.on('data', (d) => (answer += d.toString('latin1')));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(tick);
          resolve({ seconds: (performance.now() - started) / 1000, status: answer.slice(9, 12) || 'closed' });
        });
        socket.write(head);
      });
    const [headers, body] = await Promise.all([
      trickle(`POST /mcp HTTP/1.1\r\nHost: ${url.host}\r\n`, (i) => `X-Slow-${i}: 1\r\n`),
      trickle(
        `POST /mcp HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
        () => ' ',
      ),
    ]);
    assert.ok(
      headers.seconds >= 9.5 && headers.seconds < 15,
      `headers cut after ${headers.seconds.toFixed(1)} s`,
    );
    assert.ok(body.seconds >= 29.5 && body.seconds < 35, `body cut after ${body.seconds.toFixed(1)} s`);
    for (const r of [headers, body]) assert.ok(['408', 'closed'].includes(r.status), r.status);
  });

  it('caps open streams with --max-streams and bounds every body', async () => {
    const s = await start(['--max-streams', '1']);
    const [a, b] = [await openSession(s.url), await openSession(s.url)];
    const first = await openStream(s.url, a);
    assert.equal(first.status, 200);
    const refused = await openStream(s.url, b);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '30');
    refused.close();
    first.close();
    await sleep(200);
    const again = await openStream(s.url, b);
    assert.equal(again.status, 200, 'a closed stream frees its place');
    again.close();

    const huge = await post(s.url, JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }));
    assert.equal(huge.status, 413);
    const fat = await post(s.url, initialize('n'.repeat(20_000)));
    assert.equal(fat.status, 413, 'an initialize with a 20 KB client name');
    assert.equal(fat.headers['mcp-session-id'], undefined, 'no session was made for it');
    const bigCall = await post(
      s.url,
      rpc('tools/call', { name: 'search', arguments: { query: 'y'.repeat(300_000) } }),
      {
        'Mcp-Session-Id': a,
        'Mcp-Protocol-Version': '2025-06-18',
      },
    );
    assert.equal(
      bigCall.status,
      200,
      'a large call within the 1 MB bound reaches the tool, which refuses it',
    );
    assert.match(bigCall.body, /too long|at most|characters/i);
  });

  it('in --stateless mode, any server of one copy answers any request, with no session', async () => {
    const a = await start(['--stateless']);
    const client = await a.connect();
    try {
      const tools = await client.listTools();
      assert.ok(tools.tools.some((t) => t.name === 'get_server_status'));
      const status = await client.callTool({ name: 'get_server_status', arguments: {} });
      assert.equal((status as { isError?: boolean }).isError, undefined);
    } finally {
      await client.close();
    }
    const init = await post(a.url, initialize());
    assert.equal(init.status, 200);
    assert.equal(init.headers['mcp-session-id'], undefined, 'no session id is handed out');
    // A request straight to a second server, as a load balancer without stickiness sends it.
    const b = await start(['--stateless']);
    const call = await post(b.url, rpc('tools/call', { name: 'get_server_status', arguments: {} }, 7), {
      'Mcp-Protocol-Version': '2025-06-18',
    });
    assert.equal(call.status, 200, call.body);
    assert.match(call.body, /"id":7/);
    assert.match(call.body, /conversations/);
    const stream = await rawRequest(b.url, {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(stream.status, 405);
  });
});

describe('serve as an OAuth 2.1 resource server', () => {
  let issuer: LocalIssuer;
  let issuerUrl: string;
  let s: ServeProcess & { dir: string };
  const PUBLIC = 'http://localhost:9443/mcp';

  before(async () => {
    issuer = await startLocalIssuer(PUBLIC);
    issuerUrl = issuer.url;
    s = await serve(['--oauth-issuer', issuerUrl, '--public-url', PUBLIC], undefined);
  });
  after(async () => {
    await s?.stop();
    issuer?.close();
  });

  const token = (claims: TokenClaims, foreign = false) => issuer.token(claims, foreign);
  const as = (bearer: string, session?: string) => ({
    Authorization: `Bearer ${bearer}`,
    ...(session ? { 'Mcp-Session-Id': session, 'Mcp-Protocol-Version': '2025-06-18' } : {}),
  });

  it('publishes its protected-resource metadata (RFC 9728), and names it on a 401', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const r = await rawRequest(new URL(path, s.url).toString());
      assert.equal(r.status, 200, path);
      assert.deepEqual(JSON.parse(r.body), {
        resource: PUBLIC,
        authorization_servers: [issuerUrl],
        bearer_methods_supported: ['header'],
        resource_name: 'fast-intercom-mcp',
      });
    }
    const r = await rawRequest(s.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: ACCEPT },
      body: initialize(),
    });
    assert.equal(r.status, 401);
    assert.equal(
      r.headers['www-authenticate'],
      'Bearer resource_metadata="http://localhost:9443/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('serves a valid access token through the SDK client', async () => {
    const client = await s.connect(await token({}));
    try {
      assert.ok((await client.listTools()).tools.length > 5);
    } finally {
      await client.close();
    }
  });

  it('refuses expired, wrongly signed, wrong-audience and wrong-issuer tokens: 401, the reason only in the log', async () => {
    const cases: [string, Promise<string>, RegExp][] = [
      ['expired', token({ exp: Math.floor(Date.now() / 1000) - 600 }), /ERR_JWT_EXPIRED/],
      ['wrongly signed', token({}, true), /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/],
      [
        'for another audience',
        token({ aud: 'https://other.example/mcp' }),
        /ERR_JWT_CLAIM_VALIDATION_FAILED: unexpected "aud"/,
      ],
      [
        'from another issuer',
        token({ iss: 'https://evil.example' }),
        /ERR_JWT_CLAIM_VALIDATION_FAILED: unexpected "iss"/,
      ],
      ['not a JWT', Promise.resolve('not-a-jwt'), /ERR_JWS_INVALID|ERR_JWT_INVALID/],
      ['without an expiry', token({ exp: null }), /ERR_JWT_CLAIM_VALIDATION_FAILED: missing required "exp"/],
    ];
    for (const [what, jwt, reason] of cases) {
      const bearer = await jwt;
      const r = await rawRequest(s.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: ACCEPT, Authorization: `Bearer ${bearer}` },
        body: initialize(),
      });
      assert.equal(r.status, 401, what);
      assert.match(String(r.headers['www-authenticate']), /error="invalid_token"/, what);
      assert.doesNotMatch(r.body, /exp|aud|iss|signature|ERR_/i, `${what}: the body says no more than 401`);
      await sleep(100);
      const log = readFileSync(join(s.dir, 'logs', 'fast-intercom-mcp.log'), 'utf8');
      assert.match(log, reason, what);
      assert.ok(!log.includes(bearer), `${what}: the token is not logged`);
    }
  });

  it('binds a session to the principal that opened it: another user’s valid token gets 404', async () => {
    const alice = await token({});
    const bob = await token({ sub: 'bob@example.com' });
    const opened = await post(s.url, initialize(), as(alice));
    assert.equal(opened.status, 200, opened.body);
    const id = String(opened.headers['mcp-session-id']);
    await post(s.url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), as(alice, id));
    const mine = await post(s.url, rpc('tools/list', {}, 2), as(alice, id));
    assert.equal(mine.status, 200);
    assert.match(mine.body, /search_conversations/);
    const theirs = await post(s.url, rpc('tools/list', {}, 3), as(bob, id));
    assert.equal(theirs.status, 404, 'as if the session did not exist');
    assert.doesNotMatch(theirs.body, /search_conversations/);
    const again = await post(s.url, rpc('tools/list', {}, 4), as(alice, id));
    assert.equal(again.status, 200, 'the session is still its opener’s');
  });

  it('answers 503 with Retry-After, not "invalid token", while the issuer’s keys are out of reach', async () => {
    const closed = await freePort();
    const down = await serve(
      [
        '--oauth-issuer',
        issuerUrl,
        '--public-url',
        PUBLIC,
        '--oauth-jwks-url',
        `http://127.0.0.1:${closed}/jwks`,
      ],
      undefined,
    );
    try {
      const r = await post(down.url, initialize(), as(await token({})));
      assert.equal(r.status, 503, r.body);
      assert.equal(r.headers['retry-after'], '30');
      assert.equal(r.headers['www-authenticate'], undefined);
      assert.doesNotMatch(r.body, /invalid/i);
    } finally {
      await down.stop();
    }
  });
});
