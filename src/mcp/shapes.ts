/**
 * The output contract's shared pieces: snake_case names, times in ISO 8601 with the workspace
 * zone's offset, one window echo and one freshness block everywhere.
 */
import { z } from 'zod';
import { MAX_TIMEFRAME_CHARS } from './timeframe.js';
import { MAX_QUERY_CHARS } from '../store/search-text.js';

export const time = z.string().describe('ISO 8601 with the workspace time zone offset');

export const windowShape = z
  .object({ phrase: z.string(), from: time, to: time, zone: z.string() })
  .describe('The timeframe as read: [from, to) in the zone');

export const freshnessShape = z.object({
  last_sync_at: time.nullable(),
  age_minutes: z.number().nullable(),
  stale: z.boolean(),
  window_covered: z.boolean().nullable(),
  covered_from: time.nullable().describe('When the window is only partly covered, from when it is'),
  note: z.string(),
});

export const healthShape = z
  .object({
    ok: z.boolean(),
    problems: z.array(z.string()).describe('What is wrong with the copy, each with its fix; empty when ok'),
  })
  .describe('Whether the copy can be trusted: a failing or overdue sync is said here and first in the text');

export const personShape = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
});
export const teamShape = z.object({ id: z.string(), name: z.string().nullable() });

/** Bounded text arguments: no request may cost the server more than a few milliseconds to read. */
const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s);
export const boundedText = (max: number) =>
  z.string().max(max, { abort: true }).refine(noControl, 'must not contain control characters');

/**
 * Text that may be an id: a model (and the MCP Inspector) often sends Intercom's numeric ids as
 * numbers, so a whole number is taken as its digits. The schema still says string.
 */
export const idText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v),
    boundedText(max).min(1),
  );

export const timeframeArg = boundedText(MAX_TIMEFRAME_CHARS);
export const queryArg = boundedText(MAX_QUERY_CHARS);
export const nameArg = idText(200);
/** Three characters at least: a letter or two matches most contacts, and scans them all. */
export const customerArg = boundedText(320).refine(
  (s) => s.trim().length >= 3,
  'must be at least 3 characters',
);

/** The filters search_conversations and conversation_stats share. */
export const filterArgs = {
  customer_email: customerArg.optional().describe('Customer email or part of it (literal text)'),
  customer: customerArg.optional().describe('Customer name or email, or part of it (literal text)'),
  state: z.enum(['open', 'closed', 'snoozed']).optional(),
  assignee: nameArg.optional().describe('Assigned teammate: name, email or id (list_workspace names them)'),
  team: nameArg.optional().describe('Assigned team: name or id'),
  tag: nameArg.optional().describe('Tag name or id'),
};
