/**
 * Admins, teams and tags: small lists fetched whole, once a day or when a conversation names one
 * we do not know, so an unchanged workspace's incremental sync costs no calls for them. The same
 * refresh reads the workspace itself (`GET /me`): its time zone, which gives "today" and "last
 * week" their meaning in answers, and its app id, which makes inbox links.
 */
import type { IntercomApi } from '../intercom/client.js';
import { IntercomApiError } from '../intercom/errors.js';
import type { ApiConversation, ApiMe } from '../intercom/schemas.js';
import type { SyncStore } from '../store/types.js';
import { storedZone, WORKSPACE_TIMEZONE_KEY } from '../time/zone.js';
import { assigned } from './mapping.js';

const META_KEY = 'reference_refreshed_at';
export const WORKSPACE_APP_ID_KEY = 'workspace_app_id';
/** The workspace's name: its words are no theme (every message may name the product). */
export const WORKSPACE_NAME_KEY = 'workspace_name';
/** The lists the token may not read, comma-separated ("admins,tags"), as of the last refresh. */
export const REFERENCE_FORBIDDEN_KEY = 'reference_forbidden';
const MAX_AGE_SECONDS = 24 * 3600;

/** Each list and the permission that reads it: names only, so a token without them still syncs. */
export const REFERENCE_PERMISSIONS = {
  admins: 'Read admins',
  teams: 'Read admins',
  tags: 'Read tags',
} as const;
export type ReferenceList = keyof typeof REFERENCE_PERMISSIONS;

const unknownId = (id: string | null, known: Set<string>) => id !== null && !known.has(id);

/** The lists a refresh found forbidden, read back from the store's meta. */
export async function forbiddenReferenceLists(store: Pick<SyncStore, 'getMeta'>): Promise<ReferenceList[]> {
  const raw = (await store.getMeta(REFERENCE_FORBIDDEN_KEY)) ?? '';
  return raw.split(',').filter((l): l is ReferenceList => l in REFERENCE_PERMISSIONS);
}

/** A list the token may not read is stored as unreadable, not a failure: it only names things. */
async function readable<T>(read: Promise<T>): Promise<T | 'forbidden'> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof IntercomApiError && e.kind === 'forbidden') return 'forbidden';
    throw e;
  }
}

export class ReferenceData {
  private known: Awaited<ReturnType<SyncStore['knownReferenceIds']>> | undefined;
  private forbidden: Set<ReferenceList> | undefined;
  private refreshedThisRun = false;

  constructor(
    private readonly api: IntercomApi,
    private readonly store: SyncStore,
    private readonly signal?: AbortSignal,
  ) {}

  async refreshIfStale(now: number): Promise<void> {
    const last = Number((await this.store.getMeta(META_KEY)) ?? 0);
    if (now - last >= MAX_AGE_SECONDS) await this.refresh(now);
  }

  /**
   * Refreshes once per run when a conversation refers to an admin, team or tag we have not seen,
   * of a list the token can read (the others are tried again by the daily refresh).
   */
  async ensureKnown(conversations: ApiConversation[], now: number): Promise<void> {
    const known = (this.known ??= await this.store.knownReferenceIds());
    const forbidden = (this.forbidden ??= new Set(await forbiddenReferenceLists(this.store)));
    if (forbidden.has('tags')) await this.saveNamedTags(conversations, known.tags);
    if (this.refreshedThisRun) return;
    const readable = (list: ReferenceList) => !forbidden.has(list);
    const unknown = conversations.some(
      (c) =>
        (readable('admins') && unknownId(assigned(c.admin_assignee_id), known.admins)) ||
        (readable('teams') && unknownId(assigned(c.team_assignee_id), known.teams)) ||
        (readable('tags') && (c.tags?.tags ?? []).some((t) => !known.tags.has(t.id))),
    );
    if (unknown) await this.refresh(now);
  }

  /**
   * The zone a window of days is counted in: the setting, else Intercom's as stored, else asked of
   * Intercom now (a first sync has stored nothing yet), else UTC.
   */
  async zone(override: string | undefined): Promise<string> {
    if (override) return override;
    if (!(await this.store.getMeta(WORKSPACE_TIMEZONE_KEY))) await this.saveWorkspace(await this.me());
    return storedZone(this.store, undefined);
  }

  /** `GET /me` once a run: a first sync asks it for the zone before the refresh would. */
  private meAnswer: Promise<ApiMe> | undefined;
  private me(): Promise<ApiMe> {
    return (this.meAnswer ??= this.api.me(this.signal));
  }

  private async saveWorkspace(me: ApiMe): Promise<void> {
    if (me.app?.timezone) await this.store.setMeta(WORKSPACE_TIMEZONE_KEY, me.app.timezone);
    if (me.app?.id_code) await this.store.setMeta(WORKSPACE_APP_ID_KEY, me.app.id_code);
    if (me.app?.name) await this.store.setMeta(WORKSPACE_NAME_KEY, me.app.name);
  }

  /** Without "Read tags", tags are known by the names conversations carry with them. */
  private async saveNamedTags(conversations: ApiConversation[], known: Set<string>): Promise<void> {
    const named = new Map<string, string>();
    for (const c of conversations)
      for (const t of c.tags?.tags ?? []) if (!known.has(t.id)) named.set(t.id, t.name);
    if (named.size === 0) return;
    await this.store.saveTags([...named].map(([id, name]) => ({ id, name })));
    for (const id of named.keys()) known.add(id);
  }

  private async refresh(now: number): Promise<void> {
    this.refreshedThisRun = true;
    const [admins, teams, tags, me] = await Promise.all([
      readable(this.api.listAdmins(this.signal)),
      readable(this.api.listTeams(this.signal)),
      readable(this.api.listTags(this.signal)),
      this.me(),
    ]);
    await this.saveWorkspace(me);
    if (admins !== 'forbidden')
      await this.store.saveAdmins(
        admins.admins.map((a) => ({
          id: a.id,
          type: a.type === 'bot' || a.type === 'team' ? a.type : 'admin',
          name: a.name ?? null,
          email: a.email ?? null,
        })),
      );
    if (teams !== 'forbidden')
      await this.store.saveTeams(
        teams.teams.map((t) => ({ id: t.id, name: t.name, adminIds: t.admin_ids ?? [] })),
      );
    if (tags !== 'forbidden') await this.store.saveTags(tags.data.map((t) => ({ id: t.id, name: t.name })));
    const forbidden = (Object.entries({ admins, teams, tags }) as [ReferenceList, unknown][])
      .filter(([, v]) => v === 'forbidden')
      .map(([list]) => list);
    await this.store.setMeta(REFERENCE_FORBIDDEN_KEY, forbidden.join(','));
    await this.store.setMeta(META_KEY, String(now));
    this.forbidden = new Set(forbidden);
    this.known = await this.store.knownReferenceIds();
  }
}

/** One sentence: which names answers lack, and the permission that brings them. */
export function missingNames(forbidden: readonly ReferenceList[]): string {
  const permissions = [...new Set(forbidden.map((l) => REFERENCE_PERMISSIONS[l]))];
  return `The access token may not read ${forbidden.join(', ')}: answers show their ids instead of names. Give the app ${permissions.map((p) => `"${p}"`).join(' and ')} in the Intercom Developer Hub for names.`;
}
