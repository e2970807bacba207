/**
 * The store's narrow, typed interface. The sync and the MCP server talk only to this; SQLite is the
 * embedded implementation (sqlite-store.ts), and a PostgreSQL one can follow behind the same types.
 */

export type ConversationState = 'open' | 'closed' | 'snoozed';
export type AuthorType = 'user' | 'lead' | 'contact' | 'admin' | 'bot' | 'team' | 'unknown';

export interface Person {
  type: AuthorType;
  id: string;
  name: string | null;
  email: string | null;
}

export interface PartRecord {
  id: string;
  partType: string;
  /** Plain text; null for event parts (assignments, closes) that carry no message. */
  body: string | null;
  createdAt: number;
  author: Person;
  assignedTo: { type: string; id: string } | null;
  attachments: { name: string; url: string; contentType: string | null }[];
}

export interface ConversationRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  title: string | null;
  subject: string | null;
  state: ConversationState;
  read: boolean;
  priority: boolean;
  adminAssigneeId: string | null;
  teamAssigneeId: string | null;
  waitingSince: number | null;
  snoozedUntil: number | null;
  sourceType: string;
  deliveredAs: string | null;
  sourceBody: string | null;
  sourceAuthor: Person;
  contactIds: string[];
  tagIds: string[];
  /** How many parts the API says exist (`conversation_parts.total_count`). */
  partsTotal: number;
  firstAdminReplyAt: number | null;
  firstCloseAt: number | null;
  lastCloseAt: number | null;
  rating: number | null;
  /** `statistics.count_conversation_parts` as Intercom reported it; null when it did not. */
  partsCountStat: number | null;
}

/** What a search item says of a conversation without its parts. */
export type ConversationMetadata = Pick<
  ConversationRecord,
  | 'id'
  | 'updatedAt'
  | 'title'
  | 'state'
  | 'read'
  | 'priority'
  | 'adminAssigneeId'
  | 'teamAssigneeId'
  | 'waitingSince'
  | 'snoozedUntil'
  | 'tagIds'
  | 'firstAdminReplyAt'
  | 'firstCloseAt'
  | 'lastCloseAt'
  | 'rating'
>;

export interface StoredVersion {
  updatedAt: number;
  partsCountStat: number | null;
  /** When the thread was last read whole. */
  threadReadAt: number | null;
}

export interface ContactRecord {
  id: string;
  role: string;
  name: string | null;
  email: string | null;
  externalId: string | null;
  createdAt: number | null;
}

export interface AdminRecord {
  id: string;
  type: 'admin' | 'bot' | 'team';
  name: string | null;
  email: string | null;
}

export interface TeamRecord {
  id: string;
  name: string;
  adminIds: string[];
}

export interface TagRecord {
  id: string;
  name: string;
}

export interface SyncCheckpoint {
  runId: number;
  /** The chunk being filled: conversations updated at or after `windowStart`, before `windowEnd`. */
  windowStart: number;
  /** Null for the newest chunk, which runs to whatever is newest. */
  windowEnd: number | null;
  /** Where the whole run's window starts: the older chunks still to read after this one. */
  backfillFrom: number;
  /** Everything updated before `mark` (and at or after windowStart) is stored. */
  mark: number;
  /** Ids already stored at `mark`, so a resumed run does not re-read the whole second. */
  idsAtMark: string[];
  startedAt: number;
}

export interface SyncRunSummary {
  id: number;
  kind: string;
  startedAt: number;
  finishedAt: number | null;
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  windowStart: number | null;
  conversations: number;
  parts: number;
  apiCalls: number;
  rateLimited: number;
  error: string | null;
}

export interface CoverageWindow {
  from: number;
  to: number;
}

export interface StoreStatus {
  conversations: number;
  deletedConversations: number;
  parts: number;
  contacts: number;
  admins: number;
  teams: number;
  tags: number;
  truncatedThreads: number;
  databaseBytes: number;
  schemaVersion: number;
  newestUpdatedAt: number | null;
  oldestUpdatedAt: number | null;
  lastRun: SyncRunSummary | null;
  lastSuccessfulRun: SyncRunSummary | null;
  coverage: CoverageWindow[];
}

export interface SyncCounters {
  conversations: number;
  parts: number;
  apiCalls: number;
  rateLimited: number;
}

/** What the sync needs from a store. */
export interface SyncStore {
  saveConversations(items: { conversation: ConversationRecord; parts: PartRecord[] }[]): void;
  /** What the store knows of each of these ids' versions (stored and not deleted ones). */
  storedVersions(ids: string[]): Map<string, StoredVersion>;
  /** Applies search-item metadata to stored conversations, keeping their parts, in one transaction. */
  applyMetadata(items: ConversationMetadata[]): void;
  /**
   * Conversations that had metadata applied after their last full read, and were last read whole
   * before `readBefore`: the ones a redaction (a part blanked, its count unchanged) could hide in.
   */
  threadsToReread(readBefore: number, limit: number): string[];
  markDeleted(ids: string[], at: number): void;
  /** Live conversations whose `updated_at` lies in [from, to). */
  liveIdsUpdatedBetween(from: number, to: number): string[];
  /**
   * Those of them not in `seen`, read one by one: at 100k conversations the whole list cost the
   * sync's deletion check 9 MB at its peak.
   */
  liveIdsUpdatedBetweenExcept(from: number, to: number, seen: { has(id: string): boolean }): string[];
  /** Contacts that stored conversations name but the store has no details of. */
  missingContactIds(): string[];
  saveContacts(contacts: ContactRecord[]): void;
  saveAdmins(admins: AdminRecord[]): void;
  saveTeams(teams: TeamRecord[]): void;
  saveTags(tags: TagRecord[]): void;
  knownReferenceIds(): { admins: Set<string>; teams: Set<string>; tags: Set<string> };
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  startRun(kind: string, windowStart: number | null, at: number): number;
  finishRun(
    id: number,
    status: SyncRunSummary['status'],
    counters: SyncCounters,
    error: string | null,
    at: number,
  ): void;
  /** Marks runs left 'running' by a process that died as 'interrupted'. */
  interruptStaleRuns(): void;
  getCheckpoint(): SyncCheckpoint | undefined;
  saveCheckpoint(checkpoint: SyncCheckpoint): void;
  clearCheckpoint(): void;
  addCoverage(window: CoverageWindow): void;
  coverage(): CoverageWindow[];
}

export type ResolvedPart = Omit<PartRecord, 'assignedTo'> & {
  assignedTo: { type: string; id: string; name: string | null } | null;
};

/** A stored conversation read back whole, with ids resolved to the people, teams and tags they name. */
export type ConversationView = Omit<
  ConversationRecord,
  'adminAssigneeId' | 'teamAssigneeId' | 'contactIds' | 'tagIds' | 'partsCountStat'
> & {
  adminAssignee: { id: string; name: string | null; email: string | null } | null;
  teamAssignee: { id: string; name: string | null } | null;
  contacts: ContactRecord[];
  tags: TagRecord[];
  parts: ResolvedPart[];
  deletedAt: number | null;
};
