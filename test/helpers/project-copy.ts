/**
 * A copy of the built package whose native SQLite module is missing, as after `npm ci
 * --ignore-scripts` or a half-finished install: the compiled CLI and the manifest are copied, every
 * dependency is linked to the real one, and better-sqlite3 is copied without its `build/` folder.
 */
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { tempWorkspace } from './cli.js';

export function projectWithoutNativeModule(): { root: string; cli: string } {
  const root = tempWorkspace('fim-no-native-');
  cpSync(join(PACKAGE_ROOT, 'package.json'), join(root, 'package.json'));
  cpSync(join(PACKAGE_ROOT, 'dist', 'src'), join(root, 'dist', 'src'), { recursive: true });
  symlinkSync(join(PACKAGE_ROOT, 'vendor'), join(root, 'vendor'));
  const modules = join(PACKAGE_ROOT, 'node_modules');
  mkdirSync(join(root, 'node_modules'));
  for (const name of readdirSync(modules)) {
    if (name === 'better-sqlite3') continue;
    symlinkSync(join(modules, name), join(root, 'node_modules', name));
  }
  const from = join(modules, 'better-sqlite3');
  const to = join(root, 'node_modules', 'better-sqlite3');
  mkdirSync(to);
  for (const entry of ['package.json', 'lib'])
    cpSync(join(from, entry), join(to, entry), { recursive: true });
  return { root, cli: join(root, 'dist', 'src', 'cli', 'main.js') };
}
