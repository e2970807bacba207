/**
 * The query builder's module, loaded on first use and as CommonJS: its 280 modules cost a process
 * about 20 MB of resident memory as ES modules, 15 MB as CommonJS (docs/performance.md), and the
 * reader threads, which never run the shared queries, pay nothing.
 */
import { createRequire } from 'node:module';

type KyselyModule = typeof import('kysely');

let loaded: KyselyModule | undefined;

export const kysely = (): KyselyModule =>
  (loaded ??= createRequire(import.meta.url)('kysely') as KyselyModule);
