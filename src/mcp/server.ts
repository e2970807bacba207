/**
 * The MCP server: every tool from the registry (tools/index.ts), the resources and the prompts.
 * The original Python tool's tools keep their names and parameters; every answer comes from the
 * local copy, declares its output schema and says how fresh it is.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { PACKAGE_VERSION } from '../package-root.js';
import type { McpDeps } from './deps.js';
import { FENCE_NOTE } from './fence.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { z, type ZodRawShape } from 'zod';
import { personalDataMask } from '../personal-data.js';
import { currentHealth } from './deps.js';
import { healthLine, type Health } from './health.js';
import { withoutNulls } from './shapes.js';
import { serveSyncTasks } from './sync-tasks.js';
import { registerViews } from './views.js';
import { answerShape, listedTool } from './tool-list.js';
import { guarded, toolError, type CallResult } from './tool-result.js';
import type { ToolSelection } from './tool-selection.js';
import type { ToolAnswer, ToolDefinition, ToolExtra } from './tools/tool.js';

export type { McpDeps } from './deps.js';

/**
 * Every answer carries the copy's health: a warning first when something is wrong, `health` in its
 * structured content, and an error instead of an empty answer from a copy that cannot be trusted.
 */
function withHealth(
  tool: ToolDefinition,
  answer: ToolAnswer<ZodRawShape>,
  health: Health,
  invocation: string,
): CallResult {
  const line = healthLine(health, invocation);
  if (answer.empty && health.untrusted)
    return toolError(
      `${line}\nNothing was found, but the copy cannot be trusted to be complete, so that is no answer: fix the sync first.`,
    );
  const text = !line
    ? answer.text
    : tool.jsonText
      ? JSON.stringify({ warning: line, ...(JSON.parse(answer.text) as object) })
      : `${line}\n${answer.text}`;
  return {
    content: [{ type: 'text', text }],
    structuredContent: withoutNulls({
      ...answer.structured,
      health: { ok: health.ok, problems: health.problems },
    }) as Record<string, unknown>,
  };
}

const built = new WeakMap<ToolDefinition, { inputSchema: z.ZodObject; outputSchema: z.ZodObject }>();

/**
 * The zod objects the SDK checks arguments and answers with, built once per tool: a stateless
 * server builds a server for every request, and these were most of its cost (1.1 ms a server).
 */
function schemasOf(tool: ToolDefinition) {
  let schemas = built.get(tool);
  if (!schemas) {
    schemas = { inputSchema: z.object(tool.input), outputSchema: z.object(answerShape(tool)) };
    built.set(tool, schemas);
  }
  return schemas;
}

/** A left-out tool takes any arguments: they are not read. */
const ANY_ARGUMENTS = z.looseObject({});

/** The answer with customers' personal data masked, when the server was asked to (`--redact`). */
function masked(result: CallResult, deps: McpDeps): CallResult {
  if (!deps.redact.size) return result;
  const mask = personalDataMask(deps.redact);
  return {
    ...result,
    content: result.content.map((c) => ({ ...c, text: mask.text(c.text) })),
    ...(result.structuredContent ? { structuredContent: mask.value(result.structuredContent) } : {}),
  };
}

function register(server: McpServer, tool: ToolDefinition, deps: McpDeps): void {
  const answer = async (args: Record<string, unknown>, extra: ToolExtra): Promise<CallResult> => {
    // Read once, beside the tool's own work, for its answer and for a refusal alike.
    const started = performance.now();
    const health = currentHealth(deps);
    health.catch(() => undefined);
    const result = await guarded(tool.name, deps.logger, async () =>
      withHealth(tool, await tool.run(args as never, deps, extra), await health, deps.invocation),
    );
    // Names and times only: arguments may quote customers.
    deps.logger.debug(
      `tool ${tool.name}: ${result.isError ? 'refused' : 'answered'} in ${(performance.now() - started).toFixed(1)} ms`,
    );
    if (!result.isError) return result;
    // A refusal is said with the copy's problems too: a model reading "not found" should know why.
    const line = await health.then(
      (h) => healthLine(h, deps.invocation),
      () => undefined,
    );
    return line && !result.content[0]!.text.startsWith(line)
      ? { ...result, content: [{ type: 'text', text: `${line}\n${result.content[0]!.text}` }] }
      : result;
  };
  const handler = async (args: Record<string, unknown>, extra: ToolExtra) =>
    masked(await answer(args, extra), deps);
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      ...schemasOf(tool),
      annotations: tool.annotations,
      ...(tool.view ? { _meta: { ui: { resourceUri: tool.view } } } : {}),
    },
    handler as never,
  );
}

/**
 * What a 2026-07-28 client may cache: the lists and the server's description are fixed for the
 * life of the process and the same for every caller. Reads of the copy are never cached (the SDK's
 * default), since a sync changes them.
 */
const STATIC_LISTS = [
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'server/discover',
] as const;
const UNCHANGING = { ttlMs: 60 * 60 * 1000, cacheScope: 'public' } as const;

/** A tool left out answers why, changing nothing: no argument of it is read. */
function registerRefusal(server: McpServer, name: string, why: string): void {
  server.registerTool(name, { inputSchema: ANY_ARGUMENTS }, () =>
    toolError(`${name} is not served here: ${why}.`),
  );
}

export function createMcpServer(deps: McpDeps, tools: ToolSelection): McpServer {
  const server = new McpServer(
    { name: 'fast-intercom-mcp', version: PACKAGE_VERSION },
    {
      instructions:
        'Answers questions about Intercom conversations from a local, synced copy, in the workspace time zone. ' +
        `Search first, then fetch whole threads by id; list_workspace names the assignees, teams and tags. ${FENCE_NOTE}`,
      cacheHints: Object.fromEntries(STATIC_LISTS.map((method) => [method, UNCHANGING])),
    },
  );
  for (const tool of tools.served) register(server, tool, deps);
  for (const [name, why] of tools.hidden) registerRefusal(server, name, why);
  // The SDK still parses arguments and checks answers against the zod shapes; the list is ours.
  const listed = { tools: tools.served.map(listedTool) };
  server.server.setRequestHandler('tools/list', () => listed);
  if (tools.served.some((t) => t.syncs)) serveSyncTasks(server, deps);
  registerResources(server, deps);
  registerViews(server);
  registerPrompts(server);
  return server;
}
