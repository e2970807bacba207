/**
 * An MCP client for tests over a real transport, which checks every tool answer the suite gets
 * against the output schema the server lists for that tool: structured content present on every
 * success, and valid.
 */
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Ajv } from 'ajv';
import { TOOL_NAMES } from '../../src/mcp/tools/index.js';

export type ToolResult = {
  isError?: boolean;
  content: { type: string; text: string }[];
  structuredContent?: any;
};

export interface CheckedClient {
  client: Client;
  call: (name: string, args?: Record<string, unknown>) => Promise<ToolResult>;
  /** How many successful answers were validated against their schema. */
  validated: () => number;
  close: () => Promise<void>;
}

export async function connectChecked(transport: Transport): Promise<CheckedClient> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validators = new Map(tools.map((t) => [t.name, ajv.compile(t.outputSchema ?? {})]));
  let validated = 0;
  return {
    client,
    call: async (name, args = {}) => {
      const r = (await client.callTool({ name, arguments: args })) as ToolResult;
      if (!r.isError) {
        assert.ok(r.structuredContent, `${name} answered without structured content`);
        const validate = validators.get(name)!;
        assert.ok(
          validate(r.structuredContent),
          `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))} in ${JSON.stringify(r.structuredContent).slice(0, 300)}`,
        );
        validated += 1;
      }
      return r;
    },
    validated: () => validated,
    close: () => client.close(),
  };
}

/**
 * An installed server, launched as a client launches it: it lists every tool, syncs on request,
 * and then holds exactly the workspace's conversations.
 */
export async function assertSyncsAndServes(transport: Transport, conversations: number): Promise<void> {
  const checked = await connectChecked(transport);
  try {
    const { tools } = await checked.client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      TOOL_NAMES,
    );
    const sync = await checked.call('sync_conversations', { wait_seconds: 50 });
    assert.ok(!sync.isError, sync.content[0]?.text);
    const status = await checked.call('get_server_status');
    assert.equal(status.structuredContent?.conversations, conversations);
  } finally {
    await checked.close();
  }
}
