/**
 * Intercom signs each webhook notification: `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body,
 * keyed by the app's client secret>`. Checked over the bytes as received (a re-serialised body
 * would differ) and compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hubSignatureMatches(body: Buffer, header: string | undefined, secret: string): boolean {
  const given = /^sha1=([0-9a-f]{40})$/i.exec(header?.trim() ?? '')?.[1];
  if (given === undefined) return false;
  const expected = createHmac('sha1', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), expected);
}
