/**
 * Secrets taken out of text before it is shown, stored or logged. An upstream error, a proxy or a
 * driver may echo a secret as given, percent-encoded (in a URL) or base64-encoded (in a Basic
 * header), and an Authorization header may carry one nobody told us about: every form goes.
 */
const MIN_SECRET_CHARS = 4;
const BEARER = /\b(Bearer|Basic)\s+[\w.~+/=%-]+/gi;

function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
}

export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_CHARS) continue;
    for (const form of forms(secret)) out = out.split(form).join('[REDACTED]');
  }
  return out.replace(BEARER, '$1 [REDACTED]');
}
