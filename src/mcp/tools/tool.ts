/**
 * A tool is a value: its definition (name, description, input and output schemas, annotations)
 * plus a handler that receives its dependencies. server.ts registers every tool from one list.
 */
import type { ServerContext, ToolAnnotations } from '@modelcontextprotocol/server';
import type { z, ZodRawShape } from 'zod';
import type { McpDeps } from '../deps.js';
import type { Out } from '../shapes.js';

export type ToolExtra = ServerContext;

export interface ToolAnswer<O extends ZodRawShape> {
  text: string;
  structured: Out<z.ZodObject<O>>;
  /** Nothing found: from a copy that cannot be trusted, that is an error, not an answer (health.ts). */
  empty?: boolean;
}

export interface ToolDefinition<I extends ZodRawShape = ZodRawShape, O extends ZodRawShape = ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** The text is a JSON object (what research clients parse): a warning goes in as its `warning`. */
  jsonText?: boolean;
  /** The MCP Apps view that charts its answers (views.ts). */
  view?: string;
  /** Runs a sync: not served where the copy cannot be synced (tool-selection.ts). */
  syncs?: true;
  /** Writes to Intercom: served only when that tier of writes is allowed (tool-selection.ts). */
  writes?: 'internal' | 'replies';
  run: (args: z.infer<z.ZodObject<I>>, deps: McpDeps, extra: ToolExtra) => Promise<ToolAnswer<O>>;
}

/** Keeps a definition's argument and answer types checked against its own schemas. */
export const defineTool = <I extends ZodRawShape, O extends ZodRawShape>(t: ToolDefinition<I, O>) =>
  t as unknown as ToolDefinition;

/** The spec reads destructiveHint and idempotentHint only when readOnlyHint is false: not sent. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
