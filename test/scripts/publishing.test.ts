/**
 * What a release publishes: `server.json` for the MCP registry, valid against the registry's own
 * schema (vendor/mcp-registry, 2025-12-11) and naming the package and version package.json does;
 * and the npm tarball, holding what a user runs and nothing else.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { runCommand } from '../helpers/cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const json = (path: string): any => JSON.parse(readFileSync(join(PACKAGE_ROOT, path), 'utf8'));
const pkg = json('package.json');
const server = json('server.json');

describe('publishing', () => {
  it('server.json is valid against the registry’s schema', () => {
    const schema = json('vendor/mcp-registry/server.schema.json');
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const valid = (doc: object): boolean => validate(doc);
    assert.ok(valid(server), JSON.stringify(validate.errors));
    assert.equal(server.$schema, schema.$id);
    // The schema refuses what the registry refuses: a name without its namespace.
    assert.equal(valid({ ...server, name: 'fast-intercom-mcp' }), false);
  });

  it('server.json names this package, at its version, under the name package.json claims', () => {
    assert.equal(server.name, pkg.mcpName);
    assert.equal(server.version, pkg.version);
    const npm = server.packages.find((p: { registryType: string }) => p.registryType === 'npm');
    assert.equal(npm.identifier, pkg.name);
    assert.equal(npm.version, pkg.version);
    assert.deepEqual(npm.packageArguments, [{ type: 'positional', value: 'start' }]);
  });

  it('the tarball holds the built server, its OpenAPI description and docs, and nothing of the repository’s own', async () => {
    const r = await runCommand('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {});
    assert.equal(r.code, 0, r.stderr);
    const [tarball] = JSON.parse(r.stdout) as { files: { path: string }[]; unpackedSize: number }[];
    const files = tarball!.files.map((f) => f.path);
    for (const needed of [
      'package.json',
      'README.md',
      'LICENSE',
      pkg.bin['fast-intercom-mcp'],
      'dist/src/views/charts.html',
      'vendor/intercom-openapi/api.intercom.io.2.16.yaml',
      'vendor/intercom-openapi/LICENSE.md',
    ])
      assert.ok(files.includes(needed), `${needed} is packed`);
    const stray = files.filter(
      (f) =>
        /^(src|test|test-serial|bench|scripts|tests\/(?!config\.json))\//.test(f) ||
        /^dist\/(test|test-serial|bench|scripts)\//.test(f) ||
        f.startsWith('vendor/mcp-registry/') ||
        f.endsWith('.map') ||
        (f.endsWith('.ts') && !f.endsWith('.d.ts')),
    );
    assert.deepEqual(stray, []);
    assert.ok(
      readFileSync(join(PACKAGE_ROOT, pkg.bin['fast-intercom-mcp']), 'utf8').startsWith(
        '#!/usr/bin/env node',
      ),
    );
    // The OpenAPI description is most of it; a stray build or fixture would show here first.
    assert.ok(tarball!.unpackedSize < 8_000_000, `${tarball!.unpackedSize} bytes unpacked`);
  });
});
