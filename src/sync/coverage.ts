/**
 * Coverage as a list of windows of time the copy holds whole: where the stretch that reaches a
 * moment begins, and a window added to the list (the store keeps the conversations' coverage in a
 * table of its own with the same merging; other kinds keep theirs as such a list).
 */
import type { CoverageWindow } from '../store/types.js';

/**
 * The start of the covered stretch that reaches `end` (coverage windows that touch or overlap
 * count as one), or undefined when nothing covers `end`.
 */
export function coveredFrom(coverage: CoverageWindow[], end: number): number | undefined {
  const sorted = [...coverage].sort((a, b) => b.to - a.to || a.from - b.from);
  let start: number | undefined;
  for (const w of sorted) {
    if (start === undefined) {
      if (w.from <= end && w.to >= end) start = w.from;
    } else if (w.to >= start && w.from < start) start = w.from;
  }
  return start;
}

/** The windows with `w` added, merged with every window it overlaps or touches, oldest first. */
export function addWindow(windows: CoverageWindow[], w: CoverageWindow): CoverageWindow[] {
  let from = w.from;
  let to = w.to;
  const apart: CoverageWindow[] = [];
  for (const x of windows) {
    if (x.to < from || x.from > to) apart.push(x);
    else {
      from = Math.min(from, x.from);
      to = Math.max(to, x.to);
    }
  }
  return [...apart, { from, to }].sort((a, b) => a.from - b.from);
}
