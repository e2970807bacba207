/**
 * Who may write to Intercom: a caller is the HTTP principal with the permissions its token's scopes
 * grant (server/auth.ts), or the local user of stdio, who may do what the server allows. Kept apart
 * from the writes themselves so that the servers' start-up reads it without loading them.
 */
import type { WriteTier } from '../config/settings.js';

/** What a caller may do: `write` for internal changes, `reply` for what customers see. */
export type Permission = 'write' | 'reply';

export interface Caller {
  /** Who: the HTTP principal (the token's issuer and subject), or the local user of stdio. */
  principal: string;
  permissions: ReadonlySet<Permission>;
}

export const LOCAL_CALLER: Caller = {
  principal: 'local stdio user',
  permissions: new Set<Permission>(['write', 'reply']),
};

/** The OAuth scopes that carry the permissions. */
export const WRITE_SCOPE = 'intercom:write';
export const REPLY_SCOPE = 'intercom:reply';

/** The scopes a server with these writes allowed offers its clients. */
export const writeScopes = (tier: WriteTier): string[] =>
  tier === 'replies' ? [WRITE_SCOPE, REPLY_SCOPE] : tier === 'internal' ? [WRITE_SCOPE] : [];
