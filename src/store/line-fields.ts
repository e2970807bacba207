/**
 * The insight answers read a window as one text value (insight-rows.ts): a line per row, its fields
 * separated by spaces, a null field empty. A cursor over them reads digits in place and slices
 * strings once: tens of thousands of lines, without a value allocated per digit run.
 */
const SPACE = 32;
const LINE = 10;
const MINUS = 45;

export class LineFields {
  /** Each line of `text` read by `row`, which takes its fields in order. */
  static rows<T>(text: string, row: (fields: LineFields) => T): T[] {
    const rows: T[] = [];
    for (const f = new LineFields(text); !f.done; ) rows.push(row(f));
    return rows;
  }

  constructor(
    private readonly text: string,
    /** Where the next field starts. */
    public at = 0,
  ) {}

  /** Whether every line has been read. */
  get done(): boolean {
    return this.at >= this.text.length;
  }

  /** The next field, a number; null when empty. */
  number(): number | null {
    const text = this.text;
    let at = this.at;
    let c = text.charCodeAt(at);
    if (this.done || c === SPACE || c === LINE) {
      this.at++;
      return null;
    }
    const sign = c === MINUS ? -1 : 1;
    if (sign < 0) c = text.charCodeAt(++at);
    let value = 0;
    for (; c >= 48 && c <= 57; c = text.charCodeAt(++at)) value = value * 10 + (c - 48);
    this.at = at + 1;
    return sign * value;
  }

  /**
   * The next `count` fields as written, with the spaces between them: one string where reading
   * each and joining them made `count` and another, per line (a key to group the lines by).
   */
  span(count: number): string {
    const start = this.at;
    for (let i = 0; i < count; i++) this.skip();
    return this.text.slice(start, this.at - 1);
  }

  /** Past the next field. */
  private skip(): void {
    const text = this.text;
    let at = this.at;
    for (
      let c = text.charCodeAt(at);
      at < text.length && c !== SPACE && c !== LINE;
      c = text.charCodeAt(++at)
    );
    this.at = at + 1;
  }

  /** The next field as written; '' when empty. */
  string(): string {
    return this.span(1);
  }
}
