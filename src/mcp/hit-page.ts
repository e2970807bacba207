/**
 * One page of search hits as a model reads it: a head line, as many rendered hits as fit the
 * search budget, and the cursor that goes on after the last one shown.
 */
import { countThatFit, type Budget } from './budget.js';

export interface HitPage {
  /** How many of the rendered hits the page shows. */
  shown: number;
  next: string | null;
  text: string;
}

export function hitPage(p: {
  head: string;
  rendered: string[];
  offset: number;
  total: number;
  budget: Budget;
  cursorAt: (offset: number) => string;
  /** What the page says when it shows nothing and nothing matched. */
  none: string;
}): HitPage {
  // The cursor's room is kept whatever it turns out to be: a cursor is at most this long.
  const shown = countThatFit(`${p.head}\n\nMore: cursor "${'x'.repeat(60)}"`, p.rendered, p.budget);
  const next = p.offset + shown < p.total ? p.cursorAt(p.offset + shown) : null;
  const body =
    shown > 0
      ? p.rendered.slice(0, shown).map((r) => `\n${r}`)
      : [p.total > 0 ? 'This cursor is past the last result.' : p.none];
  return {
    shown,
    next,
    text: [p.head, ...body, next ? `\nMore: cursor "${next}"` : ''].filter(Boolean).join('\n'),
  };
}
