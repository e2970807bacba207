/**
 * `fast-intercom-mcp audit`: the writes made to Intercom through this copy, newest first: who, what,
 * when, the preview they confirmed and what Intercom answered (or why it failed). `--previews` adds
 * the previews never confirmed.
 */
import type { Command } from 'commander';
import { engineOf } from '../store/open.js';
import { changeText, type Change } from '../actions/write-plan.js';
import type { AuditEntry } from '../store/types.js';
import { contextFrom, guarded, openStore, requireWorkspace } from './context.js';
import { positiveIntOption } from './options.js';
import { printOutput } from './output.js';

const when = (t: number | null) => (t === null ? '' : new Date(t * 1000).toISOString().replace('.000Z', 'Z'));

interface Shown {
  changes?: Change[];
}

/** One entry as lines: the write, then each change it made, then Intercom's answer or the failure. */
export function formatAuditEntry(e: AuditEntry): string {
  const preview = e.preview as Shown;
  const head = `#${e.id} ${when(e.finishedAt ?? e.confirmedAt ?? e.createdAt)} ${e.status.padEnd(9)} ${e.action} on ${e.targetType} ${e.targetId} by ${e.principal}`;
  const changes = (preview.changes ?? []).map((c) => `    ${changeText(c)}`);
  const outcome =
    e.status === 'failed'
      ? [`    failed: ${e.error ?? ''}`]
      : e.answer
        ? [`    Intercom: ${JSON.stringify(e.answer)}`]
        : [];
  return [head, ...changes, ...outcome].join('\n');
}

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('the writes made to Intercom through this copy: who, what, when, and what Intercom answered')
    .option('--limit <n>', 'how many, newest first', positiveIntOption, 50)
    .option('--previews', 'also the previews never confirmed')
    .option('--json', 'print the entries as JSON')
    .action(
      guarded(async (opts: { limit: number; previews?: boolean; json?: boolean }, cmd: Command) => {
        const ctx = contextFrom(cmd);
        requireWorkspace(ctx);
        if (!(await engineOf(ctx.settings.store).exists(ctx.settings.store))) {
          printOutput(opts.json ? { entries: [] } : 'No database yet: no write was made.');
          return;
        }
        const store = await openStore(ctx);
        try {
          const entries = await store.auditEntries({ limit: opts.limit, previews: opts.previews === true });
          if (opts.json) printOutput({ entries });
          else
            printOutput(
              entries.length
                ? entries.map(formatAuditEntry).join('\n')
                : `No write to Intercom${opts.previews ? ' and no preview' : ''} recorded.`,
            );
        } finally {
          await store.close();
        }
      }),
    );
}
