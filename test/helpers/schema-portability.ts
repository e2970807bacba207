/**
 * The constructs MCP clients are known to choke on in a tool's JSON Schema, as one walk over a
 * schema that names each finding by its path. The rules gather what the clients document or were
 * reported doing: Gemini accepts only typed schemas without references; OpenAI's function calling
 * takes nine formats and one type per schema; Claude Code refuses the whole tool list when one
 * schema is a bare `true`; the MCP Inspector builds its forms from a single `type` and renders an
 * `anyOf` only as raw JSON. A schema that passes is read alike by all of them.
 */

type Schema = Record<string, unknown>;

const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean']);
/** OpenAI's list; Gemini's is narrower still for strings (date-time and enum), and ignores others. */
const FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);
const COMBINATORS = ['anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else'];
const REFERENCES = ['$ref', '$defs', 'definitions', '$id', '$anchor', '$dynamicRef'];
/** OpenAPI's dialect, which JSON Schema validators ignore and some clients reject. */
const OPENAPI_ONLY = ['nullable', 'discriminator', 'example', 'xml', 'externalDocs'];
const PROPERTY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** OpenAI truncates a function's description past this. */
export const MAX_DESCRIPTION_CHARS = 1024;

function walk(schema: unknown, path: string, found: string[]): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    found.push(`${path}: a schema must be an object, not ${JSON.stringify(schema)}`);
    return;
  }
  const s = schema as Schema;
  for (const key of [...COMBINATORS, ...REFERENCES, ...OPENAPI_ONLY])
    if (key in s) found.push(`${path}: uses ${key}`);
  if (typeof s.type !== 'string') found.push(`${path}: needs one type, has ${JSON.stringify(s.type)}`);
  else if (!TYPES.has(s.type)) found.push(`${path}: type ${s.type} is not portable`);
  if ('format' in s && !FORMATS.has(s.format as string)) found.push(`${path}: format ${String(s.format)}`);
  if ('required' in s && !Array.isArray(s.required)) found.push(`${path}: required must be a list`);
  if ('enum' in s) {
    const values = s.enum;
    if (!Array.isArray(values) || values.length === 0) found.push(`${path}: an empty enum`);
    else if (!values.every((v) => typeof v === 'string' && s.type === 'string'))
      found.push(`${path}: enum values must be strings of a string schema`);
  }
  if ('default' in s && s.type !== undefined) {
    const t = s.type === 'integer' ? 'number' : s.type;
    if (typeof s.default !== t && !(t === 'array' && Array.isArray(s.default)))
      found.push(`${path}: default ${JSON.stringify(s.default)} is not a ${String(s.type)}`);
  }
  if (s.type === 'array') {
    if (s.items === undefined) found.push(`${path}: an array needs items`);
    else walk(s.items, `${path}[]`, found);
  }
  if (s.type === 'object') {
    const properties = (s.properties ?? {}) as Record<string, unknown>;
    for (const [name, sub] of Object.entries(properties)) {
      if (!PROPERTY_NAME.test(name)) found.push(`${path}: property name ${JSON.stringify(name)}`);
      walk(sub, `${path}.${name}`, found);
    }
    for (const name of (Array.isArray(s.required) ? s.required : []) as string[])
      if (!(name in properties)) found.push(`${path}: requires ${name}, which it does not define`);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}{}`, found);
  }
}

/** Every finding in one schema; a root must be an object schema. */
export function schemaFindings(schema: unknown, path = '$'): string[] {
  const found: string[] = [];
  walk(schema, path, found);
  if (found.length === 0 && (schema as Schema).type !== 'object' && path === '$')
    found.push('$: a tool schema must be an object');
  return found;
}

export interface ListedTool {
  name: string;
  description?: string;
  inputSchema: unknown;
  outputSchema?: unknown;
}

/** Every finding in a tool: its name, description and both schemas. */
export function toolFindings(tool: ListedTool): string[] {
  const found: string[] = [];
  if (!TOOL_NAME.test(tool.name)) found.push(`name ${JSON.stringify(tool.name)} is not portable`);
  if (!tool.description) found.push('has no description');
  else if (tool.description.length > MAX_DESCRIPTION_CHARS)
    found.push(`description of ${tool.description.length} characters`);
  const root = (schema: unknown, label: string) => schemaFindings(schema).map((f) => `${label}${f.slice(1)}`);
  found.push(...root(tool.inputSchema, 'input'));
  if (tool.outputSchema !== undefined) found.push(...root(tool.outputSchema, 'output'));
  return found.map((f) => `${tool.name}: ${f}`);
}
