/**
 * A flood at the webhook route, as an attacker who knows its address would send it: 150
 * connections at once, each with a 5 MB body and no signature, then 150 with a well-formed but
 * forged signature and a body just under the bound. The server's peak resident memory (VmHWM,
 * which the kernel keeps, so no sampling decides the verdict) may grow by less than 100 MB, and a
 * real notification is still accepted afterwards.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { MAX_NOTIFICATION_BYTES } from '../../src/server/webhooks.js';
import { tempWorkspace } from '../helpers/cli.js';
import { rawRequest } from '../helpers/http.js';

const SECRET = 'flood-secret-5678';
const CONNECTIONS = 150;
const MB = 1024 * 1024;

/** Kilobytes of one /proc/PID/status field. */
function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]);
}

/**
 * One request on its own socket: headers, then `bytes` of body written as fast as the server
 * takes them. Resolves with the status line's code, or 0 when the server closed without one.
 */
function flood(url: URL, headers: Record<string, string>, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    const done = () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0));
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      const head = [
        `POST ${url.pathname} HTTP/1.1`,
        `Host: ${url.host}`,
        'Content-Type: application/json',
        `Content-Length: ${bytes}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        '',
        '',
      ].join('\r\n');
      socket.write(head);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < bytes && !socket.destroyed) {
          const n = Math.min(chunk.length, bytes - sent);
          sent += n;
          if (!socket.write(chunk.subarray(0, n))) return socket.once('drain', pump);
        }
      };
      pump();
    });
  });
}

describe('a flood at the webhook route', () => {
  let serve: ServeProcess;
  let hook: URL;
  before(async () => {
    serve = await startServeProcess(
      tempWorkspace(),
      { FASTINTERCOM_WEBHOOK_SECRET: SECRET },
      'flood-token-123456',
    );
    hook = new URL('/webhooks/intercom', serve.url);
  });
  after(() => serve?.stop());

  const peakGrowthMb = async (headers: Record<string, string>, bytes: number) => {
    const pid = serve.child.pid!;
    const before = statusKb(pid, 'VmRSS');
    const codes = await Promise.all(Array.from({ length: CONNECTIONS }, () => flood(hook, headers, bytes)));
    return { growth: (statusKb(pid, 'VmHWM') - before) / 1024, codes };
  };

  it('refuses 150 unsigned 5 MB bodies before reading them', async () => {
    const { growth, codes } = await peakGrowthMb({}, 5 * MB);
    assert.ok(growth < 100, `peak RSS grew ${growth.toFixed(0)} MB`);
    assert.ok(
      codes.every((c) => c === 401 || c === 0),
      `every one refused: ${[...new Set(codes)].join(', ')}`,
    );
    assert.ok(codes.includes(401), 'the refusal is a 401 where the client reads it');
  });

  it('holds at most its budget for 150 forged signatures with bodies under the bound', async () => {
    const forged = { 'X-Hub-Signature': `sha1=${'0'.repeat(40)}` };
    const { growth, codes } = await peakGrowthMb(forged, MAX_NOTIFICATION_BYTES - 1024);
    assert.ok(growth < 100, `peak RSS grew ${growth.toFixed(0)} MB`);
    assert.ok(
      codes.every((c) => c === 401 || c === 503 || c === 0),
      `every one refused: ${[...new Set(codes)].join(', ')}`,
    );
    const over = await flood(hook, forged, MAX_NOTIFICATION_BYTES + 1);
    assert.ok(over === 413 || over === 0, `a body over the bound is refused (${over})`);
  });

  it('still accepts a signed notification', async () => {
    const body = JSON.stringify({
      type: 'notification_event',
      id: 'notif_after_flood',
      topic: 'contact.user.created',
      created_at: Math.floor(Date.now() / 1000),
      data: { item: { type: 'contact', id: 'c-1' } },
    });
    const r = await rawRequest(hook.toString(), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Hub-Signature': `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    assert.equal(r.status, 200);
  });
});
