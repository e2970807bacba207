/** Every failure a user can meet, by kind: its exit code, its cause line and what to do next. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/settings.js';
import { IntercomApiError } from '../../src/intercom/errors.js';
import { StoreError, SyncAlreadyRunning } from '../../src/store/errors.js';
import { SyncOutage } from '../../src/sync/deletions.js';
import { SyncInterrupted, SyncRequestError } from '../../src/sync/engine.js';
import {
  EXIT,
  EXIT_MEANINGS,
  explainFailure,
  FAILURE_KINDS,
  failureKind,
  nativeModuleProblem,
  ReportedFailure,
} from '../../src/sync/failures.js';

const errno = (code: string, syscall?: string) =>
  Object.assign(new Error(`${code}: failed`), { code, ...(syscall ? { syscall } : {}) });

describe('the kind of a failure', () => {
  for (const [what, error, kind] of [
    ['a configuration error', new ConfigError('no token'), 'config'],
    ['a request the sync cannot carry out', new SyncRequestError('bad window'), 'request'],
    ['an interrupted sync', new SyncInterrupted(), 'interrupted'],
    ['an outage of the deletion list', new SyncOutage('down'), 'outage'],
    ['another sync holding the lock', new SyncAlreadyRunning({ pid: 1, host: 'h' }), 'busy'],
    ['a read-only copy', new StoreError('read_only', 'ro'), 'read_only'],
    ['a damaged copy', new StoreError('corrupt', 'bad'), 'database'],
    ['a 401', new IntercomApiError('unauthorized', '401', 401), 'unauthorized'],
    ['a 403', new IntercomApiError('forbidden', '403', 403), 'forbidden'],
    ['a 429 past its retries', new IntercomApiError('rate_limited', '429', 429), 'rate_limited'],
    ['a network failure', new IntercomApiError('network', 'ECONNRESET'), 'unreachable'],
    ['a time-out', new IntercomApiError('timeout', 'no answer'), 'unreachable'],
    ['a 404', new IntercomApiError('not_found', '404', 404), 'upstream'],
    ['a failure already classified', new ReportedFailure('disk_full', 'full'), 'disk_full'],
    ['a native module that does not load', errno('ERR_DLOPEN_FAILED'), 'native_module'],
    ['a missing bindings file', new Error('Could not locate the bindings file. Tried: …'), 'native_module'],
    ['a full disk', errno('ENOSPC'), 'disk_full'],
    ['a busy port', errno('EADDRINUSE', 'listen'), 'port_busy'],
    ['a privileged port', errno('EACCES', 'listen'), 'port_busy'],
    ['a file it may not write', errno('EACCES', 'open'), 'permission'],
    ['a read-only file system', errno('EROFS', 'mkdir'), 'permission'],
    ['anything else', new TypeError('x is undefined'), 'other'],
    ['a thrown string', 'odd', 'other'],
  ] as const)
    it(`${what}: ${kind}`, () => assert.equal(failureKind(error), kind));
});

describe('a failure explained', () => {
  it('every kind has an exit code the help explains, a cause and at least one action', () => {
    const documented = new Set(EXIT_MEANINGS.map(([code]) => code));
    for (const kind of FAILURE_KINDS) {
      const e = explainFailure(new ReportedFailure(kind, `a ${kind} failure`));
      assert.equal(e.kind, kind);
      assert.ok(documented.has(e.exitCode), `${kind}: exit ${e.exitCode} is in EXIT_MEANINGS`);
      assert.ok(e.cause.length > 0 && e.actions.length > 0, kind);
      assert.equal(e.message, `a ${kind} failure`);
    }
  });

  for (const [error, exitCode] of [
    [new ConfigError('x'), EXIT.config],
    [new IntercomApiError('unauthorized', 'x', 401), EXIT.auth],
    [new IntercomApiError('network', 'x'), EXIT.network],
    [new StoreError('corrupt', 'x'), EXIT.database],
    [new SyncInterrupted(), EXIT.interrupted],
    [new Error('x'), EXIT.other],
  ] as const)
    it(`${error.constructor.name} (${failureKind(error)}) ends with exit ${exitCode}`, () =>
      assert.equal(explainFailure(error).exitCode, exitCode));

  it("names the region's API in the token check it advises", () => {
    const actions = explainFailure(
      new IntercomApiError('unauthorized', 'x', 401),
      'https://api.eu.intercom.io',
    ).actions;
    assert.ok(
      actions.some((a) => a.includes('https://api.eu.intercom.io/me')),
      actions.join('\n'),
    );
  });

  it('an upstream, database or unknown failure carries its own words in the cause', () => {
    for (const error of [
      new IntercomApiError('server', 'HTTP 502'),
      new StoreError('corrupt', 'page 7 bad'),
      new Error('boom'),
    ])
      assert.match(explainFailure(error).cause, new RegExp(`: ${error.message}$`));
  });
});

describe('why the native module does not load', () => {
  for (const [message, expected] of [
    [
      'The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115.',
      new RegExp(
        `^better-sqlite3 was built for another Node\\.js \\(ABI 115; this one is ${process.versions.modules}\\)$`,
      ),
    ],
    [
      'Could not locate the bindings file. Tried:\n → a\n → b',
      /^better-sqlite3 is not built for this machine/,
    ],
    [
      "Cannot find module './build/Release/better_sqlite3.node'",
      /^better-sqlite3 is not built for this machine/,
    ],
    ['invalid ELF header\nmore', /^better-sqlite3 does not load: invalid ELF header$/],
  ] as const)
    it(JSON.stringify(message.split('\n')[0]), () => assert.match(nativeModuleProblem(message), expected));
});
