/**
 * The deployment files cannot be run here (no Docker engine), so what they say is checked against
 * the product: compose's `mcp` command and environment start a real server that answers through
 * the proxy's name and refuses others, and the proxy's upstream is that service's port.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { startServeProcess } from '../../src/integration/serve-process.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { tempWorkspace } from '../helpers/cli.js';
import { rawRequest } from '../helpers/http.js';
import { WITHOUT_POSTGRES } from '../helpers/engine-selection.js';
import { freshDatabase } from '../helpers/postgres-server.js';

interface Compose {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, string>;
      env_file?: string;
      deploy?: { replicas?: number };
    }
  >;
}

const compose = parse(readFileSync(join(PACKAGE_ROOT, 'compose.yaml'), 'utf8')) as Compose;
const HOST_NAME = 'intercom-mcp.example.com';
const TOKEN = 'deployment-files-token-123';

/** Compose's ${VAR} and ${VAR:?message}, from the values a filled-in .env would give. */
const interpolate = (v: string, vars: Record<string, string>) =>
  v.replace(/\$\{(\w+)(?::\?[^}]*)?\}/g, (_, name: string) => vars[name] ?? '');

describe('compose.yaml and deploy/', () => {
  it('runs replicas of a stateless server behind the proxy, with PostgreSQL and an env file', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['mcp', 'postgres', 'proxy']);
    const mcp = compose.services.mcp!;
    assert.ok((mcp.deploy?.replicas ?? 1) >= 2, 'two replicas or more');
    assert.equal(mcp.env_file, '.env');
    assert.ok(mcp.command?.includes('--stateless') && mcp.command.includes('--trust-proxy'));
    const caddy = readFileSync(join(PACKAGE_ROOT, 'deploy', 'Caddyfile'), 'utf8');
    const port = mcp.command![mcp.command!.indexOf('--port') + 1];
    assert.match(
      caddy,
      new RegExp(`dynamic a mcp ${port}\\b`),
      'the proxy reaches every replica at its port',
    );
    const example = readFileSync(join(PACKAGE_ROOT, 'deploy', 'env.example'), 'utf8');
    for (const name of [
      'INTERCOM_ACCESS_TOKEN',
      'MCP_HOST_NAME',
      'POSTGRES_PASSWORD',
      'FASTINTERCOM_MCP_TOKEN',
    ])
      assert.match(example, new RegExp(`^${name}=`, 'm'), `env.example names ${name}`);
  });

  it(
    "the mcp service's command and environment start a server that answers through the proxy's name only",
    { skip: WITHOUT_POSTGRES },
    async () => {
      const mcp = compose.services.mcp!;
      const env = Object.fromEntries(
        Object.entries(mcp.environment ?? {}).map(([k, v]) => [
          k,
          interpolate(v, { MCP_HOST_NAME: HOST_NAME }),
        ]),
      );
      assert.equal(env.FASTINTERCOM_ALLOWED_HOSTS, HOST_NAME);
      assert.equal(env.FASTINTERCOM_PUBLIC_URL, `https://${HOST_NAME}/mcp`);
      // The compose network's database cannot be reached here: a real one of the tests stands in.
      env.FASTINTERCOM_DATABASE_URL = await freshDatabase();
      const [command, ...args] = mcp.command!;
      assert.equal(command, 'serve');
      const serveArgs = args.map((a, i) => (args[i - 1] === '--port' ? '0' : a));
      const server = await startServeProcess(
        tempWorkspace('fim-compose-'),
        { ...env, FASTINTERCOM_MCP_TOKEN: TOKEN },
        undefined,
        serveArgs,
        false,
      );
      try {
        const ask = (forwardedHost: string) =>
          rawRequest(server.url, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Accept: 'application/json, text/event-stream',
              Authorization: `Bearer ${TOKEN}`,
              'X-Forwarded-Host': forwardedHost,
            },
            body: JSON.stringify({
              jsonrpc: '2.0',
              id: 1,
              method: 'initialize',
              params: {
                protocolVersion: '2025-06-18',
                capabilities: {},
                clientInfo: { name: 'c', version: '1' },
              },
            }),
          });
        const through = await ask(HOST_NAME);
        assert.equal(through.status, 200, through.body);
        assert.equal(through.headers['mcp-session-id'], undefined, 'stateless: no session');
        assert.equal((await ask('evil.example')).status, 403);
      } finally {
        await server.stop();
      }
    },
  );
});
