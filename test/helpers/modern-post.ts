/** A 2026-07-28 request as the revision spells it on the wire: its headers and its `_meta` envelope. */
export const MODERN = '2026-07-28';

export async function modernPost(
  url: string,
  token: string,
  method: string,
  params: Record<string, unknown>,
  headers: Record<string, string>,
  clientCapabilities: Record<string, unknown> = {},
): Promise<{ status: number; body: any }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': MODERN,
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': clientCapabilities,
        },
      },
    }),
  });
  return { status: r.status, body: await r.json() };
}
