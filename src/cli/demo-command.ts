/**
 * `fast-intercom-mcp demo` (what `npm start` runs): the product end to end in one command. With no
 * INTERCOM_ACCESS_TOKEN it starts the built-in Intercom emulator and a throw-away workspace; with a
 * token it uses the real API and the configured workspace. Then: a sync with its progress bar, the
 * status, and a few sample questions answered from the local copy, with their timings.
 */
import { rmSync } from 'node:fs';
import type { Command } from 'commander';
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
            say('\nSample questions, answered from the local copy:');
            const weekAgo = Math.floor(Date.now() / 1000) - 7 * 86400;
            let t = process.hrtime.bigint();
            const complaints = store.searchConversations({
              text: 'refund OR charged OR slow OR error OR broken',
              from: weekAgo,
              sort: 'relevance',
              limit: 5,
              offset: 0,
            });
            say(
              `\n❓ What did customers complain about this week?  (${complaints.total} conversations, ${ms(t).toFixed(1)} ms)`,
            );
            for (const h of complaints.hits) {
              say(
                `  #${h.id} [${h.state}] ${h.customer?.name ?? h.customer?.email ?? 'anonymous'}: ${h.snippet}`,
              );
            }
            t = process.hrtime.bigint();
            const open = store.searchConversations({ state: 'open', sort: 'newest', limit: 3, offset: 0 });
            say(`\n❓ Which conversations are waiting on us?  (${open.total} open, ${ms(t).toFixed(1)} ms)`);
            for (const h of open.hits)
              say(`  #${h.id} ${h.subject} (assignee: ${h.assignee ?? 'unassigned'})`);
            const first = complaints.hits[0] ?? open.hits[0];
            if (first) {
              t = process.hrtime.bigint();
              const c = store.getConversation(first.id)!;
              say(`\n❓ Show me conversation #${c.id}  (${c.parts.length} parts, ${ms(t).toFixed(1)} ms)`);
              say(`  ${c.sourceAuthor.name ?? 'Customer'}: ${(c.sourceBody ?? '').slice(0, 140)}`);
              for (const p of c.parts.filter((x) => x.body).slice(0, 4)) {
                say(`  ${p.author.name ?? p.author.type} (${p.partType}): ${(p.body ?? '').slice(0, 140)}`);
              }
            }
          } finally {
            lock.release();
            store.close();
          }
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
