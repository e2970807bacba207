/**
 * A worker thread that is one more MCP client with its own event loop: it sends a tool call with
 * a huge argument over and over and reports how long each refusal took, so a test can measure
 * another client's latency meanwhile without sharing a thread with the abuser. It speaks the
 * Streamable HTTP protocol over plain node:http with each body serialised once, so its own CPU
 * time barely competes with the server it is measuring.
 */
import { request } from 'node:http';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

interface Call {
  name: string;
  arguments: Record<string, unknown>;
}

function post(url: URL, headers: Record<string, string>, body: Buffer) {
  return new Promise<{ session: string | undefined; text: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          'Content-Length': String(body.length),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ session: res.headers['mcp-session-id'] as string | undefined, text }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

async function abuse(): Promise<void> {
  const { url, token, calls } = workerData as { url: string; token: string; calls: Call[] };
  const target = new URL(url);
  const json = (v: unknown) => Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...(v as object) }));
  const auth = { Authorization: `Bearer ${token}` };
  const init = await post(
    target,
    auth,
    json({
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'abuser', version: '1' },
      },
    }),
  );
  const headers = { ...auth, 'mcp-session-id': init.session!, 'mcp-protocol-version': '2025-06-18' };
  await post(target, headers, json({ method: 'notifications/initialized' }));
  const bodies = calls.map((c, i) => json({ id: i + 1, method: 'tools/call', params: c }));
  const results: { ms: number; isError: boolean; length: number }[] = [];
  for (const body of bodies) {
    const t = performance.now();
    const { text } = await post(target, headers, body);
    const ms = performance.now() - t;
    const data = /^data: (.*)$/m.exec(text)?.[1] ?? text;
    const r = (JSON.parse(data) as { result?: { isError?: boolean; content: { text: string }[] } }).result;
    results.push({ ms, isError: r?.isError === true, length: r?.content[0]?.text.length ?? 0 });
  }
  parentPort!.postMessage({ results });
}

// The test runner also loads every file under dist/test/ as a test of its own: there it does nothing.
if (!isMainThread) await abuse();
