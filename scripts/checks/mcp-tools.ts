/**
 * ./scripts/test_mcp_tools.sh --tool search_conversations: one MCP tool, called through a real
 * server process over stdio on an existing workspace (the test workspace unless --workspace is
 * given), with arguments that suit it unless --args gives JSON. Prints the answer and its time.
 */
import { resolveWorkspace } from '../../src/config/workspace-paths.js';
import { EXPECTED_TOOLS } from '../../src/integration/mcp-check.js';
import { startServerProcess } from '../../src/integration/server-process.js';
import { loadSettings } from '../../src/config/settings.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { childEnv } from '../../test/helpers/cli.js';
import { options, runChecks } from './harness.js';

const opts = options({ tool: 'search_conversations', args: '', workspace: '' });

async function defaultArgs(tool: string, store: Store): Promise<Record<string, unknown>> {
  const hit = (await store.searchConversations({ sort: 'newest', limit: 1, offset: 0 })).hits[0];
  const email = (await store.searchConversations({ sort: 'newest', limit: 50, offset: 0 })).hits.find(
    (h) => h.customer?.email,
  )?.customer?.email;
  switch (tool) {
    case 'search_conversations':
      return { timeframe: 'last 7 days', limit: 5 };
    case 'get_conversation':
      return { conversation_id: hit?.id ?? '0', max_parts: 6 };
    case 'conversation_stats':
      return { timeframe: 'last 30 days' };
    case 'search_contacts':
      return { query: email ?? 'example' };
    case 'get_contact':
      return { contact: email ?? 'nobody@example.com' };
    case 'sync_conversations':
      return { wait_seconds: 120 };
    case 'search':
      return { query: hit?.subject.split(' ')[0] ?? 'refund' };
    case 'fetch':
      return { id: hit?.id ?? '0' };
    default:
      return {};
  }
}

/** An answer whose lists are all empty, or whose total is zero. */
function answeredNothing(structured: Record<string, unknown> | undefined): boolean {
  if (!structured) return true;
  if (structured.total === 0) return true;
  const lists = ['conversations', 'results', 'contacts', 'messages'].filter((k) =>
    Array.isArray(structured[k]),
  );
  return lists.length > 0 && lists.every((k) => (structured[k] as unknown[]).length === 0);
}

await runChecks(`MCP tool check: ${opts.tool}`, async ({ ok, info }) => {
  ok(
    (EXPECTED_TOOLS as readonly string[]).includes(opts.tool),
    `'${opts.tool}' is one of the server's tools`,
    EXPECTED_TOOLS.join(', '),
  );
  const paths = resolveWorkspace({
    ...(opts.workspace ? { workspace: opts.workspace } : {}),
    testMode: !opts.workspace,
  });
  const store = await openStore(loadSettings(paths).store);
  const args = opts.args
    ? (JSON.parse(opts.args) as Record<string, unknown>)
    : await defaultArgs(opts.tool, store);
  await store.close();
  const server = await startServerProcess(paths.dir, childEnv({}));
  try {
    const listed = (await server.client.listTools()).tools.map((t) => t.name);
    ok(
      listed.includes(opts.tool),
      `server started over stdio in ${server.startupMs.toFixed(0)} ms and lists ${opts.tool}`,
      `workspace ${paths.dir}`,
    );
    const t = performance.now();
    const r = (await server.client.callTool({ name: opts.tool, arguments: args })) as {
      content: { text?: string }[];
      isError?: boolean;
      structuredContent?: Record<string, unknown>;
    };
    const ms = performance.now() - t;
    info(`${opts.tool}(${JSON.stringify(args)}) → ${ms.toFixed(1)} ms`);
    for (const line of r.content
      .map((c) => c.text ?? '')
      .join('\n')
      .split('\n')
      .slice(0, 30))
      info(`  ${line}`);
    ok(!r.isError, `${opts.tool} answered without a tool error`);
    // A tool that works on an empty copy proves nothing: an answer must hold something.
    ok(
      !answeredNothing(r.structuredContent),
      `${opts.tool} answered with data`,
      answeredNothing(r.structuredContent) ? `nothing in the copy at ${paths.dir}: sync it first` : '',
    );
  } finally {
    await server.stop();
  }
});
