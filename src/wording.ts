/** Counts in words people read: "1 API call", "2 API calls", with thousands separated. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}

/** A span of seconds as people say it: minutes under an hour, hours under two days, else days. */
export const duration = (s: number | null) =>
  s === null
    ? 'n/a'
    : s < 3600
      ? `${Math.round(s / 60)} min`
      : s < 172800
        ? `${(s / 3600).toFixed(1)} h`
        : `${(s / 86400).toFixed(1)} days`;

/** The start of a person's text, for error messages that must not echo a huge input. */
export function quote(text: string, max = 60): string {
  const t = text.trim();
  return `"${t.length > max ? `${t.slice(0, max)}…` : t}"`;
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
