/**
 * What an injected fault sends instead of the route's answer: Intercom's error bodies, a gateway's
 * HTML, a body cut short, a connection reset, a body that trickles, or no answer at all.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody } from './api-errors.js';
import type { FaultKind } from './faults.js';
import { sendJson, sleep } from './http-io.js';
import type { EmulatorSettings } from './settings.js';

export async function sendFault(
  kind: FaultKind,
  req: IncomingMessage,
  res: ServerResponse,
  { settings, hanging }: { settings: EmulatorSettings; hanging: Map<Socket, NodeJS.Timeout> },
): Promise<void> {
  switch (kind) {
    case '403':
      return sendJson(res, 403, errorBody('forbidden', 'Not authorized to access this resource'));
    case '404':
      return sendJson(res, 404, errorBody('not_found', 'Resource Not Found'));
    case 'echo':
      return sendJson(
        res,
        400,
        errorBody(
          'parameter_invalid',
          `Rejected request with header Authorization: ${req.headers.authorization ?? ''}`,
        ),
      );
    case 'echo-403':
      return sendJson(
        res,
        403,
        errorBody(
          `forbidden_for_${req.headers.authorization ?? ''}`,
          'Not authorized to access this resource',
        ),
      );
    case '500':
      return sendJson(res, 500, errorBody('server_error', 'Server Error'));
    case '503':
      return sendJson(
        res,
        503,
        errorBody('service_unavailable', 'Sorry, the API service is temporarily unavailable'),
      );
    case '429':
      settings.rateLimited++;
      return sendJson(res, 429, errorBody('rate_limit_exceeded', 'Exceeded rate limit'));
    case '502':
      // Gateways answer in HTML, not in Intercom's error JSON: clients must not assume a JSON body.
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    case 'malformed': {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{"type":"conversation.list","conversations":[{"type":"conversation","id":');
      return;
    }
    case 'reset': {
      const text = '{"type":"conversation","id":"0","conversation_parts":{"type":"conversation_part.list"';
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': text.length * 4,
      });
      res.write(text);
      await sleep(5);
      req.socket.destroy();
      return;
    }
    case 'trickle': {
      const text = JSON.stringify(errorBody('server_error', 'a body that never finishes'));
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': text.length,
      });
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || sent >= text.length) return clearInterval(timer);
        res.write(text[sent++]!);
      }, 1000);
      timer.unref();
      res.once('close', () => clearInterval(timer));
      return;
    }
    case 'hang': {
      const socket = req.socket;
      const timer = setTimeout(() => {
        hanging.delete(socket);
        socket.destroy();
      }, settings.faults.config.hangMs);
      timer.unref();
      hanging.set(socket, timer);
      return;
    }
  }
}
