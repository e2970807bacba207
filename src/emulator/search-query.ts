/**
 * Intercom's search query language (`POST /conversations/search`, `POST /contacts/search`):
 * parsing with the documented limits and per-type operator rules, then evaluation against the
 * emulator's records. Invalid queries raise SearchQueryError, which becomes the API's 400.
 */
import { z } from 'zod';

export type FieldType = 'string' | 'integer' | 'date' | 'boolean' | 'tag' | 'words';
type Scalar = string | number | boolean | null;

export interface FieldSpec<T> {
  type: FieldType;
  /** A list value means "matches if any element matches", as for contact_ids and tag_ids. */
  get: (record: T) => Scalar | Scalar[];
}

export class SearchQueryError extends Error {}

const OPERATORS_BY_TYPE: Record<FieldType, ReadonlyArray<string>> = {
  string: ['=', '!=', 'IN', 'NIN', '~', '!~', '^', '$'],
  words: ['=', '!=', '~', '!~'],
  tag: ['=', '!='],
  boolean: ['=', '!=', 'IN', 'NIN'],
  integer: ['=', '!=', 'IN', 'NIN', '<', '>', '<=', '>='],
  date: ['=', '<', '>'],
};

const MAX_FILTERS_PER_GROUP = 15;
const MAX_NESTING = 2;

const scalarValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const rawFilter = z.object({
  field: z.string(),
  operator: z.string(),
  value: z.union([scalarValue, z.array(scalarValue)]),
});
type RawFilter = z.infer<typeof rawFilter>;
const rawGroup = z.object({ operator: z.string(), value: z.array(z.unknown()) });

export type Predicate<T> = (record: T) => boolean;

/** Values of one numeric field from `lo` to `hi`, each end included or not; open ends are infinite. */
export interface FieldRange {
  lo: number;
  loIn: boolean;
  hi: number;
  hiIn: boolean;
}

const ALL: FieldRange = { lo: -Infinity, loIn: false, hi: Infinity, hiIn: false };

/**
 * The range of `field` a query selects, when the whole query is one (a compiled query already
 * accepted it): `> m OR = m`, an AND of such, as the sync's pager asks. Undefined for any other
 * query. A search over a million conversations then finds its page by bisection in the sorted
 * view instead of testing each conversation, as Intercom's index does.
 */
export function rangeOf(query: unknown, field: string): FieldRange | undefined {
  const filter = rawFilter.safeParse(query);
  if (filter.success) {
    const { field: f, operator, value } = filter.data;
    if (f !== field || typeof value !== 'number') return undefined;
    const ranges: Record<string, FieldRange> = {
      '>': { ...ALL, lo: value },
      '>=': { ...ALL, lo: value, loIn: true },
      '<': { ...ALL, hi: value },
      '<=': { ...ALL, hi: value, hiIn: true },
      '=': { lo: value, loIn: true, hi: value, hiIn: true },
    };
    return ranges[operator];
  }
  const group = rawGroup.safeParse(query);
  if (!group.success || group.data.value.length === 0) return undefined;
  let range: FieldRange | undefined;
  for (const child of group.data.value) {
    const r = rangeOf(child, field);
    if (!r) return undefined;
    range = !range ? r : group.data.operator === 'AND' ? intersect(range, r) : union(range, r);
    if (!range) return undefined;
  }
  return range;
}

function intersect(a: FieldRange, b: FieldRange): FieldRange {
  const lo = a.lo !== b.lo ? (a.lo > b.lo ? a : b) : { lo: a.lo, loIn: a.loIn && b.loIn };
  const hi = a.hi !== b.hi ? (a.hi < b.hi ? a : b) : { hi: a.hi, hiIn: a.hiIn && b.hiIn };
  return { lo: lo.lo, loIn: lo.loIn, hi: hi.hi, hiIn: hi.hiIn };
}

/** Two ranges' union, when it is one range (they overlap or touch); undefined otherwise. */
function union(a: FieldRange, b: FieldRange): FieldRange | undefined {
  const [first, second] = a.lo <= b.lo ? [a, b] : [b, a];
  const touches = second.lo < first.hi || (second.lo === first.hi && (second.loIn || first.hiIn));
  if (!touches) return undefined;
  const lo = a.lo !== b.lo ? first : { lo: a.lo, loIn: a.loIn || b.loIn };
  const hi = a.hi !== b.hi ? (a.hi > b.hi ? a : b) : { hi: a.hi, hiIn: a.hiIn || b.hiIn };
  return { lo: lo.lo, loIn: lo.loIn, hi: hi.hi, hiIn: hi.hiIn };
}

export function compileQuery<T>(query: unknown, fields: Record<string, FieldSpec<T>>): Predicate<T> {
  return compileNode(query, fields, 0);
}

function compileNode<T>(node: unknown, fields: Record<string, FieldSpec<T>>, depth: number): Predicate<T> {
  const group = rawGroup.safeParse(node);
  if (group.success && !('field' in (node as object))) {
    const op = group.data.operator;
    if (op !== 'AND' && op !== 'OR') {
      throw new SearchQueryError(`Operator '${op}' is not valid for a nested query; use AND or OR`);
    }
    if (depth >= MAX_NESTING) {
      throw new SearchQueryError(`Search queries may nest AND/OR at most ${MAX_NESTING} levels deep`);
    }
    if (group.data.value.length === 0) throw new SearchQueryError(`${op} needs at least one filter`);
    if (group.data.value.length > MAX_FILTERS_PER_GROUP) {
      throw new SearchQueryError(`A query group may contain at most ${MAX_FILTERS_PER_GROUP} filters`);
    }
    const children = group.data.value.map((child) => compileNode(child, fields, depth + 1));
    return op === 'AND' ? (r) => children.every((c) => c(r)) : (r) => children.some((c) => c(r));
  }
  const filter = rawFilter.safeParse(node);
  if (!filter.success)
    throw new SearchQueryError('Each query must have field, operator and value, or operator and value');
  return compileFilter(filter.data, fields);
}

function compileFilter<T>(filter: RawFilter, fields: Record<string, FieldSpec<T>>): Predicate<T> {
  const spec = fields[filter.field];
  if (!spec) throw new SearchQueryError(`Search is not supported on field '${filter.field}'`);
  const op = filter.operator;
  if (!OPERATORS_BY_TYPE[spec.type].includes(op)) {
    throw new SearchQueryError(
      `Operator '${op}' is not supported for field '${filter.field}' (${spec.type})`,
    );
  }
  const listOp = op === 'IN' || op === 'NIN';
  if (listOp !== Array.isArray(filter.value)) {
    throw new SearchQueryError(
      listOp
        ? `Operator '${op}' needs an array value`
        : `Operator '${op}' needs a single value, not an array`,
    );
  }
  const values = (Array.isArray(filter.value) ? filter.value : [filter.value]).map((v) =>
    coerce(v, spec.type, filter.field),
  );
  const test = scalarTest(op, values, spec.type);
  const negated = op === '!=' || op === 'NIN' || op === '!~';
  return (record) => {
    const raw = spec.get(record);
    const list = Array.isArray(raw) ? raw : [raw];
    // Negated operators hold when no element matches the positive form.
    return negated ? !list.some(test) : list.some(test);
  };
}

function coerce(value: Scalar, type: FieldType, field: string): Scalar {
  switch (type) {
    case 'integer':
    case 'date': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        throw new SearchQueryError(
          `Value for '${field}' must be ${type === 'date' ? 'a UNIX timestamp' : 'an integer'}`,
        );
      }
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new SearchQueryError(`Value for '${field}' must be true or false`);
    default:
      if (value === null) return null;
      if (typeof value === 'object') throw new SearchQueryError(`Value for '${field}' must be a string`);
      return String(value).toLowerCase();
  }
}

function scalarTest(op: string, values: Scalar[], type: FieldType): (v: Scalar) => boolean {
  const norm = (v: Scalar) => (typeof v === 'string' ? v.toLowerCase() : v);
  const target = values[0];
  if (type === 'words') {
    const word = String(target ?? '');
    return op === '=' || op === '!='
      ? (v) =>
          typeof v === 'string' &&
          v
            .toLowerCase()
            .split(/[^\p{L}\p{N}'@.-]+/u)
            .includes(word)
      : (v) => typeof v === 'string' && v.toLowerCase().includes(word);
  }
  switch (op) {
    case '=':
    case '!=':
    case 'IN':
    case 'NIN':
      return (v) => values.includes(norm(v));
    // Documented as "greater (or equal)"; the emulator takes the strict reading, the one that loses
    // records for a sync that trusts the documentation, so our sync must send `> X OR = X`.
    case '>':
      return (v) => typeof v === 'number' && v > (target as number);
    case '<':
      return (v) => typeof v === 'number' && v < (target as number);
    case '>=':
      return (v) => typeof v === 'number' && v >= (target as number);
    case '<=':
      return (v) => typeof v === 'number' && v <= (target as number);
    case '~':
    case '!~':
      return (v) => typeof v === 'string' && v.toLowerCase().includes(String(target));
    case '^':
      return (v) => typeof v === 'string' && v.toLowerCase().startsWith(String(target));
    case '$':
      return (v) => typeof v === 'string' && v.toLowerCase().endsWith(String(target));
    default:
      throw new SearchQueryError(`Unknown operator '${op}'`);
  }
}
