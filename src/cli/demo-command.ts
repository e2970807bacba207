/**
 * `fast-intercom-mcp demo` (what `npm start` runs): the product end to end in one command. With no
 * INTERCOM_ACCESS_TOKEN it starts the built-in Intercom emulator and a throw-away workspace; with a
 * token it uses the real API and the configured workspace. Then: a sync with its progress bar, the
 * status, and a few sample questions answered from the local copy, with their timings.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Command } from 'commander';
import { PACKAGE_VERSION } from '../package-root.js';
import { startEmulator } from '../emulator/server.js';
import { runSync } from '../sync/engine.js';
import { RunLock } from '../sync/run-lock.js';
import { contextFrom, createApi, guarded, openStore } from './context.js';
import { intOption } from './options.js';
import { formatStatus } from './status-command.js';
import { formatSummary } from './sync-command.js';
import { createProgressView } from './sync-progress.js';
import { tempWorkspace } from './temp-workspace.js';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

const QUESTIONS: { question: string; tool: string; args: Record<string, unknown> }[] = [
  {
    question: 'What did customers complain about this week?',
    tool: 'search_conversations',
    args: { query: 'refund OR charged OR slow OR error OR broken', timeframe: 'this week', limit: 3 },
  },
  {
    question: 'Which conversations are waiting on us?',
    tool: 'search_conversations',
    args: { state: 'open', limit: 3 },
  },
  { question: 'How did the last 7 days go?', tool: 'conversation_stats', args: { timeframe: 'last 7 days' } },
];

/** Asks sample questions the way an assistant would: through the real MCP server over stdio. */
async function askThroughMcp(workspace: string, say: (line?: string) => void): Promise<void> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  const client = new Client({ name: 'fast-intercom-mcp-demo', version: PACKAGE_VERSION });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [
        fileURLToPath(new URL('./main.js', import.meta.url)),
        '--workspace',
        workspace,
        '--test-mode',
        'start',
      ],
      env,
      stderr: 'ignore',
    }),
  );
  try {
    const { tools } = await client.listTools();
    say(`\nMCP server started over stdio: ${tools.length} tools (${tools.map((t) => t.name).join(', ')})`);
    let firstId: string | undefined;
    const ask = async (question: string, tool: string, args: Record<string, unknown>) => {
      const t = process.hrtime.bigint();
      const result = (await client.callTool({ name: tool, arguments: args })) as {
        content: { text: string }[];
        structuredContent?: { conversations?: { id: string }[] };
      };
      say(`\n❓ ${question}  → ${tool} (${ms(t).toFixed(1)} ms)`);
      say(
        result.content[0]!.text.split('\n')
          .slice(0, 14)
          .map((l) => `  ${l}`)
          .join('\n'),
      );
      firstId ??= result.structuredContent?.conversations?.[0]?.id;
    };
    for (const q of QUESTIONS) await ask(q.question, q.tool, q.args);
    if (firstId)
      await ask(`Show me conversation #${firstId}`, 'get_conversation', {
        conversation_id: firstId,
        max_parts: 4,
      });
  } finally {
    await client.close();
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'see it work: sync (the built-in emulator when no token is set), then answer sample questions',
    )
    .option('--days <n>', 'days of conversations to sync', intOption, 7)
    .option('--conversations <n>', 'size of the emulated workspace', intOption, 3000)
    .option('--keep', 'keep the demo workspace instead of deleting it')
    .action(
      guarded(async (opts: { days: number; conversations: number; keep?: boolean }, cmd: Command) => {
        const emulated = !process.env.INTERCOM_ACCESS_TOKEN;
        const em = emulated
          ? await startEmulator({ conversations: opts.conversations, days: 30, latencyMs: 30, jitterMs: 15 })
          : undefined;
        const dir =
          emulated && !cmd.optsWithGlobals<{ workspace?: string }>().workspace ? tempWorkspace() : undefined;
        if (dir) process.env.FASTINTERCOM_WORKSPACE = dir;
        if (em) {
          process.env.INTERCOM_API_BASE_URL = em.url;
          process.env.INTERCOM_ACCESS_TOKEN = em.token;
        }
        const ctx = contextFrom(cmd);
        const say = (line = '') => process.stdout.write(`${line}\n`);
        try {
          say(
            em
              ? `No INTERCOM_ACCESS_TOKEN: using the built-in Intercom emulator at ${em.url}\n` +
                  `  workspace "${em.workspace.name}", ${em.workspace.size} conversations over 30 days, 30±15 ms latency, ` +
                  `${em.settings.limiter.perMinute}/min rate limit`
              : `Using the Intercom API at ${ctx.settings.baseUrl}`,
          );
          say(`Local workspace: ${ctx.settings.paths.dir}\n`);
          const api = createApi(ctx);
          const me = await api.me();
          say(`✅ API connection: workspace '${me.app?.name ?? '?'}'`);
          const store = openStore(ctx);
          const lock = RunLock.acquire(ctx.settings.paths.lockFile);
          try {
            const view = createProgressView();
            const result = await runSync(api, store, {
              defaultDays: opts.days,
              since: Math.floor(Date.now() / 1000) - opts.days * 86400,
              onProgress: (p) => view.update(p),
            });
            view.stop();
            say(formatSummary(result));
            say();
            say(formatStatus(store.status(), ctx.settings.maxSyncAgeMinutes));
          } finally {
            lock.release();
            store.close();
          }
          await askThroughMcp(ctx.settings.paths.dir, say);
          say(
            '\nNext: connect an MCP client (see the README), or run `fast-intercom-mcp sync` for real data.',
          );
        } finally {
          await em?.stop();
          if (dir && !opts.keep) rmSync(dir, { recursive: true, force: true });
        }
      }),
    );
}
