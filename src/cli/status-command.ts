/** `fast-intercom-mcp status`: what the local copy holds, how fresh it is, and (with --check) whether it is sound. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { asInvoked, count } from '../wording.js';
import { engineOf, storeLocation } from '../store/open.js';
import type { Holder } from '../store/errors.js';
import type { NotificationStats, StoreStatus } from '../store/types.js';
import { HELP_CENTER_FORBIDDEN_KEY } from '../sync/help-center.js';
import { TICKETS_FORBIDDEN_KEY } from '../sync/tickets.js';
import { COMPANIES_FORBIDDEN_KEY } from '../sync/companies.js';
import { forbiddenReferenceLists, missingNames, type ReferenceList } from '../sync/reference-data.js';
import { contextFrom, guarded, openStore, requireWorkspace } from './context.js';
import { printOutput } from './output.js';

const when = (t: number | null | undefined) =>
  t ? `${new Date(t * 1000).toISOString().replace('.000Z', 'Z')}` : 'never';

export function formatAge(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

export function formatStatus(
  s: StoreStatus,
  maxSyncAgeMinutes: number,
  leader: Holder | undefined,
  hooks: NotificationStats,
  forbidden: {
    names?: readonly ReferenceList[];
    helpCenter?: string | undefined;
    tickets?: string | undefined;
    companies?: string | undefined;
  } = {},
  now = Date.now() / 1000,
): string {
  const last = s.lastSuccessfulRun;
  const age = last?.finishedAt ? now - last.finishedAt : undefined;
  const fresh = age !== undefined && age <= maxSyncAgeMinutes * 60;
  const lines = [
    `Conversations: ${s.conversations.toLocaleString('en-US')} (${s.deletedConversations} deleted in Intercom, kept locally)`,
    `Messages:      ${s.parts.toLocaleString('en-US')}${s.truncatedThreads ? ` (${count(s.truncatedThreads, 'thread')} truncated by the API's 500-part cap)` : ''}`,
    `Contacts:      ${s.contacts.toLocaleString('en-US')}; admins ${s.admins}, teams ${s.teams}, tags ${s.tags}`,
    `Tickets:       ${
      forbidden.tickets
        ? `not synced: the access token may not read tickets (${forbidden.tickets})`
        : `${s.tickets.toLocaleString('en-US')} (${s.openTickets.toLocaleString('en-US')} open)`
    }`,
    `Companies:     ${
      forbidden.companies
        ? `not synced: the access token may not read companies (${forbidden.companies})`
        : count(s.companies, 'company', 'companies')
    }`,
    `Help Center:   ${
      forbidden.helpCenter
        ? `not synced: the access token may not read articles (${forbidden.helpCenter})`
        : `${count(s.articles, 'article')} (${s.publishedArticles.toLocaleString('en-US')} published) in ${count(s.collections, 'collection')}`
    }`,
    `Database:      ${(s.databaseBytes / 1e6).toFixed(1)} MB, schema version ${s.schemaVersion}`,
    `Last sync:     ${last ? `${when(last.finishedAt)} (${last.kind}, ${last.conversations.toLocaleString('en-US')} fetched, ${count(last.apiCalls, 'API call')})` : 'never'}`,
    `Freshness:     ${age === undefined ? 'no completed sync yet' : `${formatAge(age)} old, ${fresh ? 'fresh' : 'stale'} (limit ${maxSyncAgeMinutes} min)`}`,
  ];
  if (forbidden.names?.length) lines.push(`Names:         ${missingNames(forbidden.names)}`);
  if (s.lastRun && s.lastRun.status !== 'succeeded') {
    lines.push(
      `Latest run:    ${s.lastRun.status} at ${when(s.lastRun.startedAt)}${s.lastRun.error ? `: ${s.lastRun.error}` : ''}`,
    );
  }
  lines.push(
    `Sync leader:   ${leader ? `process ${leader.pid} on ${leader.host}, since ${when(leader.since)}` : 'none (no server syncs on a schedule now)'}`,
    `Webhooks:      ${hooks.received === 0 ? 'none received' : `${count(hooks.received, 'notification')} in 7 days, the last ${when(hooks.lastReceivedAt)} (${hooks.lastLagSeconds} s after Intercom sent it), ${hooks.pending} waiting${hooks.parked ? `, ${hooks.parked} parked after failing (the next sync reads them)` : ''}`}`,
    `Coverage:      ${s.coverage.length === 0 ? 'none' : s.coverage.map((w) => `${when(w.from)} → ${when(w.to)}`).join('; ')}`,
    `Writes:        ${s.writes.done + s.writes.failed === 0 ? 'none made to Intercom' : `${count(s.writes.done, 'write')} made to Intercom${s.writes.failed ? `, ${s.writes.failed} failed` : ''} (fast-intercom-mcp audit lists them)`}`,
  );
  return lines.join('\n');
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('counts, database size, last sync, coverage windows and freshness')
    .option('--check', "also check the database's integrity, page by page")
    .option('--json', 'print the status as JSON')
    .action(
      guarded(async (opts: { check?: boolean; json?: boolean }, cmd: Command) => {
        const ctx = contextFrom(cmd);
        requireWorkspace(ctx);
        if (!(await engineOf(ctx.settings.store).exists(ctx.settings.store))) {
          // After a reset the workspace is set up and only its data is gone: sync is the next step.
          const next =
            existsSync(ctx.settings.paths.configFile) || ctx.settings.token
              ? 'run `fast-intercom-mcp sync` to fill it'
              : 'run `fast-intercom-mcp init` then `sync`';
          const message = asInvoked(
            `No database yet at ${storeLocation(ctx.settings.store).description}: ${next}.`,
            ctx.invocation,
          );
          printOutput(opts.json ? { database: null, message } : message);
          return;
        }
        const store = await openStore(ctx);
        try {
          const status = await store.status();
          const leader = await store.syncLeader();
          const hooks = await store.notificationStats();
          const forbidden = await forbiddenReferenceLists(store);
          const helpCenterForbidden = (await store.getMeta(HELP_CENTER_FORBIDDEN_KEY)) || undefined;
          const ticketsForbidden = (await store.getMeta(TICKETS_FORBIDDEN_KEY)) || undefined;
          const companiesForbidden = (await store.getMeta(COMPANIES_FORBIDDEN_KEY)) || undefined;
          const problems = opts.check ? await store.integrityProblems() : [];
          if (opts.json) {
            printOutput({
              ...status,
              writable: store.writable,
              syncLeader: leader ?? null,
              webhooks: hooks,
              missingNames: forbidden,
              ...(helpCenterForbidden ? { helpCenterForbidden } : {}),
              ...(ticketsForbidden ? { ticketsForbidden } : {}),
              ...(companiesForbidden ? { companiesForbidden } : {}),
              ...(opts.check ? { integrity: problems.length ? problems : 'ok' } : {}),
            });
          } else {
            console.log(
              `Workspace:     ${ctx.settings.file.workspace_name ?? '(not initialised)'} at ${ctx.settings.paths.dir}`,
            );
            console.log(
              formatStatus(status, ctx.settings.maxSyncAgeMinutes, leader, hooks, {
                names: forbidden,
                helpCenter: helpCenterForbidden,
                tickets: ticketsForbidden,
                companies: companiesForbidden,
              }),
            );
            if (!store.writable)
              console.log('Access:        read-only for this user (queries work; syncs need the owner)');
            if (opts.check)
              console.log(`Integrity:     ${problems.length === 0 ? 'ok' : problems.slice(0, 5).join('; ')}`);
          }
          if (problems.length > 0) {
            process.stderr.write(
              asInvoked(
                'error: the database is damaged. Run `fast-intercom-mcp reset --yes` and `fast-intercom-mcp sync` to rebuild it.\n',
                ctx.invocation,
              ),
            );
            process.exitCode = 5;
          }
        } finally {
          await store.close();
        }
      }),
    );
}
