/**
 * `start` as a client's stdio server, sent an 11 MB message between two ordinary ones: the big
 * one gets a JSON-RPC error for its id, the log says so, the next request is answered, and the
 * server ends with 0 only when its input does.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI, tempWorkspace } from '../helpers/cli.js';

describe('stdio messages past the bound', () => {
  it('answers an 11 MB message with an error for its id and goes on', async () => {
    const dir = tempWorkspace();
    const child = spawn(process.execPath, [CLI, '--workspace', dir, '--test-mode', 'start'], {
      env: { ...process.env, INTERCOM_ACCESS_TOKEN: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const answers = new Map<number, { result?: unknown; error?: { code: number; message: string } }>();
    const waiting = new Map<number, () => void>();
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, nl)) as {
          id: number;
          result?: unknown;
          error?: { code: number; message: string };
        };
        buffered = buffered.slice(nl + 1);
        answers.set(message.id, message);
        waiting.get(message.id)?.();
      }
    });
    const exited = new Promise<number | null>((r) => child.once('close', r));
    const answer = (id: number) =>
      answers.has(id) ? Promise.resolve() : new Promise<void>((r) => waiting.set(id, r));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);

    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    await answer(1);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    // The SDK client's order: the id comes last.
    send({
      method: 'tools/call',
      params: { name: 'search_conversations', arguments: { query: 'x'.repeat(11 * 1024 * 1024) } },
      jsonrpc: '2.0',
      id: 2,
    });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} });
    await answer(3);
    await answer(2);
    assert.equal(answers.get(2)!.error?.code, -32600);
    assert.match(answers.get(2)!.error!.message, /Message too large: \d+ bytes, at most 1048576/);
    assert.ok(
      (answers.get(3)!.result as { tools: unknown[] }).tools.length > 5,
      'the next request is answered',
    );
    assert.equal(child.exitCode, null, 'still running');
    child.stdin.end();
    assert.equal(await exited, 0);
    const log = readFileSync(join(dir, 'logs', 'fast-intercom-mcp.log'), 'utf8');
    assert.match(log, /WARNING mcp: a \d+-byte message on stdio refused \(at most 1048576\)/);
  });
});
