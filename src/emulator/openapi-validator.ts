/**
 * Validates JSON against the schemas of Intercom's official OpenAPI description (3.0.1), read from
 * the vendored YAML. OpenAPI 3.0 is not quite JSON Schema (`nullable`, `example`), so the schemas
 * are translated once, then compiled with Ajv.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { OPENAPI_PATH } from '../package-root.js';

type Schema = Record<string, unknown>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_SINGLES = new Set(['items', 'additionalProperties', 'not']);
const DROPPED = new Set([
  'example',
  'examples',
  'description',
  'nullable',
  'discriminator',
  'xml',
  'externalDocs',
  'title',
]);

/**
 * OpenAPI 3.0 → JSON Schema. With `closed`, objects that declare properties reject undeclared
 * ones, so a misspelt field in an emulator response fails validation instead of slipping through.
 */
export function toJsonSchema(node: unknown, closed: boolean): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(src)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (SCHEMA_MAPS.has(key)) {
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([name, sub]) => [name, toJsonSchema(sub, closed)]),
      );
    } else if (SCHEMA_LISTS.has(key)) {
      out[key] = (value as unknown[]).map((sub) => toJsonSchema(sub, closed));
    } else if (SCHEMA_SINGLES.has(key) && typeof value === 'object') {
      out[key] = toJsonSchema(value, closed);
    } else {
      out[key] = value;
    }
  }
  // Properties beside a combinator add to its branches: closing them here would refuse the branches' own.
  const combined = out.allOf ?? out.oneOf ?? out.anyOf;
  if (closed && out.properties && !combined && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (src.nullable === true) {
    if (typeof out.type === 'string' && !out.$ref) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/**
 * Where the real API departs from its own description, the emulator follows the real API and the
 * validator is told so here (docs/emulator.md lists these). Contacts: leads and anonymous visitors have
 * no email or name, and the API sends null where the schema says string.
 */
function applyKnownDeviations(schemas: Record<string, Schema>): void {
  const contact = schemas.contact as { properties: Record<string, Schema> };
  contact.properties.email = { type: ['string', 'null'] };
  contact.properties.name = { type: ['string', 'null'] };
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
        requestBody?: { content?: Record<string, { schema?: unknown }> };
      }
    >
  >;
  components: { schemas: Record<string, unknown> };
}

export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly doc: OpenApiDoc;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(opts: { closed?: boolean; path?: string } = {}) {
    this.doc = parse(readFileSync(opts.path ?? OPENAPI_PATH, 'utf8')) as OpenApiDoc;
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    const closed = opts.closed ?? true;
    const schemas = Object.fromEntries(
      Object.entries(this.doc.components.schemas).map(([name, s]) => [
        name,
        toJsonSchema(s, closed) as Schema,
      ]),
    );
    applyKnownDeviations(schemas);
    this.ajv.addSchema({ $id: 'intercom.json', components: { schemas } });
  }

  /** The spec's path template that an emulator route template (with any parameter names) stands for. */
  specPath(routePath: string): string {
    const want = routePath.split('/');
    const found = Object.keys(this.doc.paths).find((p) => {
      const have = p.split('/');
      return (
        have.length === want.length &&
        have.every((seg, i) => (seg.startsWith('{') ? want[i]!.startsWith('{') : seg === want[i]))
      );
    });
    if (!found) throw new Error(`No path ${routePath} in the OpenAPI description`);
    return found;
  }

  /** The schema ref of a documented response; undocumented error statuses use the `error` schema. */
  responseSchemaRef(method: string, routePath: string, status: number): string {
    const op = this.doc.paths[this.specPath(routePath)]?.[method.toLowerCase()];
    if (!op) throw new Error(`No ${method} ${routePath} in the OpenAPI description`);
    const schema = op.responses?.[String(status)]?.content?.['application/json']?.schema;
    if (schema) return JSON.stringify(schema);
    if (status >= 400) return JSON.stringify({ $ref: '#/components/schemas/error' });
    throw new Error(`No ${status} response documented for ${method} ${routePath}`);
  }

  private compiled(key: string, schema: unknown): ValidateFunction {
    let fn = this.cache.get(key);
    if (!fn) {
      fn = this.ajv.compile({
        $id: `intercom-${this.cache.size}.json`,
        ...this.rebase(toJsonSchema(schema, true)),
      });
      this.cache.set(key, fn);
    }
    return fn;
  }

  /** Inline schemas refer to `#/components/...` of the spec document; point them at it. */
  private rebase(schema: unknown): Schema {
    return JSON.parse(
      JSON.stringify(schema).replace(/"#\/components\//g, '"intercom.json#/components/'),
    ) as Schema;
  }

  /** Validates a response body; returns the list of errors, empty when valid. */
  validateResponse(method: string, routePath: string, status: number, body: unknown): string[] {
    const ref = this.responseSchemaRef(method, routePath, status);
    return this.errorsOf(this.compiled(ref, JSON.parse(ref)), body);
  }

  /** Validates a request body against the operation's documented one (what a client must send). */
  validateRequest(method: string, routePath: string, body: unknown): string[] {
    const op = this.doc.paths[this.specPath(routePath)]?.[method.toLowerCase()];
    const schema = op?.requestBody?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`No request body documented for ${method} ${routePath}`);
    const key = `request:${method} ${routePath}`;
    return this.errorsOf(this.compiled(key, schema), body);
  }

  validateSchema(name: string, value: unknown): string[] {
    return this.errorsOf(this.compiled(`schema:${name}`, { $ref: `#/components/schemas/${name}` }), value);
  }

  private errorsOf(fn: ValidateFunction, value: unknown): string[] {
    if (fn(value)) return [];
    return (fn.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }
}
