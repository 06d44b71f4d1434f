import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument, Operation, SchemaObject } from './openapi-document';

const DOCUMENT_ID = 'openapi';

export interface ResponseUnderTest {
  status: number;
  contentType: string | undefined;
  /** Parsed JSON, when the body is JSON. */
  body: unknown;
  text: string;
}

/** Report order: what breaks clients most first. */
export const VIOLATION_KINDS = ['server-error', 'schema', 'problem-status-mismatch', 'unparseable-json', 'unexpected-body', 'undocumented-content-type', 'undocumented-status'] as const;

export interface SchemaViolation {
  kind: (typeof VIOLATION_KINDS)[number];
  /** Short and stable, so that equal defects group together. */
  signature: string;
  detail: string;
}

/**
 * Checks a response against the operation's documented responses, with ajv. OpenAPI 3.0 schemas are
 * turned into JSON Schema first: `nullable: true` allows null at that node (what the document's
 * author means, also when Nest writes it beside an `allOf` reference), `example` and other
 * annotations are ignored. Objects accept undocumented extra properties, as OpenAPI says.
 */
export class ResponseValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    const schemas = Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => [name, toJsonSchema(schema)]);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: Object.fromEntries(schemas) } });
  }

  check(operation: Operation, response: ResponseUnderTest): SchemaViolation | undefined {
    const { status } = response;
    if (status >= 500) {
      return { kind: 'server-error', signature: `${status} ${codeOf(response.body)}`, detail: response.text.slice(0, 300) };
    }
    const documented = operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`] ?? operation.responses.default;
    if (!documented) {
      return {
        kind: 'undocumented-status',
        signature: `${status} ${codeOf(response.body)}`.trim(),
        detail: `(documented: ${Object.keys(operation.responses).join(', ')}) ${response.text.slice(0, 300)}`,
      };
    }
    const mediaType = response.contentType?.split(';')[0].trim().toLowerCase();
    if (!documented.content) {
      if (status === 204 && response.text) return { kind: 'unexpected-body', signature: '204 with a body', detail: response.text.slice(0, 300) };
      return undefined;
    }
    const content = mediaType ? documented.content[mediaType] : undefined;
    if (!content) {
      return {
        kind: 'undocumented-content-type',
        signature: `${status} ${mediaType ?? '(none)'} (documented: ${Object.keys(documented.content).join(', ')})`,
        detail: response.text.slice(0, 300),
      };
    }
    if (!content.schema || !isJson(mediaType!)) return undefined;
    let body = response.body;
    if (body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0 && response.text.trim() !== '{}')) {
      try {
        body = JSON.parse(response.text);
      } catch {
        return { kind: 'unparseable-json', signature: `${status} ${mediaType}`, detail: response.text.slice(0, 300) };
      }
    }
    const validate = this.validator(content.schema);
    if (!validate(body)) {
      const errors = validate.errors ?? [];
      const offending = errors
        .filter((error) => error.keyword !== 'anyOf')
        .slice(0, 3)
        .map((error) => `${error.instancePath || '(root)'} = ${JSON.stringify(valueAt(body, error.instancePath))?.slice(0, 160)}`);
      return {
        kind: 'schema',
        signature: `${status} ${mediaType}: ${summariseErrors(errors)}`,
        detail: `${this.ajv.errorsText(errors, { separator: '; ' })} | values: ${offending.join('; ')} | body: ${JSON.stringify(body).slice(0, 300)}`,
      };
    }
    if (mediaType === 'application/problem+json' && (body as { status?: unknown }).status !== status) {
      return { kind: 'problem-status-mismatch', signature: `${status} vs body.status ${(body as { status?: unknown }).status}`, detail: response.text.slice(0, 300) };
    }
    return undefined;
  }

  private validator(schema: SchemaObject): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

/** The value a JSON pointer (as ajv's instancePath) names. */
function valueAt(root: unknown, pointer: string): unknown {
  let current = root;
  for (const token of pointer.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return current;
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function codeOf(body: unknown): string {
  return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string' ? (body as { code: string }).code : '';
}

/** Groups errors by where and what, without the values: "/items/0/title must be string". */
function summariseErrors(errors: ErrorObject[]): string {
  const seen = new Set<string>();
  for (const error of errors) {
    // anyOf branches (the nullable wrapper) repeat the real error; keep the specific ones.
    if (error.keyword === 'anyOf') continue;
    const where = error.instancePath.replace(/\/\d+(?=\/|$)/g, '/*') || '(root)';
    seen.add(`${where} ${error.message}${error.keyword === 'required' || error.keyword === 'enum' ? ` ${JSON.stringify(error.params)}` : ''}`);
  }
  return [...seen].slice(0, 4).join('; ');
}

/** OpenAPI 3.0 schema → JSON Schema (draft 7, as ajv's default understands it). */
export function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const converted: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(source)) {
    if (key === 'nullable' || key === 'example' || key === 'examples' || key === 'xml' || key === 'externalDocs' || key === 'discriminator') continue;
    if (key === '$ref' && typeof item === 'string') {
      converted.$ref = item.startsWith('#/components/') ? `${DOCUMENT_ID}${item}` : item;
      continue;
    }
    // Under `properties` every key is a property name, not a keyword.
    converted[key] = key === 'properties' ? Object.fromEntries(Object.entries(item as object).map(([name, schema]) => [name, toJsonSchema(schema)])) : toJsonSchema(item);
  }
  if (source.nullable === true) return { anyOf: [{ type: 'null' }, converted] };
  return converted;
}
