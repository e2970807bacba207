/** Attachments as answers name them: never fetched, their URLs signed by Intercom and expiring. */
import type { AttachmentRecord } from '../store/types.js';

const size = (bytes: number | null) =>
  bytes === null
    ? ''
    : bytes < 1024
      ? `, ${bytes} B`
      : bytes < 1024 ** 2
        ? `, ${Math.round(bytes / 1024)} KB`
        : `, ${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** One line per attachment, each starting on a new line under its part. */
export const attachmentLines = (files: AttachmentRecord[]) =>
  files
    .map((f) => `\n  [attachment: ${f.name} (${f.contentType ?? 'file'}${size(f.size)}) ${f.url}]`)
    .join('');
