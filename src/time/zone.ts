/**
 * The zone timeframes are read in: the setting (FASTINTERCOM_TIMEZONE / `timezone`), else
 * Intercom's `app.timezone` as the last sync stored it, else UTC. Kept apart from the parser so a
 * one-shot sync can ask without loading it.
 */
import { IANAZone } from 'luxon';
import type { SyncStore } from '../store/types.js';

/** Where the sync keeps Intercom's `app.timezone`. */
export const WORKSPACE_TIMEZONE_KEY = 'workspace_timezone';

// Checking a zone builds an Intl formatter, which is slow: each name is checked once.
const valid = new Map<string, boolean>();
const isValid = (zone: string) => valid.get(zone) ?? valid.set(zone, IANAZone.isValidZone(zone)).get(zone)!;

export async function storedZone(
  store: Pick<SyncStore, 'getMeta'>,
  override: string | undefined,
): Promise<string> {
  if (override) return override;
  const stored = await store.getMeta(WORKSPACE_TIMEZONE_KEY);
  return stored && isValid(stored) ? stored : 'UTC';
}
