/** A throw-away workspace directory, for the demo and the integration test. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempWorkspace(): string {
  return mkdtempSync(join(tmpdir(), 'fast-intercom-mcp-'));
}
