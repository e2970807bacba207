/**
 * Tool errors: a bad argument becomes a tool error with a specific message that quotes at most a
 * short prefix of the input; anything unexpected is logged with its stack and answered without
 * internals.
 */
import { randomUUID } from 'node:crypto';
import { WriteRefused } from '../actions/write-desk.js';
import type { Logger } from '../config/logger.js';
import { SearchTextError } from '../store/search-text.js';
import { StoreError } from '../store/errors.js';
import { TimeframeError } from '../time/timeframe.js';

export class ToolInputError extends Error {}

export type CallResult = {
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

export const toolError = (message: string): CallResult => ({
  isError: true,
  content: [{ type: 'text', text: message }],
});

const EXPECTED = [ToolInputError, TimeframeError, SearchTextError, StoreError, WriteRefused];

export async function guarded(
  name: string,
  logger: Logger,
  fn: () => Promise<CallResult>,
): Promise<CallResult> {
  try {
    return await fn();
  } catch (e) {
    if (EXPECTED.some((kind) => e instanceof kind)) return toolError((e as Error).message);
    const ref = randomUUID().slice(0, 8);
    logger.error(
      `tool ${name} failed (ref ${ref}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    return toolError(`${name} failed unexpectedly; the server log has the details under ref ${ref}.`);
  }
}
