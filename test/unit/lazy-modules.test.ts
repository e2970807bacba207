/**
 * The query builder is loaded on first use (store/shared/kysely.ts): as a static import it costs
 * every process, and each of the server's reader threads, about 12 MB more (a value import of
 * `sql` in one store module took the MCP server's peak from 137 MB to 152 MB, past the procedures'
 * 150 MB). Only type imports of it may be static.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Import declarations of `module` that bring values, not only types. */
function valueImports(source: string, module: string): string[] {
  const declarations = source.match(/^import\s[^;]*?from\s+['"][^'"]+['"];?/gms) ?? [];
  return declarations.filter(
    (d) => new RegExp(`from\\s+['"]${module}['"]`).test(d) && !/^import\s+type\s/.test(d),
  );
}

describe('modules loaded on first use', () => {
  it('tells a value import from a type import', () => {
    const cases: [string, number][] = [
      ["import type { Kysely } from 'kysely';", 0],
      ["import { sql, type Kysely } from 'kysely';", 1],
      ["import { sql } from 'kysely';", 1],
      ["import {\n  sql,\n  type Kysely,\n} from 'kysely';", 1],
      ["import type { X } from 'kysely-extra';", 0],
      ["import { x } from './kysely.js';", 0],
    ];
    for (const [source, n] of cases) assert.equal(valueImports(source, 'kysely').length, n, source);
  });

  it('imports the query builder as a value nowhere in src/', () => {
    const found = sources(join(PACKAGE_ROOT, 'src')).flatMap((f) =>
      valueImports(readFileSync(f, 'utf8'), 'kysely').map((d) => `${f}: ${d}`),
    );
    assert.deepEqual(found, [], 'load it with kysely() from store/shared/kysely.ts');
  });
});
