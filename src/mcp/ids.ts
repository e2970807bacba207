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

export function parseConversationId(input: string): string {
  const text = input.trim();
  const plain = /^#?\s*(\d{1,20})$/.exec(text);
  if (plain) return plain[1]!;
  const url = /^https?:\/\/[^\s/]+\/\S*?\bconversations?\/(\d{1,20})(?:[/?#]\S*)?$/i.exec(text);
  if (url) return url[1]!;
  throw new ToolInputError(
    `${quote(text)} is not a conversation id: give its number (215468084 or #215468084) or its Intercom inbox URL`,
  );
}

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
