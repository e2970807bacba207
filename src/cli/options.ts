/** Option parsers shared by the CLI's commands: a bad value stops with one clear line. */
import { InvalidArgumentError } from 'commander';

export function intOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
  return n;
}

/** A count that must be at least 1: `--days 0` or `--concurrency 0` would do nothing, silently. */
export function positiveIntOption(value: string): number {
  const n = intOption(value);
  if (n < 1) throw new InvalidArgumentError(`expected 1 or more, got '${value}'`);
  return n;
}

/** A TCP port: 0 asks the system for a free one. */
export function portOption(value: string): number {
  const n = intOption(value);
  if (n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got '${value}'`);
  return n;
}

export function signedIntOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
  return n;
}

/** A share from 0 up to, not including, 1. */
export function fractionOption(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n >= 1)
    throw new InvalidArgumentError(`expected a number from 0 to below 1, got '${value}'`);
  return n;
}
