/**
 * Admins, teams and tags: small lists fetched whole, once a day or when a conversation names one
 * we do not know, so an unchanged workspace's incremental sync costs no calls for them. The same
 * refresh reads the workspace itself (`GET /me`): its time zone, which gives "today" and "last
 * week" their meaning in answers, and its app id, which makes inbox links.
 */
import type { IntercomApi } from '../intercom/client.js';
import type { ApiConversation } from '../intercom/schemas.js';
import type { SyncStore } from '../store/types.js';
import { assigned } from './mapping.js';

const META_KEY = 'reference_refreshed_at';
export const WORKSPACE_TIMEZONE_KEY = 'workspace_timezone';
export const WORKSPACE_APP_ID_KEY = 'workspace_app_id';
const MAX_AGE_SECONDS = 24 * 3600;

const unknownId = (id: string | null, known: Set<string>) => id !== null && !known.has(id);

export class ReferenceData {
  private known: Awaited<ReturnType<SyncStore['knownReferenceIds']>> | undefined;
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

  /** Refreshes once per run when a conversation refers to an admin, team or tag we have not seen. */
  async ensureKnown(conversations: ApiConversation[], now: number): Promise<void> {
    if (this.refreshedThisRun) return;
    const known = (this.known ??= await this.store.knownReferenceIds());
    const unknown = conversations.some(
      (c) =>
        unknownId(assigned(c.admin_assignee_id), known.admins) ||
        unknownId(assigned(c.team_assignee_id), known.teams) ||
        (c.tags?.tags ?? []).some((t) => !known.tags.has(t.id)),
    );
    if (unknown) await this.refresh(now);
  }

  private async refresh(now: number): Promise<void> {
    this.refreshedThisRun = true;
    const [admins, teams, tags, me] = await Promise.all([
      this.api.listAdmins(this.signal),
      this.api.listTeams(this.signal),
      this.api.listTags(this.signal),
      this.api.me(this.signal),
    ]);
    if (me.app?.timezone) await this.store.setMeta(WORKSPACE_TIMEZONE_KEY, me.app.timezone);
    if (me.app?.id_code) await this.store.setMeta(WORKSPACE_APP_ID_KEY, me.app.id_code);
    await this.store.saveAdmins(
      admins.admins.map((a) => ({
        id: a.id,
        type: a.type === 'bot' || a.type === 'team' ? a.type : 'admin',
        name: a.name ?? null,
        email: a.email ?? null,
      })),
    );
    await this.store.saveTeams(
      teams.teams.map((t) => ({ id: t.id, name: t.name, adminIds: t.admin_ids ?? [] })),
    );
    await this.store.saveTags(tags.data.map((t) => ({ id: t.id, name: t.name })));
    await this.store.setMeta(META_KEY, String(now));
    this.known = await this.store.knownReferenceIds();
  }
}
