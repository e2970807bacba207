/** Finds files shipped with the package (the vendored OpenAPI description) from compiled code. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'fast-intercom-mcp')
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('fast-intercom-mcp: cannot find the package root');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findRoot();

const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
};

export const PACKAGE_VERSION: string = manifest.version;

/** The oldest Node.js major the package supports, from its `engines` (">=20"). */
export const MIN_NODE_MAJOR = Number(/\d+/.exec(manifest.engines.node)?.[0]);

export const OPENAPI_PATH = join(PACKAGE_ROOT, 'vendor', 'intercom-openapi', 'api.intercom.io.2.16.yaml');
