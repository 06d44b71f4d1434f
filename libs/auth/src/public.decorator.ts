import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC_KEY = 'cbm:isPublic';
/** OpenAPI extension read by buildOpenApiDocument, which turns it into `security: []`. */
export const PUBLIC_OPERATION_EXTENSION = 'x-cbm-public';

/**
 * Marks a route (or every route of a controller) as open to anonymous callers: reference data and
 * what States chose to publish. Any other route requires a credential, and the OpenAPI document
 * shows which is which.
 */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));
}
