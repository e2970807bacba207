/**
 * A minimal MCP client over Streamable HTTP on plain node:http: one session, tool calls with each
 * body serialised once, answers read from the event stream. Latency tests use it so that what they
 * time is the server, not a client library's own work.
 */
import { request } from 'node:http';

export interface RawAnswer {
  ms: number;
  isError: boolean;
  text: string;
}

function post(url: URL, headers: Record<string, string>, body: Buffer) {
  return new Promise<{ session: string | undefined; text: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          'Content-Length': String(body.length),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ session: res.headers['mcp-session-id'] as string | undefined, text }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

const message = (v: object) => Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...v }));

export async function rawSession(url: string, token: string) {
  const target = new URL(url);
  const auth = { Authorization: `Bearer ${token}` };
  const init = await post(
    target,
    auth,
    message({
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  );
  const headers = { ...auth, 'mcp-session-id': init.session!, 'mcp-protocol-version': '2025-06-18' };
  await post(target, headers, message({ method: 'notifications/initialized' }));
  let id = 1;
  return {
    /** A tool call's body, serialised once so it can be sent many times. */
    body: (name: string, args: Record<string, unknown>) =>
      message({ id: id++, method: 'tools/call', params: { name, arguments: args } }),
    send: async (body: Buffer): Promise<RawAnswer> => {
      const t = performance.now();
      const { text } = await post(target, headers, body);
      const ms = performance.now() - t;
      const data = /^data: (.*)$/m.exec(text)?.[1] ?? text;
      const r = (JSON.parse(data) as { result?: { isError?: boolean; content: { text: string }[] } }).result;
      return { ms, isError: r?.isError === true, text: r?.content[0]?.text ?? '' };
    },
  };
}
