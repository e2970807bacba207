/**
 * `--redact-at-sync`: customers' personal data kept out of the copy altogether. What Intercom
 * answers about conversations, contacts and tickets is masked (personal-data.ts) before anything
 * stores it, whichever path stores it: the syncs, the webhooks' reads, the tickets' and companies'
 * passes all read through one client, and that client is masked.
 *
 * A copy is masked from its first sync or not at all: the kinds are kept in the copy, so a copy
 * begun masked stays masked whoever syncs it later, with or without the setting, and the setting
 * given for a copy that already holds unmasked data is refused (reset it and sync again), since
 * masking only what comes next would leave the rest. Webhook notifications are masked before
 * they are queued (server/webhooks.ts), since the queue is in the copy too.
 */
import { ConfigError } from '../config/settings.js';
import type { IntercomApi } from '../intercom/client.js';
import {
  mapStrings,
  PERSONAL_DATA_KINDS,
  personalDataMask,
  type PersonalDataKind,
} from '../personal-data.js';
import type { Store } from '../store/types.js';

export const MASKED_AT_SYNC_KEY = 'personal_data_masked_at_sync';

export class MaskingRefused extends ConfigError {}

/** Keys whose strings are identifiers, addresses or kinds: never personal data, and ids must stay exact. */
const structural = (key: string) =>
  key === 'id' || key === 'type' || key === 'url' || /(_id|Id|_ids)$/.test(key);

/**
 * Each text gets a mask of its own, its placeholders numbered within it: a message is stored the
 * same whichever answer brought it (a search page, a thread, a webhook).
 */
export const maskedRecord = <T>(value: T, kinds: ReadonlySet<PersonalDataKind>): T =>
  mapStrings(value, (text) => personalDataMask(kinds).text(text), structural);

const MASKED_READS = [
  'searchConversations',
  'getConversation',
  'searchContactsByIds',
  'getTicket',
  'searchTickets',
  'companyContacts',
] as const satisfies readonly (keyof IntercomApi)[];

/** The client with every read of customers' records masked; its counters and pacing are the client's own. */
export function maskedApi(api: IntercomApi, kinds: ReadonlySet<PersonalDataKind>): IntercomApi {
  const wrapper = Object.create(api) as IntercomApi;
  for (const method of MASKED_READS) {
    const read = (api[method] as (...args: unknown[]) => Promise<unknown>).bind(api);
    Object.defineProperty(wrapper, method, {
      value: async (...args: unknown[]) => maskedRecord(await read(...args), kinds),
    });
  }
  return wrapper;
}

const describe = (kinds: ReadonlySet<PersonalDataKind>) => [...kinds].sort().join(',');

/**
 * The kinds this copy masks at sync: those it was begun with, or, for a copy with nothing in it
 * yet, those asked for now (kept in it from here on). Undefined: the copy is not masked.
 */
export async function maskingOf(
  store: Pick<Store, 'getMeta' | 'setMeta' | 'status'>,
  wanted: ReadonlySet<PersonalDataKind> | undefined,
): Promise<ReadonlySet<PersonalDataKind> | undefined> {
  const kept = await store.getMeta(MASKED_AT_SYNC_KEY);
  const recorded = kept
    ? new Set(
        kept
          .split(',')
          .filter((k): k is PersonalDataKind => (PERSONAL_DATA_KINDS as readonly string[]).includes(k)),
      )
    : undefined;
  if (!wanted) return recorded;
  if (recorded) {
    if (describe(recorded) === describe(wanted)) return recorded;
    throw new MaskingRefused(
      `This copy masks ${describe(recorded)} at sync, not ${describe(wanted)}: a copy keeps the masking it began with. Reset it (fast-intercom-mcp reset --yes) and sync again to change it.`,
    );
  }
  const status = await store.status();
  if (status.conversations > 0 || status.contacts > 0 || status.tickets > 0)
    throw new MaskingRefused(
      'This copy already holds data synced without --redact-at-sync, which masking from now on would leave in it: reset it (fast-intercom-mcp reset --yes) and sync again with the setting.',
    );
  await store.setMeta(MASKED_AT_SYNC_KEY, describe(wanted));
  return wanted;
}
