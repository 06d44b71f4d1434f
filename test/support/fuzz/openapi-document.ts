import { HttpStatus, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ApiResponse, ApiResponseOptions, SwaggerModule } from '@nestjs/swagger';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOpenApiDocument } from '../../../apps/api/src/configure-app';

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

/**
 * Starts the Swagger CLI plugin over the sources in a child process (about 5 s of type checking, on
 * the other core while the caller sets up its app), so that the document built here is the one
 * `nest build` serves: ts-jest compiles without the plugin, and its document lacks every 2xx
 * response and most DTO properties. Resolves to a function that applies the metadata.
 */
export function generatePluginMetadata(): Promise<{ apply: () => Promise<void>; dispose: () => void }> {
  const outputDir = mkdtempSync(path.join(tmpdir(), 'cbm-fuzz-metadata-'));
  const script = path.join(__dirname, 'generate-plugin-metadata.js');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, outputDir], { cwd: path.resolve(__dirname, '..', '..', '..'), timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`Swagger plugin metadata generation failed: ${error.message}\n${stderr}`));
        return;
      }
      const file = stdout.trim().split('\n').pop()!;
      resolve({
        apply: async () => {
          // Loaded through Jest's registry, so its imports are the very classes the app uses.
          const metadata = (require(file) as { default: () => Promise<PluginMetadata> }).default;
          const loaded = await metadata();
          await SwaggerModule.loadPluginMetadata(async () => loaded);
          await repairExplicitPropertyTypes(loaded);
          await applyControllerMetadata(loaded);
        },
        dispose: () => rmSync(outputDir, { recursive: true, force: true }),
      });
    });
  });
}

type ClassMetadata = Array<[Promise<Record<string, { prototype: object } | undefined>>, Record<string, Record<string, Record<string, unknown>>>]>;
type PluginMetadata = Record<string, { models?: ClassMetadata; controllers?: ClassMetadata }>;

const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/**
 * A property with its own @ApiProperty and a union type (`string | null`) is typed when the class is
 * defined: compiled with the plugin, from the plugin's metadata; here that comes later, so it got
 * `Object` from `design:type`. Given the plugin's type, as the compiled build has it.
 */
async function repairExplicitPropertyTypes(metadata: PluginMetadata): Promise<void> {
  for (const [fileImport, classes] of metadata['@nestjs/swagger']?.models ?? []) {
    const file = await fileImport;
    for (const [className, properties] of Object.entries(classes)) {
      const prototype = file[className]?.prototype;
      if (!prototype) continue;
      for (const [name, property] of Object.entries(properties)) {
        const explicit = Reflect.getOwnMetadata(API_MODEL_PROPERTIES, prototype, name) as Record<string, unknown> | undefined;
        if (explicit?.type === Object && property.type) Reflect.defineMetadata(API_MODEL_PROPERTIES, { ...explicit, type: property.type }, prototype, name);
      }
    }
  }
}

/**
 * What the compiled plugin adds to each handler: its success response (status and type). In
 * metadata mode @nestjs/swagger applies it only to handlers with no @ApiResponse yet, so every route
 * with @ApiProblemResponses would lose its 2xx; applied here as the compiled plugin does (merged).
 */
async function applyControllerMetadata(metadata: PluginMetadata): Promise<void> {
  for (const [fileImport, classes] of metadata['@nestjs/swagger']?.controllers ?? []) {
    const file = await fileImport;
    for (const [className, methods] of Object.entries(classes)) {
      const prototype = file[className]?.prototype;
      if (!prototype) continue;
      for (const [name, { summary: _summary, deprecated: _deprecated, tags: _tags, ...response }] of Object.entries(methods)) {
        const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
        if (!descriptor) continue;
        const status = response.status ?? Reflect.getMetadata(HTTP_CODE_METADATA, descriptor.value) ?? (Reflect.getMetadata(METHOD_METADATA, descriptor.value) === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK);
        ApiResponse({ ...response, status } as ApiResponseOptions)(prototype, name, descriptor);
      }
    }
  }
}

export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. /api/v1/contacts/{id}. */
  path: string;
  operationId: string;
  parameters: Parameter[];
  requestBodySchema?: SchemaObject;
  requestBodyRequired: boolean;
  responses: Record<string, ResponseObject>;
  public: boolean;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
}

export type SchemaObject = Record<string, unknown> & {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  allOf?: SchemaObject[];
  nullable?: boolean;
};

export interface ResponseObject {
  description?: string;
  content?: Record<string, { schema?: SchemaObject }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of the document, in document order. */
export function listOperations(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [route, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, unknown>)[method] as Record<string, unknown> | undefined;
      if (!operation) continue;
      const requestBody = operation.requestBody as { required?: boolean; content?: Record<string, { schema?: SchemaObject }> } | undefined;
      operations.push({
        method: method.toUpperCase(),
        path: route,
        operationId: String(operation.operationId),
        parameters: (operation.parameters as Parameter[] | undefined) ?? [],
        requestBodySchema: requestBody?.content?.['application/json']?.schema,
        requestBodyRequired: requestBody?.required ?? false,
        responses: operation.responses as Record<string, ResponseObject>,
        public: Array.isArray(operation.security) && operation.security.length === 0,
      });
    }
  }
  return operations;
}

/** Resolves a local `$ref` (and a lone `allOf: [$ref]`, as Nest writes enums) to its schema. */
export function resolveSchema(document: OpenApiDocument, schema: SchemaObject | undefined): SchemaObject | undefined {
  let current = schema;
  for (let hops = 0; current && hops < 10; hops++) {
    if (current.$ref) {
      current = (document.components?.schemas as Record<string, SchemaObject>)[current.$ref.replace('#/components/schemas/', '')];
    } else if (current.allOf?.length === 1 && !current.type && !current.properties) {
      current = { ...current, ...resolveSchema(document, current.allOf[0]), allOf: undefined };
    } else {
      return current;
    }
  }
  return current;
}
