/**
 * stdio's messages, one a line, bounded before the SDK sees them. The SDK's reader gives up on a
 * line past its buffer's size by closing the transport, and the server then ended without a word;
 * here a line over the bound is dropped as it streams in (never held whole), the caller answers it
 * with a JSON-RPC error for its id, and the lines after it are read as usual.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** What is known of a dropped line: its size, and the request id when one could be read. */
export interface OversizeLine {
  bytes: number;
  id: string | number | null;
}

/** Enough of each end of a line to find its id, wherever a client's serializer put it. */
const EDGE_BYTES = 256;
const ID_AT_START = /^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/;
const ID_AT_END = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/;

export function oversizeId(head: string, tail: string): string | number | null {
  const raw = ID_AT_START.exec(head)?.[1] ?? ID_AT_END.exec(tail)?.[1];
  if (raw === undefined) return null;
  return raw.startsWith('"') ? (JSON.parse(raw) as string) : Number(raw);
}

export class BoundedLines extends Transform {
  private kept: Buffer[] = [];
  private size = 0;
  private head = Buffer.alloc(0);
  private tail = Buffer.alloc(0);

  constructor(
    private readonly maxBytes: number,
    private readonly onOversize: (line: OversizeLine) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      this.add(chunk.subarray(start, nl === -1 ? chunk.length : nl));
      if (nl === -1) break;
      this.endLine();
      start = nl + 1;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.size > 0) this.endLine(false);
    done();
  }

  private add(part: Buffer): void {
    if (part.length === 0) return;
    if (this.head.length < EDGE_BYTES)
      this.head = Buffer.concat([this.head, part.subarray(0, EDGE_BYTES - this.head.length)]);
    this.tail = Buffer.concat([this.tail, part.subarray(-EDGE_BYTES)]).subarray(-EDGE_BYTES);
    this.size += part.length;
    if (this.size <= this.maxBytes) this.kept.push(part);
    else this.kept = [];
  }

  private endLine(newline = true): void {
    if (this.size > this.maxBytes)
      this.onOversize({
        bytes: this.size,
        id: oversizeId(this.head.toString('utf8'), this.tail.toString('utf8')),
      });
    else this.push(Buffer.concat([...this.kept, ...(newline ? [Buffer.from('\n')] : [])]));
    this.kept = [];
    this.size = 0;
    this.head = Buffer.alloc(0);
    this.tail = Buffer.alloc(0);
  }
}
