/**
 * The emulated workspace's state: a compact summary of every conversation (enough to list, search
 * and sort without regenerating threads), plus what the control API changed since start-up. Full
 * threads are regenerated from the seed on demand and overlaid with the changes.
 */
import { TOPICS } from './corpus.js';
import {
  conversationIdFor,
  conversationIndexFor,
  planConversation,
  type AuthorRef,
  type ConversationPlan,
  type ConversationState,
  type PartEvent,
  type PlanContext,
} from './conversation-plan.js';
import { Directory } from './directory.js';
import { CompanyBook, type Company, type CompanyChange } from './companies.js';
import { HelpCenter, type ArticleEdit, type HelpArticle } from './help-center.js';
import { Rng } from './prng.js';
import { TicketDesk, type TicketChange } from './ticket-desk.js';
import type { TicketSummary } from './tickets.js';

export interface WorkspaceOptions {
  seed: string;
  conversations: number;
  /** Conversations are created over this many days before the anchor. */
  days: number;
  /** "Now" for the generated data, in epoch seconds; defaults to the wall clock. */
  anchor?: number;
  contacts?: number;
  /** Share of conversations that get more than 500 parts (the API's cap). */
  longThreadRate?: number;
  name?: string;
  /** The workspace's `app.timezone` (IANA), which sets its day boundaries. */
  timezone?: string;
  /** Help Center articles; by default one for every 40 conversations, at least 12. */
  articles?: number;
  /** Tickets; by default one for every 5 conversations, at least 10. */
  tickets?: number;
  /** Companies; by default one for every 12 contacts, at least 5. */
  companies?: number;
  /** How long a companies scroll lives unused (the API's minute by default). */
  scrollExpirySeconds?: number;
  /** A problem many customers start writing about lately, absent before (themes' ground truth). */
  theme?: PlantedTheme;
}

export interface PlantedTheme {
  /** Words no generated text uses, written into each themed conversation's opening message. */
  phrase: string;
  conversations: number;
  /** Customers' tickets whose description opens with it too (none by default). */
  tickets?: number;
  /** The themed conversations and tickets are among those customers started in this many days before the anchor. */
  days: number;
}

export interface ConversationSummary {
  index: number;
  id: string;
  createdAt: number;
  updatedAt: number;
  state: ConversationState;
  read: boolean;
  priority: boolean;
  adminAssigneeId: string | null;
  teamAssigneeId: string | null;
  tagIds: string[];
  contactId: string;
  partCount: number;
  waitingSince: number | null;
  snoozedUntil: number | null;
  teammateIds: string[];
  sourceType: 'conversation' | 'email';
  deliveredAs: string;
  deleted: boolean;
}

interface AddedConversation {
  createdAt: number;
  contactIndex: number;
  topicIndex: number;
  body: string;
  subject: string | undefined;
}

/** A change that adds no part; `redactPart` is a part's position in the whole thread. */
export interface ConversationEdit {
  addTag?: string;
  removeTag?: string;
  priority?: boolean;
  read?: boolean;
  title?: string;
  /** A custom attribute changed: the conversation is touched and nothing else shows. */
  attribute?: boolean;
  redactPart?: number;
  /** The admin a tag is applied by; the first human by default. */
  by?: string;
}

type ConversationEdits = Pick<ConversationPlan, 'touchedAt' | 'read' | 'redactedParts' | 'title'> &
  Partial<Pick<ConversationPlan, 'tags' | 'priority'>>;

/** A change Intercom has a webhook topic for, with the conversation as it is after it. */
export interface WorkspaceChange {
  topic: string;
  summary: ConversationSummary;
}

/** The topic Intercom notifies for a new part, by who wrote it and what it did. */
function partTopic(input: { author: AuthorRef; partType: string; state?: ConversationState }): string {
  if (input.state === 'closed') return 'conversation.admin.closed';
  if (input.state === 'snoozed') return 'conversation.admin.snoozed';
  if (input.partType === 'open') return 'conversation.admin.opened';
  if (input.partType === 'note') return 'conversation.admin.noted';
  if (input.partType === 'assignment') return 'conversation.admin.assigned';
  return input.author.kind === 'contact' ? 'conversation.user.replied' : 'conversation.admin.replied';
}

export class Workspace {
  private readonly listeners: ((change: WorkspaceChange) => void)[] = [];

  /** Called after each change that Intercom has a webhook topic for (webhooks.ts sends them). */
  onChange(listener: (change: WorkspaceChange) => void): void {
    this.listeners.push(listener);
  }

  private changed(topic: string, summary: ConversationSummary): void {
    for (const l of this.listeners) l({ topic, summary });
  }

  readonly directory: Directory;
  readonly helpCenter: HelpCenter;
  readonly tickets: TicketDesk;
  readonly companies: CompanyBook;
  readonly name: string;
  readonly idCode: string;
  readonly anchor: number;
  private readonly ctx: PlanContext;
  private readonly createdTimes: number[];
  private readonly summaries: ConversationSummary[] = [];
  private readonly extraParts = new Map<number, PartEvent[]>();
  private readonly added = new Map<number, AddedConversation>();
  private readonly deletedAt = new Map<number, number>();
  private readonly edits = new Map<number, ConversationEdits>();
  private readonly clockOffset: number;
  /** The conversations (by index) whose opening message carries the planted theme. */
  private readonly themed = new Set<number>();
  /** Bumped on every change, so callers can cache sorted views. */
  version = 0;

  constructor(readonly options: WorkspaceOptions) {
    const realNow = Math.floor(Date.now() / 1000);
    this.anchor = options.anchor ?? realNow;
    // When a test pins the anchor in the future, control-API changes must still land after it.
    this.clockOffset = Math.max(0, this.anchor - realNow);
    const rng = new Rng(options.seed, 'workspace');
    this.name = options.name ?? `${rng.pick(['Acme', 'Globex', 'Initech', 'Hooli', 'Umbrella'])} Support`;
    this.idCode = rng.hex(8);
    const contacts = options.contacts ?? Math.max(20, Math.round(options.conversations * 0.6));
    this.directory = new Directory(options.seed, contacts, this.anchor, options.days);
    this.ctx = {
      seed: options.seed,
      anchor: this.anchor,
      directory: this.directory,
      longThreadRate: options.longThreadRate ?? 0.002,
    };
    this.helpCenter = new HelpCenter(
      options.seed,
      options.articles ?? Math.max(12, Math.round(options.conversations / 40)),
      this.anchor,
      options.days,
      this.directory,
    );
    this.companies = new CompanyBook(
      options.seed,
      options.companies ?? Math.max(5, Math.round(contacts / 12)),
      this.anchor,
      this.directory,
      options.scrollExpirySeconds ?? 60,
    );
    this.createdTimes = creationTimes(options.seed, options.conversations, options.days, this.anchor);
    const tickets = options.tickets ?? Math.max(10, Math.round(options.conversations / 5));
    this.tickets = new TicketDesk(
      {
        seed: options.seed,
        anchor: this.anchor,
        directory: this.directory,
        conversationIdFor,
        conversations: options.conversations,
        longRate: this.ctx.longThreadRate,
      },
      creationTimes(`${options.seed}/tickets`, tickets, options.days, this.anchor),
      this.directory,
    );
    for (let i = 0; i < options.conversations; i++) {
      this.summaries.push(summarize(this.plan(i), false, this.directory));
    }
    if (options.theme) this.plantTheme(options.theme);
  }

  /** Spreads the theme evenly over the customer-started conversations of its last days. */
  private plantTheme(theme: PlantedTheme): void {
    const since = this.anchor - theme.days * 86400;
    const eligible = this.summaries.filter(
      (s) => s.createdAt >= since && s.deliveredAs === 'customer_initiated',
    );
    if (eligible.length < theme.conversations)
      throw new Error(
        `A theme in ${theme.conversations} conversations needs that many started by customers in its last ${theme.days} days; there are ${eligible.length}`,
      );
    const step = eligible.length / theme.conversations;
    for (let i = 0; i < theme.conversations; i++) this.themed.add(eligible[Math.floor(i * step)]!.index);
    if (theme.tickets) this.tickets.plantTheme(theme.phrase, theme.tickets, since);
  }

  /** The live conversations carrying the planted theme: what a themes answer must count. */
  themedConversations(): ConversationSummary[] {
    return [...this.themed].map((i) => this.summaries[i]!).filter((s) => !s.deleted);
  }

  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  get size(): number {
    return this.summaries.length;
  }

  /** All summaries, deleted ones included; callers filter. Not to be mutated. */
  all(): readonly ConversationSummary[] {
    return this.summaries;
  }

  live(): ConversationSummary[] {
    return this.summaries.filter((s) => !s.deleted);
  }

  find(id: string): ConversationSummary | undefined {
    const index = conversationIndexFor(id);
    if (index === undefined) return undefined;
    const s = this.summaries[index];
    return s && !s.deleted ? s : undefined;
  }

  plan(index: number): ConversationPlan {
    const addedSpec = this.added.get(index);
    const plan = addedSpec
      ? planAdded(index, addedSpec)
      : planConversation(this.ctx, index, this.createdTimes[index]!);
    const extra = this.extraParts.get(index);
    if (extra) plan.parts = [...plan.parts, ...extra];
    if (this.themed.has(index)) plan.theme = this.options.theme!.phrase;
    const edits = this.edits.get(index);
    return edits ? { ...plan, ...edits } : plan;
  }

  addConversation(input: { body: string; subject?: string; contactIndex?: number }): ConversationSummary {
    const index = this.summaries.length;
    const rng = new Rng(this.options.seed, 'added', index);
    this.added.set(index, {
      createdAt: this.mutationTime(),
      contactIndex: input.contactIndex ?? rng.int(0, this.directory.contactCount - 1),
      topicIndex: rng.int(0, TOPICS.length - 1),
      body: input.body,
      subject: input.subject,
    });
    const summary = summarize(this.plan(index), false, this.directory);
    this.summaries.push(summary);
    this.version++;
    this.changed('conversation.user.created', summary);
    return summary;
  }

  /** Appends a part (a reply, note or state change) at the current time, bumping `updated_at`. */
  addPart(
    id: string,
    input: {
      author: AuthorRef;
      partType: string;
      body?: string;
      state?: ConversationState;
      snoozedUntil?: number;
      /** An assignment; id `0` unassigns, as the API's `assignee_id` does. */
      assignedTo?: { type: 'admin' | 'team'; id: string };
    },
    at = this.mutationTime(),
  ): ConversationSummary | undefined {
    const summary = this.find(id);
    if (!summary) return undefined;
    const previous = this.plan(summary.index).parts.at(-1)?.stateAfter ?? 'open';
    // A customer writing into a closed or snoozed conversation reopens it, as Intercom does.
    const reopen = input.author.kind === 'contact' && input.partType === 'comment';
    const event: PartEvent = {
      partType: input.partType,
      at,
      author: input.author,
      assignedTo: input.assignedTo ?? null,
      text: null,
      stateAfter: input.state ?? (reopen ? 'open' : previous),
      ...(input.body !== undefined ? { literalBody: input.body } : {}),
      ...(input.snoozedUntil !== undefined ? { snoozedUntil: input.snoozedUntil } : {}),
    };
    const list = this.extraParts.get(summary.index) ?? [];
    list.push(event);
    this.extraParts.set(summary.index, list);
    const updated = summarize(this.plan(summary.index), false, this.directory);
    this.summaries[summary.index] = updated;
    this.version++;
    this.changed(partTopic(input), updated);
    return updated;
  }

  delete(id: string): boolean {
    const summary = this.find(id);
    if (!summary) return false;
    this.summaries[summary.index] = { ...summary, deleted: true };
    this.deletedAt.set(summary.index, this.mutationTime());
    this.version++;
    this.changed('conversation.deleted', summary);
    return true;
  }

  /**
   * A change that adds no part, as Intercom's tagging, priority, read and custom-attribute changes
   * do: it bumps `updated_at` and leaves `count_conversation_parts` as it was. A redaction blanks a
   * part's text the same way.
   */
  edit(id: string, change: ConversationEdit): ConversationSummary | undefined {
    const summary = this.find(id);
    if (!summary) return undefined;
    const plan = this.plan(summary.index);
    const at = this.mutationTime();
    const edits: ConversationEdits = { ...this.edits.get(summary.index), touchedAt: at };
    if (change.addTag && !plan.tags.some((t) => t.tagId === change.addTag))
      edits.tags = [
        ...plan.tags,
        { tagId: change.addTag, appliedAt: at, appliedBy: change.by ?? this.directory.humans[0]!.id },
      ];
    if (change.removeTag) edits.tags = plan.tags.filter((t) => t.tagId !== change.removeTag);
    if (change.priority !== undefined) edits.priority = change.priority;
    if (change.read !== undefined) edits.read = change.read;
    if (change.title !== undefined) edits.title = change.title;
    if (change.redactPart !== undefined) {
      if (change.redactPart < 0 || change.redactPart >= plan.parts.length) return undefined;
      edits.redactedParts = new Set([...(edits.redactedParts ?? []), change.redactPart]);
    }
    this.edits.set(summary.index, edits);
    const updated = summarize(this.plan(summary.index), false, this.directory);
    this.summaries[summary.index] = updated;
    this.version++;
    // Read flags and custom attributes have no topic: only polling sees them.
    const topic = change.addTag
      ? 'conversation_part.tag.created'
      : change.priority !== undefined
        ? 'conversation.priority.updated'
        : change.redactPart !== undefined
          ? 'conversation_part.redacted'
          : undefined;
    if (topic) this.changed(topic, updated);
    return updated;
  }

  /** An article changed now (its `updated_at` the workspace's clock, as a conversation's). */
  editArticle(id: string, change: ArticleEdit): HelpArticle | undefined {
    return this.helpCenter.edit(id, change, this.mutationTime());
  }

  /** Tickets changed now, in the same second as a bulk action is; undefined for one not live. */
  editTickets(ids: string[], change: TicketChange, at = this.mutationTime()): (TicketSummary | undefined)[] {
    return ids.map((id) => this.tickets.change(id, change, at));
  }

  /** Several changes to one ticket in one second, as one update through the API makes them. */
  changeTicket(id: string, changes: TicketChange[]): TicketSummary | undefined {
    const at = this.mutationTime();
    let updated = this.tickets.find(id);
    for (const change of changes) updated = this.tickets.change(id, change, at);
    return updated;
  }

  /** A company changed now; undefined for one not live. */
  changeCompany(id: string, change: CompanyChange): Company | undefined {
    return this.companies.change(id, change, this.mutationTime());
  }

  addCompany(name: string): Company {
    return this.companies.create(name, this.mutationTime());
  }

  /** Every deleted conversation with when it was deleted (`GET /conversations/deleted`). */
  deletions(): { id: string; deletedAt: number }[] {
    return [...this.deletedAt].map(([index, deletedAt]) => ({ id: this.summaries[index]!.id, deletedAt }));
  }

  private lastMutation = 0;
  private mutationTime(): number {
    this.lastMutation = Math.max(this.now(), this.lastMutation);
    return this.lastMutation;
  }
}

function planAdded(index: number, spec: AddedConversation): ConversationPlan {
  return {
    index,
    id: conversationIdFor(index),
    createdAt: spec.createdAt,
    topicIndex: spec.topicIndex,
    contactIndex: spec.contactIndex,
    sourceType: spec.subject ? 'email' : 'conversation',
    deliveredAs: 'customer_initiated',
    sourceAuthor: { kind: 'contact' },
    sourceLiteralBody: spec.body,
    ...(spec.subject !== undefined ? { sourceLiteralSubject: spec.subject } : {}),
    initialAdminAssigneeId: null,
    initialTeamAssigneeId: null,
    priority: false,
    tags: [],
    rating: null,
    parts: [],
  };
}

/**
 * Creation times with a weekday/weekend and working-hours rhythm, sorted so that ids grow with
 * time as Intercom's do.
 */
function creationTimes(seed: string, count: number, days: number, anchor: number): number[] {
  const rng = new Rng(seed, 'created');
  const span = Math.max(1, days) * 86400;
  const times: number[] = [];
  while (times.length < count) {
    const t = anchor - Math.floor(rng.next() * span);
    const date = new Date(t * 1000);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const hour = date.getUTCHours();
    const working = hour >= 8 && hour < 18;
    const weight = (weekend ? 0.35 : 1) * (working ? 1 : 0.3);
    if (rng.next() < weight) times.push(t);
  }
  return times.sort((a, b) => a - b);
}

function summarize(plan: ConversationPlan, deleted: boolean, dir: Directory): ConversationSummary {
  let adminAssigneeId = plan.initialAdminAssigneeId;
  let teamAssigneeId = plan.initialTeamAssigneeId;
  let updatedAt = plan.createdAt;
  let waitingSince: number | null = plan.deliveredAs === 'customer_initiated' ? plan.createdAt : null;
  let snoozedUntil: number | null = null;
  let state: ConversationState = 'open';
  const teammates = new Set<string>();
  for (const part of plan.parts) {
    updatedAt = Math.max(updatedAt, part.at);
    const assignee = part.assignedTo?.id === '0' ? null : (part.assignedTo?.id ?? null);
    if (part.assignedTo?.type === 'admin') adminAssigneeId = assignee;
    if (part.assignedTo?.type === 'team') teamAssigneeId = assignee;
    if (part.author.kind === 'admin') teammates.add(part.author.adminId);
    if (part.partType === 'comment')
      waitingSince = part.author.kind === 'contact' ? (waitingSince ?? part.at) : null;
    state = part.stateAfter;
    snoozedUntil = state === 'snoozed' ? (part.snoozedUntil ?? null) : null;
  }
  for (const tag of plan.tags) updatedAt = Math.max(updatedAt, tag.appliedAt);
  updatedAt = Math.max(updatedAt, plan.touchedAt ?? 0);
  return {
    index: plan.index,
    id: plan.id,
    createdAt: plan.createdAt,
    updatedAt,
    state,
    read: plan.read ?? (state === 'closed' || plan.index % 3 !== 0),
    priority: plan.priority,
    adminAssigneeId,
    teamAssigneeId,
    tagIds: plan.tags.map((t) => t.tagId),
    contactId: dir.contact(plan.contactIndex).id,
    partCount: plan.parts.length,
    waitingSince: state === 'open' ? waitingSince : null,
    snoozedUntil,
    teammateIds: [...teammates],
    sourceType: plan.sourceType,
    deliveredAs: plan.deliveredAs,
    deleted,
  };
}
