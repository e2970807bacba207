/** The shared filter arguments, resolved once into what the store filters by. */
import { createHash } from 'node:crypto';
import type { SearchFilters } from '../store/types.js';
import { decodeCursorToken, encodeCursorToken } from './cursor.js';
import type { McpDeps } from './deps.js';
import { resolveReference } from './references.js';
import { ToolInputError } from './tool-result.js';

export interface FilterArgs {
  query?: string | undefined;
  customer_email?: string | undefined;
  customer?: string | undefined;
  state?: 'open' | 'closed' | 'snoozed' | undefined;
  assignee?: string | undefined;
  team?: string | undefined;
  tag?: string | undefined;
}

export async function resolveFilters(args: FilterArgs, deps: McpDeps): Promise<SearchFilters> {
  const customer = args.customer_email ?? args.customer;
  const admin = await resolveReference(deps, 'admin', args.assignee);
  const team = await resolveReference(deps, 'team', args.team);
  const tag = await resolveReference(deps, 'tag', args.tag);
  return {
    ...(args.query?.trim() ? { text: args.query } : {}),
    ...(args.state ? { state: args.state } : {}),
    ...(admin ? { adminAssigneeId: admin } : {}),
    ...(team ? { teamAssigneeId: team } : {}),
    ...(tag ? { tagId: tag } : {}),
    ...(customer?.trim() ? { customer: customer.trim() } : {}),
  };
}

/**
 * Page cursors name the offset and the search they belong to, so a forged cursor, or one from
 * another search, is refused instead of paging something else.
 */
const MAX_OFFSET = 1_000_000;

const fingerprint = (search: unknown) =>
  createHash('sha256').update(JSON.stringify(search)).digest('base64url').slice(0, 10);

export const encodeCursor = (offset: number, search: unknown) =>
  encodeCursorToken({ o: offset, s: fingerprint(search) });

export function decodeCursor(cursor: string, search: unknown): number {
  const parsed = decodeCursorToken(cursor);
  const o = parsed?.o;
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || o > MAX_OFFSET)
    throw new ToolInputError(
      'cursor is not one this server returned; pass next_cursor from a previous search',
    );
  if (parsed?.s !== fingerprint(search))
    throw new ToolInputError(
      'cursor belongs to another search: repeat the same arguments with it, or drop it',
    );
  return o;
}
