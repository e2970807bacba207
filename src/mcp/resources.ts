/** Resources: a conversation as readable text, and the workspace's assignees, teams and tags. */
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { personalDataMask } from '../personal-data.js';
import { answering, type McpDeps } from './deps.js';
import { parseConversationId } from './ids.js';
import { threadView } from './thread-view.js';
import { THREAD_BUDGET } from './tools/get-conversation.js';
import { withoutNulls } from './shapes.js';
import { workspaceAnswer } from './tools/list-workspace.js';

/** A read's text with customers' personal data masked, as every answer's is (`--redact`). */
const maskedText = (deps: McpDeps, text: string) =>
  deps.redact.size ? personalDataMask(deps.redact).text(text) : text;

export function registerResources(server: McpServer, deps: McpDeps): void {
  server.registerResource(
    'conversation',
    new ResourceTemplate('intercom://conversations/{id}', { list: undefined }),
    {
      title: 'Intercom conversation',
      description: 'A synced conversation as readable text',
      mimeType: 'text/plain',
    },
    async (uri, { id }) => {
      const conversationId = parseConversationId(String(id));
      const c = await deps.store.getConversation(conversationId);
      if (!c) throw new Error(`No conversation ${conversationId} in the local copy`);
      const a = await answering(deps);
      const view = threadView(c, a, { budget: THREAD_BUDGET, freshness: await a.freshness() });
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: maskedText(deps, view.text) }] };
    },
  );
  server.registerResource(
    'workspace',
    'intercom://workspace',
    {
      title: 'Workspace directory',
      description: 'Assignees, teams and tags with their conversation counts, and the time zone',
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: maskedText(deps, JSON.stringify(withoutNulls((await workspaceAnswer(deps)).structured))),
        },
      ],
    }),
  );
}
