/** Whether this process may write a path (a file, or a directory to create files in). */
import { accessSync, constants } from 'node:fs';

export function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
