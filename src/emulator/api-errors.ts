/** Intercom's error body (`type: error.list`) and the HTTP errors the emulator's routes raise. */
import { randomUUID } from 'node:crypto';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, field?: string): Record<string, unknown> {
  return {
    type: 'error.list',
    request_id: randomUUID(),
    errors: [{ code, message, ...(field ? { field } : {}) }],
  };
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} Not Found`);
export const invalid = (message: string, field?: string) =>
  new ApiError(400, 'parameter_invalid', message, field);
