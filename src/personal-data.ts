/**
 * Customers' personal data taken out of text on request (`--redact emails,phones,cards`): each
 * address, phone number or card number becomes a placeholder, the same one for the same value
 * within one mask, so an answer can still say that two messages came from one address.
 *
 * The patterns are conservative: what they take is almost surely personal data, and what they
 * leave includes some that is (a phone number written as bare digits reads like an order number,
 * so it stays). A card number must pass the Luhn check; a phone number needs a `+` or the shape of
 * one (a national 0, or North American 3-3-4 grouping) and 7 to 15 digits. Dates, times, versions,
 * amounts, IP addresses and Intercom's ids are left alone (test/unit/personal-data.test.ts).
 */
export const PERSONAL_DATA_KINDS = ['emails', 'phones', 'cards'] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g;
/** A run of 13 to 19 digits, in groups split by single spaces or dashes. */
const CARD = /(?<![\d.,-])\d(?:[ -]?\d){12,18}(?![\d.,]*\d)/g;
/** Anything phone-shaped; the digits and the shape are checked after. */
const PHONE = /(?<![\w+.-])(?:\+\s?)?(?:\(\d{1,4}\)|\d)(?:[\s.-]?(?:\(\d{1,4}\)|\d)){6,18}(?![\w.-]*\d)/g;
const NORTH_AMERICAN = /^(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}$/;
const NATIONAL = /^0\d{1,4}(?:[\s.-]\d{2,8}){1,3}$/;
const LOOKS_LIKE_DATE = /^\d{4}[.-]\d{2}[.-]\d{2}|^\d{2}[.-]\d{2}[.-]\d{4}/;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

function isCard(match: string): boolean {
  const digits = digitsOf(match);
  return digits.length >= 13 && digits.length <= 19 && !/^(\d)\1+$/.test(digits) && luhn(digits);
}

function isPhone(match: string): boolean {
  const digits = digitsOf(match);
  if (digits.length < 7 || digits.length > 15 || LOOKS_LIKE_DATE.test(match)) return false;
  return match.startsWith('+') || NORTH_AMERICAN.test(match) || NATIONAL.test(match);
}

const LABEL: Record<PersonalDataKind, string> = { emails: 'email', phones: 'phone', cards: 'card' };

export interface PersonalDataMask {
  text: (text: string) => string;
  /** Every string inside a JSON-like value, keys left as they are. */
  value: <T>(value: T) => T;
}

/**
 * Every string inside a JSON-like value through `fn`, keys left as they are; a string under a key
 * `keep` names is left too.
 */
export function mapStrings<T>(value: T, fn: (text: string) => string, keep?: (key: string) => boolean): T {
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return keep?.(key) ? v : fn(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value, '') as T;
}

/** A mask for one answer: its placeholders are numbered within it. */
export function personalDataMask(kinds: ReadonlySet<PersonalDataKind>): PersonalDataMask {
  const seen = new Map<string, string>();
  const placeholder = (kind: PersonalDataKind, key: string) => {
    const id = `${kind}:${key}`;
    let p = seen.get(id);
    if (!p) {
      const n = [...seen.keys()].filter((k) => k.startsWith(`${kind}:`)).length + 1;
      p = `[${LABEL[kind]} ${n}]`;
      seen.set(id, p);
    }
    return p;
  };
  const text = (input: string) => {
    let out = input;
    // Addresses first: one may hold digits a phone or card number would otherwise take.
    if (kinds.has('emails')) out = out.replace(EMAIL, (m) => placeholder('emails', m.toLowerCase()));
    if (kinds.has('cards'))
      out = out.replace(CARD, (m) => (isCard(m) ? placeholder('cards', digitsOf(m)) : m));
    if (kinds.has('phones'))
      out = out.replace(PHONE, (m) => (isPhone(m.trim()) ? placeholder('phones', digitsOf(m)) : m));
    return out;
  };
  return { text, value: (v) => mapStrings(v, text) };
}
