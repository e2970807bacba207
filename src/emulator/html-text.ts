/**
 * The emulator's `display_as=plaintext` rendering: paragraphs become lines, links become
 * `label (url)` as Intercom renders them, entities are decoded. Only the HTML the emulator itself
 * generates needs handling, so this is not a general HTML parser.
 */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

export function htmlToPlaintext(html: string): string {
  return html
    .replace(/<a href="([^"]*)">(.*?)<\/a>/g, '$2 ($1)')
    .replace(/<\/p>\s*<p>/g, '\n')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
    .trim();
}
