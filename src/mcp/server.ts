/**
 * The MCP server: every tool from the registry (tools/index.ts), the resources and the prompts.
 * The original Python tool's tools keep their names and parameters; every answer comes from the
 * local copy, declares its output schema and says how fresh it is.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { PACKAGE_VERSION } from '../package-root.js';
import type { McpDeps } from './deps.js';
import { FENCE_NOTE } from './fence.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { guarded, type CallResult } from './tool-result.js';
import { TOOLS } from './tools/index.js';
import type { ToolDefinition, ToolExtra } from './tools/tool.js';

export type { McpDeps } from './deps.js';

function register(server: McpServer, tool: ToolDefinition, deps: McpDeps): void {
  const handler = (args: Record<string, unknown>, extra: ToolExtra): Promise<CallResult> =>
    guarded(tool.name, deps.logger, async () => {
      const answer = await tool.run(args as never, deps, extra);
      return { content: [{ type: 'text', text: answer.text }], structuredContent: answer.structured };
    });
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.input,
      outputSchema: tool.output,
      annotations: tool.annotations,
    },
    handler as never,
  );
}

export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(
    { name: 'fast-intercom-mcp', version: PACKAGE_VERSION },
    {
      instructions:
        'Answers questions about Intercom conversations from a local, synced copy, in the workspace time zone. ' +
        `Search first, then fetch whole threads by id; list_workspace names the assignees, teams and tags. ${FENCE_NOTE}`,
    },
  );
  for (const tool of TOOLS) register(server, tool, deps);
  registerResources(server, deps);
  registerPrompts(server);
  return server;
}
