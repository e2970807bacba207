/**
 * Every write the emulated API was asked for, in order: what tests read to prove that a tool wrote
 * exactly once, or never. A write counts as applied when its route changed the workspace, whatever
 * the client was answered (a fault may answer after the change, as a lost response does).
 */
export interface RecordedWrite {
  seq: number;
  /** Intercom's clock, epoch milliseconds. */
  at: number;
  /** The route key: method and path template. */
  route: string;
  path: string;
  body: unknown;
  applied: boolean;
  /** The status the client was sent, or the fault that answered instead of one. */
  answer: number | string;
}

export class WriteLog {
  private entries: RecordedWrite[] = [];
  private seq = 0;

  record(write: Omit<RecordedWrite, 'seq'>): void {
    this.entries.push({ seq: ++this.seq, ...write });
  }

  list(): readonly RecordedWrite[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
  }
}
