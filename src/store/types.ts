/**
 * The store's whole face, asynchronous: what the sync writes, what the answers read, and its
 * administration. The sync, the MCP server and the CLI talk only to this; each engine
 * (sqlite/, postgres/) implements it, and open.ts picks one from the settings.
 */
import type { Holder, LockHolder } from './errors.js';
import type { Levels } from '../insights/service-levels.js';
import type { ScoredTerm } from '../insights/significance.js';

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
  attachments: AttachmentRecord[];
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
  /** `statistics.count_reopens`: how often it was opened again after a close; null when not given. */
  reopens: number | null;
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
  | 'reopens'
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

/** A company as the copy keeps it; its contacts are linked apart (saveCompanyContacts). */
export interface CompanyRecord {
  id: string;
  /** The workspace's own id for it, from its data. */
  companyId: string | null;
  name: string | null;
  plan: string | null;
  size: number | null;
  website: string | null;
  industry: string | null;
  monthlySpend: number | null;
  sessionCount: number | null;
  userCount: number | null;
  createdAt: number | null;
  updatedAt: number;
  lastRequestAt: number | null;
  customAttributes: Record<string, string | number | boolean | null>;
  tags: string[];
}

/** What the sync compares a listed company with. */
export interface CompanyVersion {
  updatedAt: number;
  userCount: number | null;
  /** When its contacts were last read, or null when never. */
  contactsReadAt: number | null;
}

export interface CompanySearchParams {
  /** Contained in the name, the company_id, the website or the industry, any case. */
  text?: string;
  /** The plan's name, any case. */
  plan?: string;
  limit: number;
  offset: number;
}

export interface CompanyHit extends CompanyRecord {
  /** Contacts the copy links to it. */
  contacts: number;
}

export interface CompanyPage {
  hits: CompanyHit[];
  total: number;
}

/** A company with its people and their open work, each list the most recent first and bounded. */
export interface CompanyView extends CompanyHit {
  people: { id: string; name: string | null; email: string | null }[];
  openConversations: { id: string; subject: string; updatedAt: number }[];
  openConversationCount: number;
  tickets: {
    id: string;
    number: string | null;
    title: string | null;
    stateCategory: TicketStateCategory;
    stateLabel: string | null;
    open: boolean;
    updatedAt: number;
  }[];
  ticketCount: number;
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

/** One locale's version of a Help Center article; the text plain, as messages are stored. */
export interface ArticleContentRecord {
  locale: string;
  title: string;
  description: string | null;
  body: string;
  state: ArticleState;
  url: string | null;
  updatedAt: number;
}

export type ArticleState = 'published' | 'draft';

/** A Help Center article with every translation the API gave, its default locale's among them. */
export interface ArticleRecord {
  id: string;
  /** The default locale's state: what `published` and `draft` filter by. */
  state: ArticleState;
  collectionId: string | null;
  authorId: string | null;
  defaultLocale: string;
  url: string | null;
  createdAt: number;
  updatedAt: number;
  contents: ArticleContentRecord[];
}

export interface CollectionRecord {
  id: string;
  name: string;
  description: string | null;
  url: string | null;
  parentId: string | null;
  position: number;
  updatedAt: number;
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
  /** Help Center articles in every state, those published, and their collections. */
  articles: number;
  publishedArticles: number;
  collections: number;
  /** Tickets stored whole, and those open. */
  tickets: number;
  openTickets: number;
  companies: number;
  /** Writes to Intercom confirmed and sent: done, and failed. */
  writes: { done: number; failed: number };
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

/** What the sync needs from a store (of the notification queue: the parked ones, which it reads). */
export interface SyncStore extends Pick<NotificationQueue, 'parkedNotifications' | 'finishNotification'> {
  saveConversations(items: { conversation: ConversationRecord; parts: PartRecord[] }[]): Promise<void>;
  /** What the store knows of each of these ids' versions (stored and not deleted ones). */
  storedVersions(ids: string[]): Promise<Map<string, StoredVersion>>;
  /** Applies search-item metadata to stored conversations, keeping their parts, in one transaction. */
  applyMetadata(items: ConversationMetadata[]): Promise<void>;
  /**
   * Conversations that had metadata applied after their last full read, and were last read whole
   * before `readBefore`: the ones a redaction (a part blanked, its count unchanged) could hide in.
   */
  threadsToReread(readBefore: number, limit: number): Promise<string[]>;
  markDeleted(ids: string[], at: number): Promise<void>;
  /** Live conversations whose `updated_at` lies in [from, to). */
  liveIdsUpdatedBetween(from: number, to: number): Promise<string[]>;
  /**
   * Those of them not in `seen`, read a batch at a time: the whole list of a large workspace would
   * raise the sync's peak memory at its deletion check.
   */
  liveIdsUpdatedBetweenExcept(
    from: number,
    to: number,
    seen: { has(id: string): boolean },
  ): Promise<string[]>;
  /** Contacts that stored conversations name but the store has no details of. */
  missingContactIds(): Promise<string[]>;
  /**
   * Gives up to `limit` conversations stored before their customers' terms were kept (by an older
   * version) their terms; returns how many (0: none is left).
   */
  indexCustomerTerms(limit: number): Promise<number>;
  saveContacts(contacts: ContactRecord[]): Promise<void>;
  saveAdmins(admins: AdminRecord[]): Promise<void>;
  saveTeams(teams: TeamRecord[]): Promise<void>;
  saveTags(tags: TagRecord[]): Promise<void>;
  knownReferenceIds(): Promise<{ admins: Set<string>; teams: Set<string>; tags: Set<string> }>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  startRun(kind: string, windowStart: number | null, at: number): Promise<number>;
  finishRun(
    id: number,
    status: SyncRunSummary['status'],
    counters: SyncCounters,
    error: string | null,
    at: number,
  ): Promise<void>;
  /** Marks runs left 'running' by a process that died as 'interrupted'. */
  interruptStaleRuns(): Promise<void>;
  getCheckpoint(): Promise<SyncCheckpoint | undefined>;
  saveCheckpoint(checkpoint: SyncCheckpoint): Promise<void>;
  clearCheckpoint(): Promise<void>;
  addCoverage(window: CoverageWindow): Promise<void>;
  coverage(): Promise<CoverageWindow[]>;
  /** The Help Center's collections as listed whole: those no longer listed go. */
  saveCollections(collections: CollectionRecord[]): Promise<void>;
  saveArticles(articles: ArticleRecord[]): Promise<void>;
  /** Every stored article's `updated_at`, to tell which changed. */
  articleVersions(): Promise<Map<string, number>>;
  deleteArticles(ids: string[]): Promise<void>;
  /** The ticket types as listed whole: those no longer listed go. */
  saveTicketTypes(types: TicketTypeRecord[]): Promise<void>;
  /** Each ticket whole, with its parts, contacts and links, replacing what was stored of it. */
  saveTickets(tickets: TicketRecord[]): Promise<void>;
  /** The `updated_at` of every ticket stored whole (or of those of `ids`), to tell which changed. */
  ticketVersions(ids?: string[]): Promise<Map<string, number>>;
  deleteTickets(ids: string[]): Promise<void>;
  /** Rows saved after their contacts (saveCompanyContacts), which were read at `contactsReadAt`. */
  saveCompanies(companies: CompanyRecord[], contactsReadAt: number): Promise<void>;
  /** Each company's contacts as Intercom lists them now, replacing the links stored, read at `at`. */
  saveCompanyContacts(links: { companyId: string; contactIds: string[] }[], at: number): Promise<void>;
  companyVersions(ids?: string[]): Promise<Map<string, CompanyVersion>>;
  deleteCompanies(ids: string[]): Promise<void>;
}

/** What a search or an aggregate narrows to, besides time. */
export interface SearchFilters {
  text?: string;
  state?: ConversationState;
  adminAssigneeId?: string;
  teamAssigneeId?: string;
  tagId?: string;
  /** Matches a linked contact's email or name, case-insensitively, as a literal substring. */
  customer?: string;
}

export interface SearchParams extends SearchFilters {
  /** Activity window: conversations updated at or after `from` and created before `to`. */
  from?: number;
  to?: number;
  sort: 'relevance' | 'newest' | 'oldest';
  limit: number;
  offset: number;
  /** Count the matches up to this many (at most COUNT_BOUND, the default): 1 asks whether any match. */
  countTo?: number;
}

export interface SearchHit {
  id: string;
  subject: string;
  customer: { name: string | null; email: string | null } | null;
  state: ConversationState;
  assignee: string | null;
  team: string | null;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  messageCount: number;
  /** An excerpt around the first match, matches marked **like this**. */
  snippet: string;
}

export interface SearchPage {
  hits: SearchHit[];
  /** The matches, counted exactly up to COUNT_BOUND; past it, COUNT_BOUND with `more` set. */
  total: number;
  /** Set when more than `total` conversations match: the count stopped at COUNT_BOUND. */
  more?: boolean;
  /**
   * Set when a relevance search matched more than RANK_WINDOW conversations: only this many, the
   * most recently updated matches, were ranked.
   */
  ranked?: number;
  /**
   * Set when the customer filter's text matched more than CUSTOMER_CONTACTS_BOUND contacts: the
   * search looked only at this many of their conversations, the most recently updated.
   */
  customerWindow?: number;
}

/**
 * A customer filter whose text matches more contacts than this ("com", "a") names a large part
 * of the workspace; a search then looks only at those contacts' CUSTOMER_WINDOW most recently
 * updated conversations that pass its other filters, and says so. Testing each conversation's
 * contacts as it was reached cost PostgreSQL a read of every candidate's search vector: a 16-word
 * query with a state and `customer: "com"` took 1.2 s at 100k (docs/performance.md).
 */
export const CUSTOMER_CONTACTS_BOUND = 5000;
export const CUSTOMER_WINDOW = 2000;

/**
 * A search's answer has a deadline (250 ms at 100,000 conversations, on either engine), kept by
 * bounding its work, never by a timer: a count, a ranking or a page's depth costs a step per
 * match, so each stops at a bound and the answer says where (docs/performance.md). An assistant
 * asking about a term that common wants the recent conversations first; a narrower timeframe or
 * filter reaches the rest, and `conversation_stats` counts every match.
 */
export const COUNT_BOUND = 1000;
/**
 * Past this many matches a relevance search, on every engine, ranks the newest ones only; and a
 * search in any order pages through this many at most. Ranking costs per match scored (SQLite's
 * bm25 a few µs, PostgreSQL's ts_rank reads each vector); at 100k, 1,000 rather than 5,000
 * cut a common word's ranked search 14 → 3.5 ms (SQLite) and 100 → 40 ms (PostgreSQL), with the
 * relevance set's precision at 10 within 0.02 (docs/performance.md).
 */
export const RANK_WINDOW = 1000;

/**
 * A sync run that wrote at least this many conversations ends with the engine's upkeep of its
 * search structures (SQLite merges the full-text index's segments; PostgreSQL vacuums and
 * analyzes), since a large backfill leaves them slower to read until that happens.
 */
export const UPKEEP_AFTER_CONVERSATIONS = 1000;

export interface StatsRequest {
  /** Conversations created in [from, to) that pass the filters. */
  from: number;
  to: number;
  filters: SearchFilters;
  /** Ascending bucket starts; the first is `from`, each bucket ends where the next starts. */
  buckets: number[];
}

export interface ThemesRequest {
  /** Conversations created in [from, to) that pass the filters: the period. */
  from: number;
  to: number;
  /** What "usual" is: conversations created in [baselineFrom, baselineTo) that pass the filters. */
  baselineFrom: number;
  baselineTo: number;
  filters: SearchFilters;
  /** Words no theme may hold (the workspace's own name). */
  exclude: string[];
  /** The fewest conversations of the period a theme must be in. */
  minCount: number;
  limit: number;
  /**
   * The most conversations read of each window: past it, a sample of about this many, the same
   * every time for the same data (theme-tally.ts), and the counts are estimates.
   */
  sample: number;
}

export interface Theme extends ScoredTerm {
  /** Terms found mostly in this theme's conversations, ranked lower: part of it, not themes of their own. */
  related: string[];
  /** The tags and teams of the period's conversations using it, largest first. */
  tags: NamedCount[];
  teams: NamedCount[];
  /** The newest conversations using it. */
  examples: string[];
  /** The newest tickets of the period whose customers wrote it (of the newest TICKETS_LOOKED_AT). */
  tickets: string[];
}

export interface ConversationThemes {
  conversations: number;
  baselineConversations: number;
  /** How many of each window's conversations were read: all of them, unless sampled. */
  read: { period: number; baseline: number };
  /** Conversations read stored before their terms were kept: their words are not counted. */
  unindexed: number;
  /** Whether tickets were looked at (not when filters tickets lack, tags, state or text, narrow it). */
  ticketsShown: boolean;
  themes: Theme[];
}

export interface LevelsRequest {
  /** Conversations or tickets created in [from, to). */
  from: number;
  to: number;
  /** Ascending bucket starts for the trend; the first is `from`, each ends where the next starts. */
  buckets: number[];
  /** Conversations pass them all; tickets only the team and the assignee (they have no tags). */
  filters: SearchFilters;
  of: 'conversations' | 'tickets';
  /** The most read: past it, a sample of about this many (sample.ts), the counts scaled. */
  sample: number;
}

export interface GroupLevels {
  id: string | null;
  name: string;
  levels: Levels;
}

export interface ServiceLevels {
  overall: Levels;
  /** The biggest groups first; work in several tags is in each. Tickets have no tags: none. */
  byTeam: GroupLevels[];
  byAssignee: GroupLevels[];
  byTag: GroupLevels[];
  /** The levels of the work created in each bucket, in the order of LevelsRequest.buckets. */
  trend: Levels[];
  /** Conversations stored without Intercom's count of reopens, judged from their close times instead. */
  judgedReopens: number;
  /** How many were read of how many in the window: fewer when sampled, the counts then scaled. */
  read: number;
  total: number;
}

export interface NamedCount {
  id: string | null;
  name: string;
  count: number;
}

export interface ConversationStats {
  total: number;
  /** Conversations created in each bucket, in the order of StatsRequest.buckets. */
  volume: number[];
  byState: Record<string, number>;
  byTag: NamedCount[];
  byAssignee: NamedCount[];
  byTeam: NamedCount[];
  medianFirstResponseSeconds: number | null;
  medianTimeToCloseSeconds: number | null;
}

export interface ContactSummary extends ContactRecord {
  conversations: number;
  lastConversationAt: number | null;
}

export interface ContactDetail extends ContactSummary {
  recent: { id: string; subject: string; state: string; updatedAt: number }[];
  companies: { id: string; name: string | null }[];
}

export interface DirectoryEntry {
  id: string;
  name: string | null;
  email?: string | null;
  conversations: number;
  open: number;
}

export interface WorkspaceDirectory {
  admins: DirectoryEntry[];
  teams: DirectoryEntry[];
  tags: DirectoryEntry[];
}

export type TicketCategory = 'Customer' | 'Back-office' | 'Tracker';
/** Intercom's state categories; a workspace's custom states each fall under one. */
export type TicketStateCategory = 'submitted' | 'in_progress' | 'waiting_on_customer' | 'resolved';
export const TICKET_STATE_CATEGORIES: readonly TicketStateCategory[] = [
  'submitted',
  'in_progress',
  'waiting_on_customer',
  'resolved',
];

/** An attachment's metadata (never the file): its URL is signed and expires. */
export interface AttachmentRecord {
  name: string;
  url: string;
  contentType: string | null;
  size: number | null;
}

export interface TicketPartRecord {
  id: string;
  partType: string;
  /** Plain text; null for parts without a message (state changes, assignments). */
  body: string | null;
  createdAt: number;
  author: Person;
  /** The state category the ticket was in once the part was added. */
  stateCategory: string | null;
  assignedTo: { type: string; id: string } | null;
  /** An attribute update's attribute and new value, as text. */
  attribute: { name: string; value: string } | null;
  attachments: AttachmentRecord[];
}

export interface TicketRecord {
  id: string;
  /** `ticket_id`: the number the inbox shows, not usable in API calls. */
  number: string | null;
  typeId: string | null;
  category: TicketCategory;
  stateId: string | null;
  stateCategory: TicketStateCategory;
  /** The state's internal label: a custom state's own name. */
  stateLabel: string | null;
  previousStateId: string | null;
  open: boolean;
  title: string | null;
  description: string | null;
  /** Every ticket attribute as the API gave it, title and description included. */
  attributes: Record<string, unknown>;
  adminAssigneeId: string | null;
  teamAssigneeId: string | null;
  snoozedUntil: number | null;
  isShared: boolean;
  createdAt: number;
  updatedAt: number;
  contactIds: string[];
  linked: { type: 'conversation' | 'ticket'; id: string }[];
  /** How many parts the API says exist (`ticket_parts.total_count`); the 500 most recent are given. */
  partsTotal: number;
  parts: TicketPartRecord[];
}

export interface TicketTypeRecord {
  id: string;
  category: TicketCategory;
  name: string;
  description: string | null;
  archived: boolean;
}

export type ReferenceKind = 'admin' | 'team' | 'tag';

/** A stored article read back, its collection and author resolved, every locale's content with it. */
export interface ArticleView extends Omit<ArticleRecord, 'collectionId' | 'authorId'> {
  collection: { id: string; name: string | null } | null;
  author: { id: string; name: string | null } | null;
}

export interface ArticleSearchParams {
  /** The query language of conversation search, over every locale's title, description and body. */
  text?: string;
  state: ArticleState | 'all';
  collectionId?: string;
  limit: number;
  offset: number;
}

export interface ArticleHit {
  id: string;
  /** The default locale's title. */
  title: string;
  url: string | null;
  state: ArticleState;
  collection: string | null;
  /** The locales whose content matched (every locale without text). */
  locales: string[];
  updatedAt: number;
  snippet: string;
}

export interface ArticlePage {
  hits: ArticleHit[];
  total: number;
}

export type NamedRef = { id: string; name: string | null };

/** A stored ticket read back, its type, assignees and contacts named. */
export interface TicketView
  extends Omit<TicketRecord, 'typeId' | 'adminAssigneeId' | 'teamAssigneeId' | 'contactIds' | 'parts'> {
  type: NamedRef | null;
  adminAssignee: NamedRef | null;
  teamAssignee: NamedRef | null;
  contacts: { id: string; name: string | null; email: string | null }[];
  parts: (Omit<TicketPartRecord, 'assignedTo'> & { assignedTo: (NamedRef & { type: string }) | null })[];
}

export interface TicketSearchParams {
  /** The query language of conversation search, over the title, the description and every part. */
  text?: string;
  stateCategory?: TicketStateCategory;
  /** A state by its label (a custom state's name), any case. */
  stateLabel?: string;
  typeId?: string;
  adminAssigneeId?: string;
  teamAssigneeId?: string;
  /** A linked contact's email or name contains it, as for conversations. */
  customer?: string;
  /** Linked to a contact of this company (its API id). */
  companyId?: string;
  open?: boolean;
  /** Active in [from, to): created before `to`, updated at or after `from`. */
  from?: number;
  to?: number;
  sort: 'relevance' | 'newest' | 'oldest';
  limit: number;
  offset: number;
}

export interface TicketHit {
  id: string;
  number: string | null;
  title: string | null;
  category: TicketCategory;
  type: string | null;
  stateCategory: TicketStateCategory;
  stateLabel: string | null;
  open: boolean;
  adminAssignee: NamedRef | null;
  teamAssignee: NamedRef | null;
  createdAt: number;
  updatedAt: number;
  snippet: string;
}

export interface TicketPage {
  hits: TicketHit[];
  total: number;
}

export interface TicketStats {
  total: number;
  /** Each state the tickets are in: its category and its own label (a custom state's name). */
  byState: { category: TicketStateCategory; label: string | null; count: number }[];
  byType: { id: string | null; name: string | null; count: number }[];
}

/** What the answers read. */
export interface ReadStore {
  searchConversations(params: SearchParams): Promise<SearchPage>;
  getConversation(id: string): Promise<ConversationView | undefined>;
  conversationStats(q: StatsRequest): Promise<ConversationStats>;
  /** The terms customers wrote notably more in a period than in its baseline (theme-tally.ts). */
  conversationThemes(q: ThemesRequest): Promise<ConversationThemes>;
  /** First response, time to close and reopens of the work created in a window (levels-tally.ts). */
  serviceLevels(q: LevelsRequest): Promise<ServiceLevels>;
  /** Every named admin, team and tag with how many live conversations each holds (open ones too). */
  workspaceDirectory(): Promise<WorkspaceDirectory>;
  searchContacts(text: string, limit: number): Promise<ContactSummary[]>;
  getContact(idOrEmail: string): Promise<ContactDetail | undefined>;
  /**
   * Admins, teams or tags matching what a person typed: an exact id, an exact email or name
   * (case-insensitively), or else a name containing it. Exact matches win, so "Ana" does not also
   * pick "Anastasia".
   */
  findReference(kind: ReferenceKind, text: string): Promise<{ id: string; name: string | null }[]>;
  status(): Promise<StoreStatus>;
  getMeta(key: string): Promise<string | undefined>;
  searchArticles(params: ArticleSearchParams): Promise<ArticlePage>;
  getArticle(id: string): Promise<ArticleView | undefined>;
  helpCollections(): Promise<(CollectionRecord & { articles: number })[]>;
  searchTickets(params: TicketSearchParams): Promise<TicketPage>;
  /** How many tickets pass the filters, by state and by type. */
  ticketStats(params: Omit<TicketSearchParams, 'sort' | 'limit' | 'offset'>): Promise<TicketStats>;
  /** A ticket by the API's id or by the number the inbox shows. */
  getTicket(idOrNumber: string): Promise<TicketView | undefined>;
  /** The ticket types, each with how many stored tickets it has, and how many of them are open. */
  ticketTypes(): Promise<(TicketTypeRecord & { tickets: number; open: number })[]>;
  searchCompanies(params: CompanySearchParams): Promise<CompanyPage>;
  /** The ids of the companies a reference names: an API id, a company_id or an exact name (any case). */
  findCompanies(ref: string): Promise<string[]>;
  getCompany(id: string): Promise<CompanyView | undefined>;
}

/** Clock skew between Intercom and this machine that is not yet a "future" timestamp in an audit. */
export const FUTURE_TOLERANCE_SECONDS = 300;

/** What the integration report's data checks find in the stored copy. */
export interface ThreadAudit {
  conversations: number;
  duplicateIds: number;
  /** Conversations holding fewer parts than the API's `total_count`, with both figures. */
  shortThreads: { id: string; stored: number; total: number }[];
  /** Conversations whose stored parts are not in non-decreasing `created_at` order. */
  outOfOrder: string[];
  /** Parts or conversations created after `futureAfter`. */
  futureTimestamps: number;
  withoutCustomer: string[];
  /** Contact ids linked from conversations but absent from the contacts table. */
  unknownContacts: number;
}

export type EngineName = 'sqlite' | 'postgres';

/** Looking after the copy: its sync lock, its soundness, and closing it. */
export interface StoreAdmin {
  readonly engine: EngineName;
  /** False for a copy this user may read but not change: it answers queries, and nothing syncs it. */
  readonly writable: boolean;
  /** Where the copy is, as a user is told (no password). */
  readonly location: string;
  /** Takes this copy's sync lock for this process; throws SyncAlreadyRunning if a live one holds it. */
  acquireSyncLock(): Promise<void>;
  releaseSyncLock(): Promise<void>;
  /** The live process syncing this copy, if one is (this one included). */
  syncLockHolder(): Promise<LockHolder | undefined>;
  /**
   * Leads the scheduled syncs of the servers sharing this copy, unless a live one does: true if
   * this process leads (already, or from now). Nothing waits: followers ask again later.
   */
  claimLeadership(): Promise<boolean>;
  /** False once this process has lost the leadership (its connection gone, its claim taken over). */
  stillLeading(): Promise<boolean>;
  releaseLeadership(): Promise<void>;
  /** The live process leading the scheduled syncs, and since when. */
  syncLeader(): Promise<Holder | undefined>;
  /** Refuses a damaged copy before anything is written into it. */
  assertIntact(): Promise<void>;
  /** A full check: empty when the copy is sound, else the engine's findings. */
  integrityProblems(): Promise<string[]>;
  /** The stored copy's own consistency; `now` bounds what counts as future. */
  auditThreads(now: number): Promise<ThreadAudit>;
  /** Bytes of text held (subjects, messages, names, emails): what the database's size is compared to. */
  storedTextBytes(): Promise<number>;
  close(): Promise<void>;
}

/** A webhook notification as received, queued before it is applied (a crash after the 200 loses nothing). */
export interface QueuedNotification {
  /** Intercom's notification id: a second delivery of it is a duplicate. */
  id: string;
  topic: string;
  /** Intercom's `created_at`, epoch seconds. */
  createdAt: number;
  receivedAt: number;
  /** The notification's JSON, as received. */
  payload: string;
  /** Tries that failed so far (Intercom unreachable, a permission missing); 0 when new. */
  attempts: number;
}

/** `synced`: parked, then its conversation was read by a sync. */
export type NotificationOutcome = 'applied' | 'unchanged' | 'deleted' | 'ignored' | 'failed' | 'synced';

export interface NotificationStats {
  /** Notifications received in the retention window, and by topic. */
  received: number;
  byTopic: Record<string, number>;
  pending: number;
  /** Given up on after repeated failures: the next sync reads their conversations instead. */
  parked: number;
  lastReceivedAt: number | null;
  /** How long the last one took from Intercom's `created_at` to being received. */
  lastLagSeconds: number | null;
}

/** How long processed notifications are kept: their ids recognise late duplicates, and they are counted. */
export const NOTIFICATION_RETENTION_SECONDS = 7 * 86400;

/** The durable queue of webhook notifications, shared by every server on the copy. */
export interface NotificationQueue {
  /** Queues a notification unless one with its id was queued before: false for a duplicate. */
  enqueueNotification(n: Omit<QueuedNotification, 'attempts'>): Promise<boolean>;
  /** Unprocessed notifications due by `now` (not waiting for a retry, not parked), in order of arrival. */
  pendingNotifications(limit: number, now: number): Promise<QueuedNotification[]>;
  /**
   * A notification that failed: tried again from `retryAt`, or parked when that is null (left
   * out of the queue, counted, and read by the next sync through `parkedNotifications`).
   */
  deferNotification(id: string, attempts: number, retryAt: number | null): Promise<void>;
  /** Parked notifications, in order of arrival. */
  parkedNotifications(limit: number): Promise<QueuedNotification[]>;
  /** Marks one processed (dropping its payload) and forgets those processed before the retention window. */
  finishNotification(id: string, outcome: NotificationOutcome, at: number): Promise<void>;
  notificationStats(): Promise<NotificationStats>;
}

export type WriteStatus = 'previewed' | 'sending' | 'done' | 'failed';

/** One request that writes to Intercom, as previewed and as sent. */
export interface IntercomWrite {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  body: Record<string, unknown>;
}

/** A preview as recorded: what was shown to whom, and the write its confirmation would send. */
export interface WritePreviewRecord {
  /** SHA-256 of the confirmation handle, hex; the handle itself is never stored. */
  handleHash: string;
  principal: string;
  action: string;
  targetType: 'conversation' | 'ticket';
  targetId: string;
  preview: Record<string, unknown>;
  request: IntercomWrite;
  createdAt: number;
  expiresAt: number;
}

export interface AuditEntry extends Omit<WritePreviewRecord, 'handleHash'> {
  id: number;
  status: WriteStatus;
  confirmedAt: number | null;
  finishedAt: number | null;
  /** What Intercom answered (its record's fields, without its texts), for a write sent. */
  answer: unknown;
  error: string | null;
}

/** What a confirmation found: the preview it claims, or why it may not. */
export type WriteClaim =
  | { claimed: true; entry: AuditEntry }
  | { claimed: false; reason: 'unknown' | 'expired' | 'another-caller' | 'used'; entry?: AuditEntry };

/**
 * The audit trail of writes to Intercom, shared by every server on the copy: a preview is claimed
 * by exactly one confirmation, whichever server it reaches.
 */
export interface WriteAudit {
  recordPreview(p: WritePreviewRecord): Promise<number>;
  /** Claims the preview with this handle for `principal`, once, before it expires. */
  claimWrite(handleHash: string, principal: string, now: number): Promise<WriteClaim>;
  finishWrite(
    id: number,
    outcome: { status: 'done' | 'failed'; answer?: unknown; error?: string; at: number },
  ): Promise<void>;
  /** Newest first; previews never confirmed only when asked for. */
  auditEntries(opts: { limit: number; previews: boolean }): Promise<AuditEntry[]>;
}

export interface Store extends SyncStore, ReadStore, StoreAdmin, NotificationQueue, WriteAudit {}

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
