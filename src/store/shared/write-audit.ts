/**
 * The audit trail of writes to Intercom (write-audit-rows.ts), written once for both engines. A
 * confirmation claims its preview with one conditional update, so of two confirmations racing on
 * one handle, on one server or two, exactly one sends the write.
 */
import type { Kysely } from 'kysely';
import { toAuditEntry, type WriteAuditRow } from '../write-audit-rows.js';
import type { AuditEntry, WriteClaim, WritePreviewRecord } from '../types.js';
import type { SharedTables } from './tables.js';

type Db = Kysely<SharedTables>;

export async function recordPreview(db: Db, p: WritePreviewRecord): Promise<number> {
  const row = await db
    .insertInto('write_audit')
    .values({
      handle_hash: p.handleHash,
      principal: p.principal,
      action: p.action,
      target_type: p.targetType,
      target_id: p.targetId,
      preview: JSON.stringify(p.preview),
      request: JSON.stringify(p.request),
      created_at: p.createdAt,
      expires_at: p.expiresAt,
      status: 'previewed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

async function entryByHash(db: Db, handleHash: string): Promise<AuditEntry | undefined> {
  const row = await db
    .selectFrom('write_audit')
    .selectAll()
    .where('handle_hash', '=', handleHash)
    .executeTakeFirst();
  return row ? toAuditEntry(row as WriteAuditRow) : undefined;
}

export async function claimWrite(
  db: Db,
  handleHash: string,
  principal: string,
  now: number,
): Promise<WriteClaim> {
  const entry = await entryByHash(db, handleHash);
  if (!entry) return { claimed: false, reason: 'unknown' };
  // Another caller's handle is answered as it would be for them, never with their preview.
  if (entry.principal !== principal) return { claimed: false, reason: 'another-caller' };
  if (entry.status !== 'previewed') return { claimed: false, reason: 'used', entry };
  if (entry.expiresAt <= now) return { claimed: false, reason: 'expired', entry };
  const claimed = await db
    .updateTable('write_audit')
    .set({ status: 'sending', confirmed_at: now })
    .where('id', '=', entry.id)
    .where('status', '=', 'previewed')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 1)
    return { claimed: true, entry: { ...entry, status: 'sending', confirmedAt: now } };
  return { claimed: false, reason: 'used', entry: (await entryByHash(db, handleHash))! };
}

export async function finishWrite(
  db: Db,
  id: number,
  outcome: { status: 'done' | 'failed'; answer?: unknown; error?: string; at: number },
): Promise<void> {
  await db
    .updateTable('write_audit')
    .set({
      status: outcome.status,
      finished_at: outcome.at,
      answer: outcome.answer === undefined ? null : JSON.stringify(outcome.answer),
      error: outcome.error ?? null,
    })
    .where('id', '=', id)
    .execute();
}

export async function auditEntries(
  db: Db,
  opts: { limit: number; previews: boolean },
): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('write_audit')
    .selectAll()
    .$if(!opts.previews, (q) => q.where('status', '<>', 'previewed'))
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .execute();
  return rows.map((r) => toAuditEntry(r as WriteAuditRow));
}
