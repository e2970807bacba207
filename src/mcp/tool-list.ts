/**
 * What tools/list says about each tool. The SDK would derive the schemas itself; they are derived
 * here instead so that they are portable and lean, and so a test can read the exact list without
 * starting a server (test/unit/tool-list.test.ts).
 *
 * Portable: one `type` per schema and no `anyOf`, `$ref` or `null` (unknown fields are left out,
 * shapes.ts), because Gemini rejects typeless branches and references, OpenAI's strict mode and the
 * Inspector's forms read a single type, and Claude Code refuses a list with a schema it cannot read.
 * Lean: every byte of the list is in every conversation's context, so keywords that only restate a
 * default of JSON Schema are dropped: `$schema` (draft-07 is what clients assume),
 * `additionalProperties: false` on answers (a client that validates an answer checks what is there;
 * an extra field later breaks no client that cached the schema) and a record's `propertyNames`
 * (JSON keys are strings).
 */
import type { Tool } from '@modelcontextprotocol/server';
import { z, type ZodRawShape } from 'zod';
import { healthShape } from './shapes.js';
import type { ToolDefinition } from './tools/tool.js';

type JsonSchema = { [key: string]: unknown };

/** Every answer's shape: the tool's own fields and the copy's health. */
export const answerShape = (tool: ToolDefinition): ZodRawShape => ({ ...tool.output, health: healthShape });

const SUBSCHEMA_KEYS = ['properties', 'items', 'additionalProperties'] as const;

function lean(schema: JsonSchema, answer: boolean): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema' || key === 'propertyNames') continue;
    if (key === 'additionalProperties' && value === false && answer) continue;
    if (key === 'properties')
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, lean(v, answer)]),
      );
    else if (SUBSCHEMA_KEYS.includes(key as never) && typeof value === 'object' && value !== null)
      out[key] = lean(value as JsonSchema, answer);
    else out[key] = value;
  }
  return out;
}

const jsonSchema = (shape: ZodRawShape, io: 'input' | 'output') =>
  lean(
    z.toJSONSchema(z.object(shape), { io, target: 'draft-7', unrepresentable: 'throw' }) as JsonSchema,
    io === 'output',
  );

const listedOnce = new WeakMap<ToolDefinition, Tool>();

/** Derived once per tool: a stateless server builds a server, and this list, for every request. */
export function listedTool(tool: ToolDefinition): Tool {
  let listed = listedOnce.get(tool);
  if (!listed) {
    listed = derive(tool);
    listedOnce.set(tool, listed);
  }
  return listed;
}

function derive(tool: ToolDefinition): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input, 'input') as Tool['inputSchema'],
    outputSchema: jsonSchema(answerShape(tool), 'output') as Tool['outputSchema'],
    annotations: tool.annotations,
    ...(tool.view ? { _meta: { ui: { resourceUri: tool.view } } } : {}),
  };
}
