/**
 * Ids as people paste them: `215468084`, `#215468084`, or an Intercom inbox URL such as
 * https://app.intercom.com/a/inbox/abc123/inbox/conversation/215468084. Inbox links are built here
 * too, from the workspace's app id and region.
 */
import { ToolInputError } from './tool-result.js';
import { quote } from '../wording.js';

const INBOX_HOSTS: Record<string, string> = {
  us: 'https://app.intercom.com',
  eu: 'https://app.eu.intercom.com',
  au: 'https://app.au.intercom.com',
};

export const MAX_ID_CHARS = 500;

/**
 * A numeric id as people paste it: plain, after `#` or the prefix search gives it (`ticket_`), or
 * inside a URL whose path names its kind (`/conversation/123`, `/articles/123-a-slug`).
 */
function numericId(input: string, o: { prefix: string; paths: string; what: string; forms: string }): string {
  const text = input.trim();
  const plain = new RegExp(`^(?:${o.prefix}|#)?\\s*(\\d{1,20})$`, 'i').exec(text);
  if (plain) return plain[1]!;
  const url = new RegExp(`^https?://[^\\s/]+/\\S*?\\b(?:${o.paths})/(\\d{1,20})(?:[-/?#]\\S*)?$`, 'i').exec(
    text,
  );
  if (url) return url[1]!;
  throw new ToolInputError(`${quote(text)} is not ${o.what}: give ${o.forms}`);
}

export const parseConversationId = (input: string) =>
  numericId(input, {
    prefix: '',
    paths: 'conversations?',
    what: 'a conversation id',
    forms: 'its number (215468084 or #215468084) or its Intercom inbox URL',
  });

/** A ticket's id or inbox number, `ticket_<id>` as search gives it, or an inbox URL. */
export const parseTicketRef = (input: string) =>
  numericId(input, {
    prefix: 'ticket_',
    paths: 'tickets?|conversations?',
    what: 'a ticket id',
    forms: 'its id, its number as the inbox shows it (#22), or its inbox URL',
  });

/** `1234`, `article_1234` (search's ids) or a Help Center URL (`…/articles/1234-how-to`). */
export const parseArticleId = (input: string) =>
  numericId(input, {
    prefix: 'article_',
    paths: 'articles?',
    what: 'an article id',
    forms: 'its number (1234, article_1234) or its Help Center URL',
  });

export function parseContactRef(input: string): string {
  const text = input.trim();
  const url = /^https?:\/\/[^\s/]+\/\S*?\b(?:users|contacts|leads)\/([\w-]{1,64})(?:[/?#]\S*)?$/i.exec(text);
  return url ? url[1]! : text;
}

export function inboxUrl(appId: string | undefined, region: string, conversationId: string): string | null {
  if (!appId) return null;
  const host = INBOX_HOSTS[region] ?? INBOX_HOSTS.us!;
  return `${host}/a/inbox/${encodeURIComponent(appId)}/inbox/conversation/${conversationId}`;
}
