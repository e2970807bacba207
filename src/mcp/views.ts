/**
 * Charts for clients that support the MCP Apps extension (`io.modelcontextprotocol/ui`): the tools
 * whose answers have a chart name this view in `_meta.ui.resourceUri`, and the host renders it in a
 * sandboxed frame with the tool's result. The view is built from src/views (scripts/views) with its
 * charting library inside: nothing is fetched at run time. Clients without the extension ignore
 * the field; every answer stays complete as text.
 */
import { readFileSync } from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export const CHARTS_VIEW = 'ui://fast-intercom-mcp/charts';
/** The MIME type the extension gives its views (@modelcontextprotocol/ext-apps' RESOURCE_MIME_TYPE). */
export const VIEW_MIME_TYPE = 'text/html;profile=mcp-app';

let chartsHtml: string | undefined;
/** Read on first use: 700 KB that a client without the extension never asks for. */
const charts = () => (chartsHtml ??= readFileSync(new URL('../views/charts.html', import.meta.url), 'utf8'));

export function registerViews(server: McpServer): void {
  server.registerResource(
    'charts',
    CHARTS_VIEW,
    {
      title: 'Charts',
      description: 'The charts of conversation_stats, service_levels and conversation_themes (MCP Apps)',
      mimeType: VIEW_MIME_TYPE,
    },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: VIEW_MIME_TYPE, text: charts() }] }),
  );
}
