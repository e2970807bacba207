/** Tool results and errors: a bad argument becomes a tool error with a specific message, never a crash. */
import { SearchTextError } from '../store/fts-query.js';
import { TimeframeError } from './timeframe.js';

export const iso = (t: number) => new Date(t * 1000).toISOString();

export class ToolInputError extends Error {}

export const toolError = (message: string) => ({
  isError: true,
  content: [{ type: 'text' as const, text: message }],
});

export function guardTool<A extends unknown[]>(
  fn: (...args: A) => Promise<CallResult> | CallResult,
): (...args: A) => Promise<CallResult> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (e) {
      if (e instanceof ToolInputError || e instanceof TimeframeError || e instanceof SearchTextError)
        return toolError(e.message);
      return toolError(`Internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

export type CallResult = {
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};
