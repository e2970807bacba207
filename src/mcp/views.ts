/**
 * Charts for clients that support the MCP Apps extension (`io.modelcontextprotocol/ui`): the tools
 * whose answers have a chart name this view in `_meta.ui.resourceUri`, and the host renders it in a
 * sandboxed frame with the tool's result. The view is built from src/views (scripts/views) with its
 * charting library inside: nothing is fetched at run time. Clients without the extension ignore
 * the field; every answer stays complete as text.
 */
import { readFileSync } from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/server';

export const CHARTS_VIEW = 'ui://fast-intercom-mcp/charts';
/** The MIME type the extension gives its views (@modelcontextprotocol/ext-apps' RESOURCE_MIME_TYPE). */
export const VIEW_MIME_TYPE = 'text/html;profile=mcp-app';

const built = new Map<string, string>();
/**
 * A file scripts/views built beside the compiled server (dist/src/views), read on first use: the
 * chart view is 700 KB that a client without the extension never asks for.
 */
export function builtView(file: 'charts.html' | 'status.js'): string {
  let text = built.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(`../views/${file}`, import.meta.url), 'utf8');
    built.set(file, text);
  }
  return text;
}

export function registerViews(server: McpServer): void {
  server.registerResource(
    'charts',
    CHARTS_VIEW,
    {
      title: 'Charts',
      description: 'The charts of conversation_stats, service_levels and conversation_themes (MCP Apps)',
      mimeType: VIEW_MIME_TYPE,
    },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: VIEW_MIME_TYPE, text: builtView('charts.html') }],
    }),
  );
}
