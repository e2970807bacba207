/** Counts in words people read: "1 API call", "2 API calls", with thousands separated. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}
