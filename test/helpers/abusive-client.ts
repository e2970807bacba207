/**
 * A worker thread that is one more MCP client with its own event loop: it sends tool calls with
 * huge arguments back to back and reports how long each refusal took, so a test can time another
 * client meanwhile without sharing a thread with the abuser.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { rawSession } from './raw-mcp.js';

async function abuse(): Promise<void> {
  const { url, token, calls } = workerData as {
    url: string;
    token: string;
    calls: { name: string; arguments: Record<string, unknown> }[];
  };
  const session = await rawSession(url, token);
  const bodies = calls.map((c) => session.body(c.name, c.arguments));
  const results = [];
  for (const body of bodies) {
    const r = await session.send(body);
    results.push({ ms: r.ms, isError: r.isError, length: r.text.length });
  }
  parentPort!.postMessage({ results });
}

// The test runner also loads every file under dist/test/ as a test of its own: there it does nothing.
if (!isMainThread) await abuse();
