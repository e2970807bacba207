/**
 * A worker thread that is one more MCP client with its own event loop: it sends a tool call with
 * a huge argument over and over and reports how long each refusal took, so a test can measure
 * another client's latency meanwhile without sharing a thread with the abuser.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

// The test runner also loads every file under dist/test/ as a test of its own: there it does nothing.
if (!isMainThread) await abuse();

async function abuse(): Promise<void> {
  const { url, token, calls } = workerData as {
    url: string;
    token: string;
    calls: { name: string; arguments: Record<string, unknown> }[];
  };
  const client = new Client({ name: 'abuser', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  parentPort!.postMessage({ ready: true });
  const results: { ms: number; isError: boolean; length: number }[] = [];
  for (const call of calls) {
    const t = performance.now();
    const r = (await client.callTool(call)) as { isError?: boolean; content: { text: string }[] };
    results.push({
      ms: performance.now() - t,
      isError: r.isError === true,
      length: r.content[0]?.text.length ?? 0,
    });
  }
  await client.close();
  parentPort!.postMessage({ results });
}
