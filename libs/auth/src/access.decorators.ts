import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiResponse, ApiSecurity, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import { PROBLEM_JSON, ProblemDetails } from '@cbm/common';
import { Permission } from './permissions';

export const ACCESS_KEY = 'cbm:access';
/** OpenAPI extension read by buildOpenApiDocument, which turns it into `security: []`. */
export const PUBLIC_OPERATION_EXTENSION = 'x-cbm-public';
export const PERMISSION_EXTENSION = 'x-cbm-permission';

/**
 * What a route requires. Every route declares exactly one (the route-walk test fails otherwise), and
 * the global guard denies a route that declares none.
 */
export type AccessRequirement =
  | { kind: 'public' }
  /** Any signed-in user or key: for one's own account (me, password, second factor). */
  | { kind: 'authenticated'; allowDuringMfaEnrolment: boolean }
  | { kind: 'permission'; permission: Permission };

function problem(status: number, description: string) {
  return ApiResponse({ status, description, content: { [PROBLEM_JSON]: { schema: { $ref: getSchemaPath(ProblemDetails) } } } });
}

/** Open to anonymous callers: reference data and what States chose to publish. */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRequirement),
    ApiExtension(PUBLIC_OPERATION_EXTENSION, true),
  );
}

/**
 * Any authenticated user or API key, whatever their permissions. `allowDuringMfaEnrolment` opens the
 * route to a user who must enrol a second factor and has not yet (enrolment itself, me, logout).
 */
export function Authenticated(options: { allowDuringMfaEnrolment?: boolean } = {}): MethodDecorator {
  return applyDecorators(
    SetMetadata(ACCESS_KEY, {
      kind: 'authenticated',
      allowDuringMfaEnrolment: options.allowDuringMfaEnrolment ?? false,
    } satisfies AccessRequirement),
    ApiBearerAuth('bearer'),
    ApiSecurity('apiKey'),
    ApiExtension(PERMISSION_EXTENSION, 'authenticated'),
    ApiExtraModels(ProblemDetails),
    problem(401, 'Missing, invalid or expired credential'),
  );
}

/** The caller's role (or API key) must carry `permission`. Documents it in the OpenAPI document. */
export function Authorize(permission: Permission): MethodDecorator {
  return applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'permission', permission } satisfies AccessRequirement),
    ApiBearerAuth('bearer'),
    ApiSecurity('apiKey'),
    ApiExtension(PERMISSION_EXTENSION, permission),
    ApiExtraModels(ProblemDetails),
    problem(401, 'Missing, invalid or expired credential'),
    problem(403, `Requires the permission \`${permission}\``),
  );
}
