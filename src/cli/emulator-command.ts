/** `fast-intercom-mcp emulator`: runs the Intercom API emulator in the foreground. */
import type { Command } from 'commander';
import { guarded } from './context.js';
import { fractionOption, intOption, portOption, signedIntOption } from './options.js';

export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('run the built-in Intercom REST API emulator (seeded workspace, rate limits, faults)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', portOption, 8090)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--seed <seed>', 'workspace seed: the same seed gives the same workspace', 'fast-intercom')
    .option('--conversations <n>', 'number of conversations', intOption, 2000)
    .option('--days <n>', 'conversations are spread over this many days', intOption, 30)
    .option('--tickets <n>', 'number of tickets (default: a fifth of the conversations)', intOption)
    .option('--companies <n>', 'number of companies (default: a twelfth of the contacts)', intOption)
    .option('--articles <n>', 'number of Help Center articles (default: one per 40 conversations)', intOption)
    .option('--theme <phrase>', 'plant a theme: words customers start writing about in the last 5 days')
    .option('--theme-conversations <n>', 'how many conversations carry the planted theme', intOption, 40)
    .option('--token <token>', 'the access token the emulator accepts', 'emulator-token')
    .option('--per-minute <n>', 'rate limit, calls a minute (enforced per 10 s window)', intOption, 10_000)
    .option('--latency <ms>', 'fixed latency added to each API response', intOption, 0)
    .option('--jitter <ms>', 'random latency added or removed, up to this much', intOption, 0)
    .option(
      '--clock-offset <s>',
      "seconds Intercom's clock is ahead of ours (negative: behind)",
      signedIntOption,
      0,
    )
    .option(
      '--neighbour-share <fraction>',
      'share of every rate-limit window another app spends',
      fractionOption,
      0,
    )
    .action(
      guarded(async (opts) => {
        const { startEmulator } = await import('../emulator/server.js');
        const em = await startEmulator({
          port: opts.port,
          host: opts.host,
          seed: opts.seed,
          conversations: opts.conversations,
          days: opts.days,
          ...(opts.tickets !== undefined ? { tickets: opts.tickets } : {}),
          ...(opts.companies !== undefined ? { companies: opts.companies } : {}),
          ...(opts.articles !== undefined ? { articles: opts.articles } : {}),
          ...(opts.theme !== undefined
            ? { theme: { phrase: opts.theme, conversations: opts.themeConversations, days: 5 } }
            : {}),
          token: opts.token,
          perMinute: opts.perMinute,
          latencyMs: opts.latency,
          jitterMs: opts.jitter,
          clockOffsetSeconds: opts.clockOffset,
          neighbourShare: opts.neighbourShare,
        });
        const ws = em.workspace;
        process.stderr.write(
          `Intercom emulator listening on ${em.url}\n` +
            `  workspace "${ws.name}": ${ws.size} conversations over ${opts.days} days, ` +
            `${ws.directory.contactCount} contacts, ${ws.directory.admins.length} admins, ` +
            `${ws.directory.teams.length} teams, ${ws.directory.tags.length} tags\n` +
            // A made-up token for a made-up workspace: printed, so a client can be pointed at it.
            `  token: ${opts.token}; rate limit ${em.settings.limiter.perWindow} calls per 10 s\n` +
            `  control API: ${em.url}/_emulator/state\n` +
            `  use it: INTERCOM_API_BASE_URL=${em.url} INTERCOM_ACCESS_TOKEN=${opts.token} fast-intercom-mcp sync\n` +
            `  or in an MCP client's config: "env": {"INTERCOM_API_BASE_URL": "${em.url}", "INTERCOM_ACCESS_TOKEN": "${opts.token}"}\n`,
        );
        const stop = () => void em.stop().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    );
}
