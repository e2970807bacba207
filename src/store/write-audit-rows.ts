/**
 * The audit trail of writes to Intercom, alike on both engines: a row per preview, bound to the
 * caller it was shown to and to the hash of its confirmation handle (the handle itself is never
 * stored), moved to `sending` by the one confirmation that claims it, then to `done` or `failed`
 * with Intercom's answer. Previews never confirmed stay, as what was shown and not done.
 */
import type { Selectable } from 'kysely';
import type { SharedTables } from './shared/tables.js';
import type { AuditEntry, WriteStatus } from './types.js';

/** Schema 21: the table, alike on both engines but for the key's type. */
export const WRITE_AUDIT_SQL = (key: string, integer: 'INTEGER' | 'BIGINT') => `
  CREATE TABLE write_audit (
    id ${key},
    handle_hash TEXT UNIQUE,
    principal TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    preview TEXT NOT NULL,
    request TEXT NOT NULL,
    created_at ${integer} NOT NULL,
    expires_at ${integer} NOT NULL,
    status TEXT NOT NULL,
    confirmed_at ${integer},
    finished_at ${integer},
    answer TEXT,
    error TEXT
  );
  CREATE INDEX write_audit_status ON write_audit (status, id);
`;

export type WriteAuditRow = Selectable<SharedTables['write_audit']>;

const orNull = (v: number | null) => (v === null ? null : Number(v));

export const toAuditEntry = (r: WriteAuditRow): AuditEntry => ({
  id: Number(r.id),
  principal: r.principal,
  action: r.action,
  targetType: r.target_type as AuditEntry['targetType'],
  targetId: r.target_id,
  preview: JSON.parse(r.preview) as AuditEntry['preview'],
  request: JSON.parse(r.request) as AuditEntry['request'],
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  status: r.status as WriteStatus,
  confirmedAt: orNull(r.confirmed_at),
  finishedAt: orNull(r.finished_at),
  answer: r.answer === null ? null : (JSON.parse(r.answer) as unknown),
  error: r.error,
});
