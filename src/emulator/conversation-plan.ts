/**
 * The structure of one emulated conversation: who wrote what, when, and what state each part left
 * it in. Text is not generated here: bodies are rendered on demand (render.ts) from a
 * separate random stream, so the workspace can summarise 100k conversations at start-up cheaply.
 */
import { TOPICS } from './corpus.js';
import type { Directory } from './directory.js';
import { Rng } from './prng.js';

export type ConversationState = 'open' | 'closed' | 'snoozed';
export type AuthorRef = { kind: 'contact' } | { kind: 'admin'; adminId: string } | { kind: 'bot' };
export type TextKind = 'opener' | 'followUp' | 'reply' | 'note' | 'quickReply' | 'long';

export interface PartEvent {
  partType: string;
  at: number;
  author: AuthorRef;
  assignedTo: { type: 'admin' | 'team'; id: string } | null;
  /** What kind of text the body is generated from; null for event parts, which have no body. */
  text: TextKind | null;
  /** Literal HTML body, for parts added through the control API. */
  literalBody?: string;
  stateAfter: ConversationState;
  snoozedUntil?: number;
}

export interface AppliedTag {
  tagId: string;
  appliedAt: number;
  appliedBy: string;
}

export interface ConversationPlan {
  index: number;
  id: string;
  createdAt: number;
  topicIndex: number;
  contactIndex: number;
  sourceType: 'conversation' | 'email';
  deliveredAs: 'customer_initiated' | 'admin_initiated';
  sourceAuthor: AuthorRef;
  sourceLiteralBody?: string;
  sourceLiteralSubject?: string;
  initialAdminAssigneeId: string | null;
  initialTeamAssigneeId: string | null;
  priority: boolean;
  tags: AppliedTag[];
  rating: { rating: number; at: number } | null;
  parts: PartEvent[];
  /** Changes that add no part (see Workspace.edit): when the last was made, the read flag, redactions. */
  touchedAt?: number;
  read?: boolean;
  redactedParts?: ReadonlySet<number>;
  /** A title set by a teammate (an email's is its subject otherwise). */
  title?: string;
  /** The planted theme's phrase, written into the opening message (Workspace.plantTheme). */
  theme?: string;
}

export const ID_BASE = 215468000;

export function conversationIdFor(index: number): string {
  return String(ID_BASE + index * 3);
}

export function conversationIndexFor(id: string): number | undefined {
  if (!/^\d+$/.test(id)) return undefined;
  const n = Number(id) - ID_BASE;
  return n >= 0 && n % 3 === 0 ? n / 3 : undefined;
}

export function partIdFor(conversationIndex: number, partNumber: number): string {
  return String(9_000_000_000 + conversationIndex * 4096 + partNumber);
}

export interface PlanContext {
  seed: string;
  anchor: number;
  directory: Directory;
  longThreadRate: number;
}

/**
 * Builds the plan of a generated conversation created at `createdAt`. Parts later than the anchor
 * ("now" when the workspace was made) are dropped: the conversation is caught mid-flight.
 */
export function planConversation(ctx: PlanContext, index: number, createdAt: number): ConversationPlan {
  const rng = new Rng(ctx.seed, 'conv', index);
  const dir = ctx.directory;
  const topicIndex = rng.int(0, TOPICS.length - 1);
  const topic = TOPICS[topicIndex]!;
  const contactIndex = rng.int(0, dir.contactCount - 1);
  const adminInitiated = rng.chance(0.08);
  const owner = rng.pick(dir.humans);
  const team = dir.team(owner.teamIds[0]!)!;
  const plan: ConversationPlan = {
    index,
    id: conversationIdFor(index),
    createdAt,
    topicIndex,
    contactIndex,
    sourceType: rng.chance(0.3) ? 'email' : 'conversation',
    deliveredAs: adminInitiated ? 'admin_initiated' : 'customer_initiated',
    sourceAuthor: adminInitiated ? { kind: 'admin', adminId: owner.id } : { kind: 'contact' },
    initialAdminAssigneeId: null,
    initialTeamAssigneeId: null,
    priority: rng.chance(0.08),
    tags: [],
    rating: null,
    parts: [],
  };

  const parts = plan.parts;
  let t = createdAt;
  let state: ConversationState = 'open';
  const push = (p: Omit<PartEvent, 'stateAfter'> & { stateAfter?: ConversationState }) => {
    state = p.stateAfter ?? state;
    parts.push({ ...p, stateAfter: state });
  };
  const admin = { kind: 'admin', adminId: owner.id } as const;

  if (adminInitiated) {
    plan.initialAdminAssigneeId = owner.id;
  } else if (rng.chance(0.85)) {
    t += rng.int(1, 90);
    push({
      partType: 'assignment',
      at: t,
      author: { kind: 'bot' },
      assignedTo: { type: 'team', id: team.id },
      text: null,
    });
    if (rng.chance(0.3)) {
      t += rng.int(1, 20);
      push({ partType: 'quick_reply', at: t, author: { kind: 'bot' }, assignedTo: null, text: 'quickReply' });
    }
    t += Math.round(rng.exponential(1800));
    push({
      partType: 'assignment',
      at: t,
      author: admin,
      assignedTo: { type: 'admin', id: owner.id },
      text: null,
    });
  }

  const long = rng.chance(ctx.longThreadRate) && ctx.anchor - createdAt > 6 * 3600;
  if (long) {
    const target = rng.int(520, 900);
    const gap = Math.max(2, Math.floor((ctx.anchor - createdAt) / (target * 1.6)));
    for (let k = 0; k < target; k++) {
      t += rng.int(1, gap);
      const fromCustomer = k % 2 === 0;
      push({
        partType: 'comment',
        at: t,
        author: fromCustomer ? { kind: 'contact' } : admin,
        assignedTo: null,
        text: k % 50 === 0 ? 'long' : fromCustomer ? 'followUp' : 'reply',
      });
    }
  } else {
    const rounds = rng.weighted<number>([
      [0, 0.08],
      [1, 0.35],
      [2, 0.27],
      [3, 0.15],
      [4, 0.1],
      [7, 0.05],
    ]);
    for (let r = 0; r < rounds; r++) {
      if (rng.chance(0.15)) {
        t += rng.int(30, 900);
        push({ partType: 'note', at: t, author: admin, assignedTo: null, text: 'note' });
      }
      t += Math.round(rng.exponential(r === 0 ? 5400 : 3 * 3600)) + 20;
      push({ partType: 'comment', at: t, author: admin, assignedTo: null, text: 'reply' });
      if (r < rounds - 1 || rng.chance(0.4)) {
        t += Math.round(rng.exponential(4 * 3600)) + 20;
        push({ partType: 'comment', at: t, author: { kind: 'contact' }, assignedTo: null, text: 'followUp' });
      }
    }
  }

  const ending = rng.weighted<'close' | 'snooze' | 'open' | 'reopen'>([
    ['close', 0.66],
    ['snooze', 0.08],
    ['open', 0.14],
    ['reopen', 0.12],
  ]);
  if (ending !== 'open') {
    t += Math.round(rng.exponential(3600)) + 10;
    if (ending === 'snooze') {
      push({
        partType: 'snoozed',
        at: t,
        author: admin,
        assignedTo: null,
        text: null,
        stateAfter: 'snoozed',
        snoozedUntil: t + rng.int(1, 5) * 86400,
      });
    } else {
      push({ partType: 'close', at: t, author: admin, assignedTo: null, text: null, stateAfter: 'closed' });
    }
    if (ending === 'reopen') {
      t += Math.round(rng.exponential(2 * 86400)) + 60;
      push({
        partType: 'comment',
        at: t,
        author: { kind: 'contact' },
        assignedTo: null,
        text: 'followUp',
        stateAfter: 'open',
      });
      if (rng.chance(0.7)) {
        t += Math.round(rng.exponential(3600)) + 20;
        push({ partType: 'comment', at: t, author: admin, assignedTo: null, text: 'reply' });
        t += rng.int(60, 7200);
        push({ partType: 'close', at: t, author: admin, assignedTo: null, text: null, stateAfter: 'closed' });
      }
    }
  }

  // The conversation is seen as it was at the anchor: later parts have not happened yet.
  plan.parts = parts.filter((p) => p.at <= ctx.anchor);

  const tagBy = owner.id;
  if (rng.chance(0.75)) {
    plan.tags.push({
      tagId: dir.tagByName(topic.tag).id,
      appliedAt: createdAt + rng.int(60, 3600),
      appliedBy: tagBy,
    });
  }
  if (rng.chance(0.1))
    plan.tags.push({ tagId: dir.tagByName('urgent').id, appliedAt: createdAt + 30, appliedBy: tagBy });
  if (rng.chance(0.04))
    plan.tags.push({ tagId: dir.tagByName('vip').id, appliedAt: createdAt + 40, appliedBy: tagBy });
  plan.tags = plan.tags.filter((tag) => tag.appliedAt <= ctx.anchor);

  const last = plan.parts[plan.parts.length - 1];
  if (last?.stateAfter === 'closed' && rng.chance(0.25))
    plan.rating = { rating: rng.int(1, 5), at: last.at + 120 };
  if (plan.rating && plan.rating.at > ctx.anchor) plan.rating = null;
  return plan;
}
