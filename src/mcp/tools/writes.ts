/**
 * What the write tools share: who is calling (the HTTP principal and its token's permissions, or
 * the local user of stdio), the preview's answer (what will change, the text, the handle to confirm
 * with), and the names a write may use for tags and assignees, resolved against the copy.
 */
import { z } from 'zod';
import {
  LOCAL_CALLER,
  REPLY_SCOPE,
  WRITE_SCOPE,
  type Caller,
  type Permission,
} from '../../actions/permissions.js';
import type { Preview } from '../../actions/write-desk.js';
import { targetNow } from '../../actions/target-now.js';
import {
  changeText,
  label,
  type Assignee,
  type Named,
  type TargetNow,
  type WriteAction,
} from '../../actions/write-plan.js';
import type { WriteDesk } from '../../actions/write-desk.js';
import { quote } from '../../wording.js';
import type { McpDeps } from '../deps.js';
import { theOne } from '../references.js';
import { boundedText } from '../shapes.js';
import { ToolInputError } from '../tool-result.js';
import type { ToolExtra } from './tool.js';

/** The longest text a write posts: Intercom's own composer takes far less in practice. */
export const MAX_WRITE_TEXT = 10_000;

export const writeText = boundedText(MAX_WRITE_TEXT).min(1);
export const dryRunArg = z.boolean().optional().describe('Only show what would change; never writes');

const SCOPE_PERMISSIONS: [string, Permission][] = [
  [WRITE_SCOPE, 'write'],
  [REPLY_SCOPE, 'reply'],
];

/** Over HTTP, the token's principal and scopes (server/http.ts); over stdio, the local user. */
export function callerOf(extra: ToolExtra): Caller {
  if (!extra.http) return LOCAL_CALLER;
  const auth = extra.http.authInfo;
  const scopes = new Set(auth?.scopes ?? []);
  return {
    principal: auth?.clientId ?? 'unknown HTTP caller',
    permissions: new Set(SCOPE_PERMISSIONS.filter(([s]) => scopes.has(s)).map(([, p]) => p)),
  };
}

export function deskOf(deps: McpDeps): WriteDesk {
  if (!deps.writes)
    throw new ToolInputError(
      'Writes to Intercom are off on this server: it was started without --allow-writes.',
    );
  return deps.writes;
}

export async function loadTarget(
  deps: McpDeps,
  type: 'conversation' | 'ticket',
  id: string,
): Promise<TargetNow> {
  const target = await targetNow(deps.store, type, id);
  if (!target)
    throw new ToolInputError(
      `No ${type} ${id} in the local copy: a write is previewed from the copy, so sync it first (sync_conversations) or check the id.`,
    );
  return target;
}

export async function resolveTag(deps: McpDeps, text: string): Promise<Named> {
  return theOne(deps, 'tag', text, await deps.store.findReference('tag', text.trim()));
}

/** An admin or a team by id, name or email; "nobody" or "no team" empties that slot. */
export async function resolveAssignee(deps: McpDeps, text: string): Promise<Assignee> {
  const words = text.trim().toLowerCase();
  if (words === 'nobody' || words === 'unassigned') return { type: 'admin', who: null };
  if (words === 'no team') return { type: 'team', who: null };
  const [admins, teams] = await Promise.all([
    deps.store.findReference('admin', text.trim()),
    deps.store.findReference('team', text.trim()),
  ]);
  if (admins.length && teams.length)
    throw new ToolInputError(`${quote(text)} names both an admin and a team: give the id.`);
  return teams.length
    ? { type: 'team', who: await theOne(deps, 'team', text, teams) }
    : { type: 'admin', who: await theOne(deps, 'admin', text, admins) };
}

const changeShape = z.object({ field: z.string(), from: z.string().optional(), to: z.string().optional() });

export const previewShape = {
  action: z.string(),
  target: z.object({
    type: z.string(),
    id: z.string(),
    title: z.string().optional(),
    customer: z.string().optional(),
    state: z.string(),
    assignee: z.string().optional(),
    team: z.string().optional(),
    tags: z.array(z.string()).optional(),
  }),
  changes: z.array(changeShape),
  text: z.string().optional(),
  customer_visible: z.boolean(),
  dry_run: z.boolean(),
  unchanged: z.string().optional().describe('Why nothing would change; then there is no handle'),
  handle: z.string().optional().describe('Pass to confirm_write to make the write'),
  expires_at: z.string().optional(),
};

export function previewAnswer(p: Preview, dryRun: boolean) {
  const { plan } = p;
  const t = plan.target;
  const structured = {
    action: plan.name,
    target: {
      type: t.type,
      id: t.id,
      title: t.title,
      customer: t.customer,
      state: t.state,
      assignee: label(t.adminAssignee),
      team: label(t.teamAssignee),
      tags: t.tags?.map((x) => x.name ?? x.id) ?? null,
    },
    changes: plan.changes,
    text: plan.text,
    customer_visible: plan.customerVisible,
    dry_run: dryRun,
    unchanged: plan.unchanged,
    handle: p.handle ?? null,
    expires_at: p.expiresAt === undefined ? null : new Date(p.expiresAt * 1000).toISOString(),
  };
  const lines = [
    `${plan.name} on ${t.type} ${t.id}${t.title ? ` (${t.title})` : ''}${t.customer ? `, customer ${t.customer}` : ''}: now ${t.state}.`,
    ...plan.changes.map((c) => `- ${changeText(c)}`),
    ...(plan.customerVisible ? ['The customer will see this reply.'] : []),
  ];
  if (plan.unchanged) lines.push(`Nothing to do: ${plan.unchanged}. Nothing was written.`);
  else if (dryRun) lines.push('Dry run: nothing was written and there is no handle.');
  else
    lines.push(
      `Nothing was written yet. To make this write, call confirm_write with handle ${p.handle} before ${structured.expires_at}, after the person you act for agrees.`,
    );
  return { text: lines.join('\n'), structured };
}

/** A preview from the copy for this caller; `dry_run` never records a handle. */
export async function previewed(
  deps: McpDeps,
  extra: ToolExtra,
  type: 'conversation' | 'ticket',
  id: string,
  action: WriteAction,
  dryRun: boolean | undefined,
) {
  const desk = deskOf(deps);
  const target = await loadTarget(deps, type, id);
  return previewAnswer(await desk.preview(callerOf(extra), target, action, dryRun === true), dryRun === true);
}
