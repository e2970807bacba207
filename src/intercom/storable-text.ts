/**
 * Text from Intercom made storable by both engines, once, at the edge: PostgreSQL's `text` refuses
 * U+0000 outright (one such message would stop every later sync), and a lone UTF-16 surrogate has
 * no UTF-8 form (PostgreSQL refuses it, SQLite would store U+FFFD on its own). Text is also put in
 * Unicode's composed form (NFC), so a word typed with combining marks ("A\u030Angstro\u0308m")
 * is stored, indexed and searched as the same word as its composed spelling on either engine.
 */

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(text: string): string {
  return text.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD').normalize('NFC');
}
