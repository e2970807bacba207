/**
 * The errors a user will hit, as one clear line and an exit code, never a stack trace:
 * 2 configuration, 3 authentication or permission, 4 network or Intercom, 5 database, 1 anything else.
 */
import { ConfigError } from '../config/settings.js';
import { IntercomApiError } from '../intercom/errors.js';
import { StoreError } from '../store/database.js';
import { SyncOutage } from '../sync/deletions.js';
import { SyncInterrupted, SyncRequestError } from '../sync/engine.js';
import { SyncAlreadyRunning } from '../sync/run-lock.js';

export const EXIT = {
  ok: 0,
  other: 1,
  config: 2,
  auth: 3,
  network: 4,
  database: 5,
  interrupted: 130,
} as const;

export function describeFailure(e: unknown): { message: string; exitCode: number } {
  if (e instanceof ConfigError) return { message: e.message, exitCode: EXIT.config };
  if (e instanceof SyncInterrupted) return { message: e.message, exitCode: EXIT.interrupted };
  if (e instanceof SyncOutage) return { message: e.message, exitCode: EXIT.network };
  if (e instanceof SyncRequestError) return { message: e.message, exitCode: EXIT.config };
  if (e instanceof SyncAlreadyRunning) return { message: e.message, exitCode: EXIT.database };
  if (e instanceof StoreError) return { message: e.message, exitCode: EXIT.database };
  if (e instanceof IntercomApiError) {
    switch (e.kind) {
      case 'unauthorized':
        return {
          message:
            'Intercom rejected the access token (401 Unauthorized). Check INTERCOM_ACCESS_TOKEN (or the token ' +
            'saved by `init`): it may be mistyped, revoked or expired, or belong to another region.',
          exitCode: EXIT.auth,
        };
      case 'forbidden':
        return {
          message:
            `Intercom refused access (403${e.code ? ` ${e.code}` : ''}). The token needs the "Read conversations" ` +
            'and "Read and list users and companies" permissions ("Read admins" and "Read tags" for names) on a plan with API access.',
          exitCode: EXIT.auth,
        };
      case 'network':
      case 'timeout':
        return {
          message: `${e.message}. Check the network and INTERCOM_API_BASE_URL / region.`,
          exitCode: EXIT.network,
        };
      default:
        return { message: e.message, exitCode: EXIT.network };
    }
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOSPC')
    return { message: 'The disk is full: free some space and try again.', exitCode: EXIT.database };
  return { message: err instanceof Error ? err.message : String(e), exitCode: EXIT.other };
}
