/**
 * The output contract's shared pieces: snake_case names, times in ISO 8601 with the workspace
 * zone's offset, one window echo and one freshness block everywhere.
 */
import { z } from 'zod';
import { MAX_TIMEFRAME_CHARS } from '../time/timeframe.js';
import { MAX_QUERY_CHARS } from '../store/search-text.js';

/**
 * A field that may be unknown is optional, not nullable: `null` in a schema is a type array or an
 * `anyOf`, which several clients reject or cannot render (see tool-list.ts). Tools still produce
 * `null` for "unknown", typed by `Produced`; `withoutNulls` drops those keys before the answer is
 * validated and sent, so the structured content is exactly what the schema declares.
 */
export type Produced<T> = T extends readonly (infer U)[]
  ? Produced<U>[]
  : T extends object
    ? {
        [K in keyof T]: undefined extends T[K]
          ? Produced<Exclude<T[K], undefined>> | null | undefined
          : Produced<T[K]>;
      }
    : T;

export type Out<S extends z.ZodType> = Produced<z.infer<S>>;

export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** ISO 8601 with the workspace zone's offset (clock.ts): RFC 3339's date-time, said in 25 bytes. */
export const time = z.string().meta({ format: 'date-time' });

export const windowShape = z
  .object({ phrase: z.string(), from: time, to: time, zone: z.string() })
  .describe('[from, to)');

export const freshnessShape = z.object({
  last_sync_at: time.optional(),
  age_minutes: z.number().optional(),
  stale: z.boolean(),
  window_covered: z.boolean().optional(),
  covered_from: time.optional(),
  note: z.string(),
});

export const healthShape = z.object({
  ok: z.boolean(),
  problems: z.array(z.string()),
});

export const personShape = z.object({
  id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
});
export const teamShape = z.object({ id: z.string(), name: z.string().optional() });

/** What an answer calls an admin, team or type it knows by reference: its name, else its id. */
export const refName = (r: { id: string; name: string | null } | null) => (r ? (r.name ?? r.id) : null);

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
export const cursorArg = z.string().max(200).optional().describe('next_cursor from the previous page');
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
