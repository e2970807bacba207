/**
 * Turns the workspace's plans and summaries into the JSON shapes of Intercom's REST API 2.16, as the
 * official OpenAPI description (vendor/intercom-openapi) defines them.
 */
import { TOPICS, fillTemplate, longBody, toHtmlBody, toLength } from './corpus.js';
import type { AuthorRef, ConversationPlan, PartEvent, TextKind } from './conversation-plan.js';
import { partIdFor } from './conversation-plan.js';
import type { Admin, Contact, Directory, Team } from './directory.js';
import { htmlToPlaintext } from './html-text.js';
import { Rng } from './prng.js';
import { themeSentence } from './theme-sentence.js';
import type { ConversationSummary, Workspace } from './workspace.js';

/** The real API returns "the 500 most recent" parts of a conversation. */
export const PART_CAP = 500;

type Json = Record<string, unknown>;

export function renderAdmin(admin: Admin): Json {
  return {
    type: 'admin',
    id: admin.id,
    name: admin.name,
    email: admin.email,
    job_title: admin.jobTitle,
    away_mode_enabled: false,
    away_mode_reassign: false,
    has_inbox_seat: !admin.isBot,
    team_ids: admin.teamIds,
    avatar: null,
  };
}

export function renderMe(ws: Workspace): Json {
  const admin = ws.directory.humans[0]!;
  return {
    type: 'admin',
    id: admin.id,
    email: admin.email,
    name: admin.name,
    email_verified: true,
    app: {
      type: 'app',
      id_code: ws.idCode,
      name: ws.name,
      region: 'US',
      timezone: ws.options.timezone ?? 'Europe/Dublin',
      created_at: ws.anchor - 800 * 86400,
      identity_verification: false,
    },
    avatar: {
      type: 'avatar',
      image_url: 'https://static.intercomassets.com/assets/default-avatars/admins/128.png',
    },
    has_inbox_seat: true,
  };
}

export function renderTeam(team: Team): Json {
  return { type: 'team', id: team.id, name: team.name, admin_ids: team.adminIds };
}

export function renderContact(contact: Contact, ws: Workspace): Json {
  const list = (what: string) => ({
    data: [],
    url: `https://api.intercom.io/contacts/${contact.id}/${what}`,
    total_count: 0,
    has_more: false,
  });
  const companies = ws.companies.companiesOf(contact.index);
  return {
    type: 'contact',
    id: contact.id,
    workspace_id: ws.idCode,
    external_id: contact.externalId,
    role: contact.role,
    email: contact.email,
    phone: null,
    name: contact.name,
    avatar: null,
    owner_id: null,
    social_profiles: { data: [] },
    has_hard_bounced: false,
    marked_email_as_spam: false,
    unsubscribed_from_emails: false,
    created_at: contact.createdAt,
    updated_at: contact.createdAt,
    signed_up_at: contact.role === 'user' ? contact.createdAt : null,
    last_seen_at: null,
    last_replied_at: null,
    last_contacted_at: null,
    last_email_opened_at: null,
    last_email_clicked_at: null,
    language_override: null,
    browser: null,
    browser_version: null,
    browser_language: null,
    os: null,
    location: { type: 'location', country: null, region: null, city: null },
    custom_attributes: {},
    tags: list('tags'),
    notes: list('notes'),
    // Up to 10 here, as the API shows them; the rest from `GET /contacts/{id}/companies`.
    companies: {
      ...list('companies'),
      data: companies
        .slice(0, 10)
        .map((c) => ({ type: 'company', id: c.id, url: `https://api.intercom.io/companies/${c.id}` })),
      total_count: companies.length,
      has_more: companies.length > 10,
    },
  };
}

/** A part's author; a source's author (2.16 `conversation_source_author`) has no AI flags. */
function renderAuthor(author: AuthorRef, contact: Contact, dir: Directory, source = false): Json {
  const isBot = author.kind === 'bot';
  const ai = source ? {} : { from_ai_agent: isBot, is_ai_answer: isBot };
  if (author.kind === 'contact') {
    // A part author's email is a non-nullable email: a contact without one has no email key.
    return {
      type: contact.role,
      id: contact.id,
      name: contact.name,
      ...(contact.email ? { email: contact.email } : {}),
      ...ai,
    };
  }
  const admin = isBot ? dir.bot : dir.admin(author.adminId)!;
  return { type: isBot ? 'bot' : 'admin', id: admin.id, name: admin.name, email: admin.email, ...ai };
}

/** 2.16 priority levels; the workspace keeps only whether a conversation is prioritised. */
const PRIORITY_LEVELS = ['low', 'medium', 'high', 'urgent'] as const;
export const priorityOf = (s: Pick<ConversationSummary, 'priority' | 'index'>) =>
  s.priority ? PRIORITY_LEVELS[s.index % PRIORITY_LEVELS.length]! : 'none';
/** 2.16 assignee ids: integers, 0 when unassigned. */
export const assigneeNumber = (id: string | null) => (id === null ? 0 : Number(id));

function textFor(kind: TextKind, rng: Rng, plan: ConversationPlan, contact: Contact): string {
  const topic = TOPICS[plan.topicIndex]!;
  const email = contact.email ?? 'me@example.com';
  switch (kind) {
    case 'opener':
      return toHtmlBody(toLength(rng, fillTemplate(rng, rng.pick(topic.openers), email), 'customer'));
    case 'followUp':
      return toHtmlBody(toLength(rng, fillTemplate(rng, rng.pick(topic.followUps), email), 'customer'));
    case 'reply': {
      const greeting = contact.name ? `Hi ${contact.name.split(' ')[0]}, ` : 'Hi there, ';
      return toHtmlBody(
        toLength(rng, greeting + fillTemplate(rng, rng.pick(topic.replies), email), 'teammate'),
      );
    }
    case 'note':
      return toHtmlBody(toLength(rng, fillTemplate(rng, rng.pick(topic.notes), email), 'note'));
    case 'quickReply':
      return toHtmlBody(
        'Hi! I am Fin 🤖 What can I help you with today? Pick a topic or type your question.',
      );
    case 'long':
      return longBody(rng, toHtmlBody(fillTemplate(rng, rng.pick(topic.openers), email)));
  }
}

interface RenderOptions {
  plaintext: boolean;
}

function body(html: string | null, opts: RenderOptions): string | null {
  if (html === null) return null;
  return opts.plaintext ? htmlToPlaintext(html) : html;
}

function partBody(
  ws: Workspace,
  plan: ConversationPlan,
  part: PartEvent,
  k: number,
  contact: Contact,
): string | null {
  if (part.literalBody !== undefined) return part.literalBody;
  if (part.text === null) return null;
  return textFor(part.text, new Rng(ws.options.seed, 'text', plan.index, k), plan, contact);
}

function attachmentsFor(ws: Workspace, plan: ConversationPlan, k: number, author: AuthorRef): Json[] {
  if (author.kind !== 'contact') return [];
  return customerAttachments(new Rng(ws.options.seed, 'attachment', plan.index, k));
}

/** What a customer attached to one message, if anything (one in twenty by default): metadata and a signed URL. */
export function customerAttachments(rng: Rng, rate = 0.05): Json[] {
  if (!rng.chance(rate)) return [];
  const name = rng.pick([
    'screenshot.png',
    'error-log.txt',
    'invoice-2024.pdf',
    'Bildschirmfoto 2024-06-12 um 10.14.png',
  ]);
  const isImage = name.endsWith('.png');
  return [
    {
      type: 'upload',
      name,
      url: `https://downloads.intercomcdn.com/i/o/${rng.int(100000000, 999999999)}/${rng.hex(20)}/${encodeURIComponent(name)}`,
      content_type: isImage ? 'image/png' : name.endsWith('.pdf') ? 'application/pdf' : 'text/plain',
      filesize: rng.int(2000, 2_000_000),
      ...(isImage ? { width: rng.pick([1280, 1440, 2560]), height: rng.pick([720, 900, 1600]) } : {}),
    },
  ];
}

function renderSource(ws: Workspace, plan: ConversationPlan, contact: Contact, opts: RenderOptions): Json {
  const rng = new Rng(ws.options.seed, 'source', plan.index);
  const topic = TOPICS[plan.topicIndex]!;
  const subject = plan.sourceLiteralSubject ?? (plan.sourceType === 'email' ? rng.pick(topic.subjects) : '');
  const generated =
    plan.sourceLiteralBody ?? textFor(rng.chance(0.03) ? 'long' : 'opener', rng, plan, contact);
  const html =
    plan.theme === undefined ? generated : toHtmlBody(themeSentence(plan.index, plan.theme)) + generated;
  return {
    type: plan.sourceType,
    id: String(403918000 + plan.index),
    delivered_as: plan.deliveredAs,
    subject,
    body: body(html, opts),
    author: renderAuthor(plan.sourceAuthor, contact, ws.directory, true),
    attachments: attachmentsFor(ws, plan, -1, plan.sourceAuthor),
    url: plan.sourceType === 'conversation' ? 'https://app.example.com/projects' : null,
    redacted: false,
  };
}

function renderStatistics(plan: ConversationPlan, totalParts: number): Json {
  const s: Json = { type: 'conversation_statistics' };
  let closed = false;
  let reopens = 0;
  let assignments = 0;
  const set = (key: string, value: number, first: boolean) => {
    if (!first || s[key] === undefined) s[key] = value;
  };
  if (plan.deliveredAs === 'customer_initiated') s.first_contact_reply_at = plan.createdAt;
  for (const part of plan.parts) {
    const byAdmin = part.author.kind === 'admin';
    if (part.partType === 'assignment') {
      assignments++;
      set('first_assignment_at', part.at, true);
      set('last_assignment_at', part.at, false);
    }
    if (part.partType === 'comment' && byAdmin) {
      set('first_admin_reply_at', part.at, true);
      set('last_admin_reply_at', part.at, false);
    }
    if (part.partType === 'comment' && part.author.kind === 'contact') {
      set('first_contact_reply_at', part.at, true);
      set('last_contact_reply_at', part.at, false);
      if (closed) reopens++;
      closed = false;
    }
    if (part.partType === 'close') {
      closed = true;
      set('first_close_at', part.at, true);
      set('last_close_at', part.at, false);
      if (part.author.kind === 'admin') s.last_closed_by_id = part.author.adminId;
    }
  }
  if (typeof s.first_admin_reply_at === 'number')
    s.time_to_admin_reply = s.first_admin_reply_at - plan.createdAt;
  if (typeof s.first_assignment_at === 'number')
    s.time_to_assignment = s.first_assignment_at - plan.createdAt;
  if (typeof s.first_close_at === 'number') s.time_to_first_close = s.first_close_at - plan.createdAt;
  if (typeof s.last_close_at === 'number') s.time_to_last_close = s.last_close_at - plan.createdAt;
  s.count_reopens = reopens;
  s.count_assignments = assignments;
  // Counts the source message too, so it is one more than conversation_parts.total_count.
  s.count_conversation_parts = totalParts + 1;
  return s;
}

function renderConversationBase(
  ws: Workspace,
  summary: ConversationSummary,
  plan: ConversationPlan,
  opts: RenderOptions,
): Json {
  const dir = ws.directory;
  const contact = dir.contact(plan.contactIndex);
  const rng = new Rng(ws.options.seed, 'attrs', plan.index);
  const source = renderSource(ws, plan, contact, opts);
  const rating = plan.rating;
  return {
    type: 'conversation',
    id: summary.id,
    title: plan.title ?? (plan.sourceType === 'email' ? source.subject : null),
    created_at: summary.createdAt,
    updated_at: summary.updatedAt,
    waiting_since: summary.waitingSince,
    snoozed_until: summary.snoozedUntil,
    open: summary.state !== 'closed',
    state: summary.state,
    read: summary.read,
    priority: priorityOf(summary),
    admin_assignee_id: assigneeNumber(summary.adminAssigneeId),
    team_assignee_id: assigneeNumber(summary.teamAssigneeId),
    tags: {
      type: 'tag.list',
      tags: plan.tags.map((t) => ({
        type: 'tag',
        id: t.tagId,
        name: dir.tag(t.tagId)!.name,
        applied_at: t.appliedAt,
        applied_by: { type: 'admin', id: t.appliedBy },
      })),
    },
    conversation_rating: rating
      ? {
          rating: rating.rating,
          remark: rating.rating >= 4 ? 'Quick and helpful, thanks!' : 'Took too long to get an answer.',
          created_at: rating.at,
          contact: { type: 'contact', id: contact.id, external_id: contact.externalId ?? undefined },
          teammate: { type: 'admin', id: summary.adminAssigneeId ?? dir.humans[0]!.id },
        }
      : null,
    source,
    contacts: {
      type: 'contact.list',
      contacts: [
        {
          type: 'contact',
          id: contact.id,
          ...(contact.externalId ? { external_id: contact.externalId } : {}),
        },
      ],
    },
    teammates: { type: 'admin.list', teammates: summary.teammateIds.map((id) => ({ type: 'admin', id })) },
    custom_attributes: {
      Plan: rng.pick(['Starter', 'Pro', 'Business', 'Enterprise']),
      Language: rng.pick(['en', 'de', 'fr', 'ja', 'es']),
    },
    first_contact_reply:
      plan.deliveredAs === 'customer_initiated'
        ? { created_at: plan.createdAt, type: plan.sourceType, url: source.url ?? null }
        : null,
    sla_applied: null,
    statistics: renderStatistics(plan, summary.partCount),
    linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
    ai_agent_participated: plan.parts.some((p) => p.author.kind === 'bot'),
    ai_agent: null,
  };
}

/**
 * List items rendered once per summary: a change to a conversation replaces its summary object, so
 * the cache can never serve a stale item.
 */
const listItems = new WeakMap<ConversationSummary, Json>();

/** A conversation as it appears in lists and search results: no parts. */
export function renderConversationListItem(
  ws: Workspace,
  summary: ConversationSummary,
  opts: RenderOptions,
): Json {
  if (opts.plaintext) return renderConversationBase(ws, summary, ws.plan(summary.index), opts);
  let item = listItems.get(summary);
  if (!item)
    listItems.set(summary, (item = renderConversationBase(ws, summary, ws.plan(summary.index), opts)));
  return item;
}

/** A conversation as `GET /conversations/{id}` returns it, with its 500 most recent parts. */
export function renderConversation(ws: Workspace, summary: ConversationSummary, opts: RenderOptions): Json {
  const plan = ws.plan(summary.index);
  const base = renderConversationBase(ws, summary, plan, opts);
  const contact = ws.directory.contact(plan.contactIndex);
  const first = Math.max(0, plan.parts.length - PART_CAP);
  const parts: Json[] = [];
  for (let k = first; k < plan.parts.length; k++) {
    const part = plan.parts[k]!;
    parts.push({
      type: 'conversation_part',
      id: partIdFor(plan.index, k),
      part_type: part.partType,
      body: plan.redactedParts?.has(k) ? '' : body(partBody(ws, plan, part, k, contact), opts),
      created_at: part.at,
      updated_at: part.at,
      notified_at: part.at,
      assigned_to: part.assignedTo ? { type: part.assignedTo.type, id: part.assignedTo.id } : null,
      author: renderAuthor(part.author, contact, ws.directory),
      attachments: attachmentsFor(ws, plan, k, part.author),
      external_id: null,
      redacted: plan.redactedParts?.has(k) ?? false,
      state: part.stateAfter,
      tags: [],
    });
  }
  return {
    ...base,
    conversation_parts: {
      type: 'conversation_part.list',
      conversation_parts: parts,
      total_count: plan.parts.length,
    },
  };
}
