/**
 * What can go wrong talking to Intercom, as one error type with a kind the CLI and the integration
 * report turn into advice. Messages never contain the access token.
 */
export type IntercomErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'bad_request'
  | 'malformed';

export class IntercomApiError extends Error {
  constructor(
    readonly kind: IntercomErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export const RETRYABLE: ReadonlySet<IntercomErrorKind> = new Set([
  'rate_limited',
  'server',
  'network',
  'timeout',
  'malformed',
]);

export function kindForStatus(status: number): IntercomErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/** The first `errors[]` entry of an Intercom error body, when the body is one. */
export function errorDetail(body: unknown): { code?: string; message?: string } {
  const first = (body as { errors?: { code?: unknown; message?: unknown }[] } | undefined)?.errors?.[0];
  return {
    ...(typeof first?.code === 'string' ? { code: first.code } : {}),
    ...(typeof first?.message === 'string' ? { message: first.message } : {}),
  };
}
