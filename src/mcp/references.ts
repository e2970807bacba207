/**
 * Names of admins, teams and tags as a person types them, resolved to ids; an unknown name is
 * answered with the closest names the workspace has, so a model's next try is not a guess.
 */
import { distance } from 'fastest-levenshtein';
import type { McpDeps } from './deps.js';
import { quote } from '../wording.js';
import type { ReferenceKind } from '../store/types.js';
import { ToolInputError } from './tool-result.js';

/** Up to `n` names nearest to `text`: those containing it first, then by edit distance on lower case. */
export function closest(text: string, names: string[], n = 3): string[] {
  const t = text.toLowerCase();
  return [...new Set(names)]
    .map((name) => ({ name, d: name.toLowerCase().includes(t) ? 0 : distance(t, name.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, n)
    .map((x) => x.name);
}

export async function resolveReference(
  deps: Pick<McpDeps, 'store'>,
  kind: ReferenceKind,
  text: string | undefined,
): Promise<string | undefined> {
  if (text === undefined) return undefined;
  return (await theOne(deps, kind, text, await deps.store.findReference(kind, text))).id;
}

/**
 * The one admin, team or tag of those `text` was found to name; several are refused with their ids,
 * none with the closest names the workspace has.
 */
export async function theOne(
  deps: Pick<McpDeps, 'store'>,
  kind: ReferenceKind,
  text: string,
  found: { id: string; name: string | null }[],
): Promise<{ id: string; name: string | null }> {
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new ToolInputError(
      `${quote(text)} matches several ${kind}s: ${found
        .slice(0, 5)
        .map((f) => `${f.name ?? 'unnamed'} (id ${f.id})`)
        .join(
          ', ',
        )}${found.length > 5 ? ` and ${found.length - 5} more` : ''}. Give the one you mean by its id.`,
    );
  }
  const directory = await deps.store.workspaceDirectory();
  const names = (kind === 'admin' ? directory.admins : kind === 'team' ? directory.teams : directory.tags)
    .map((e) => e.name)
    .filter((x): x is string => Boolean(x));
  const near = closest(text, names);
  throw new ToolInputError(
    `No ${kind} matches ${quote(text)}${near.length ? `; the closest are ${near.map((x) => `"${x}"`).join(', ')}` : ''}. list_workspace names them all.`,
  );
}

/**
 * One of a short list (Help Center collections, ticket types) by its id, its exact name in any
 * case, or else the one name that contains the text.
 */
export function pickNamed<T extends { id: string; name: string }>(items: T[], text: string, what: string): T {
  const wanted = text.trim().toLowerCase();
  const exact = items.filter((c) => c.id === text.trim() || c.name.toLowerCase() === wanted);
  const found = exact.length > 0 ? exact : items.filter((c) => c.name.toLowerCase().includes(wanted));
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new ToolInputError(
      `${what} ${quote(text)} is ambiguous: ${found.map((c) => `${c.name} (${c.id})`).join(', ')}`,
    );
  const near = closest(
    text,
    items.map((c) => c.name),
  );
  throw new ToolInputError(
    `No ${what} ${quote(text)}${near.length ? `; the closest are ${near.map((x) => `"${x}"`).join(', ')}` : ''}. list_workspace names them all.`,
  );
}
