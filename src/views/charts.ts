/**
 * The MCP App view (`ui://fast-intercom-mcp/charts`): a host that supports the MCP Apps extension
 * renders it beside conversation_stats, service_levels and conversation_themes, and sends it the
 * tool's result; it draws the answer's chart and table. Everything it needs is bundled in: no
 * network at run time.
 */
import { App } from '@modelcontextprotocol/ext-apps';
import { drawAnswer, STYLE, type Answer } from './draw.js';

const style = document.createElement('style');
style.textContent = STYLE;
document.head.append(style);
const root = document.getElementById('root')!;

const app = new App({ name: 'fast-intercom-mcp charts', version: '1' });
app.ontoolresult = (result) => {
  const answer = result.structuredContent as Answer | undefined;
  if (!answer || !drawAnswer(root, answer)) root.textContent = 'This answer has no chart.';
};
void app.connect();
