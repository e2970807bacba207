/** Counts in words people read: "1 API call", "2 API calls", with thousands separated. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}

/**
 * A hint's commands as the user ran this one: "`fast-intercom-mcp sync`" names `--test-mode` and
 * `--workspace` when they were given, or the hint would act on another workspace. Only commands in
 * backticks are hints; prose that names the product stays.
 */
export function asInvoked(text: string, invocation: string): string {
  return invocation === PRODUCT ? text : text.replace(/`fast-intercom-mcp (?=[a-z-])/g, `\`${invocation} `);
}

export const PRODUCT = 'fast-intercom-mcp';
