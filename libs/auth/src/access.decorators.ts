import { applyDecorators } from '@nestjs/common';
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
  | { kind: 'permission'; permission: Permission }
  /** Any one of the permissions (e.g. a party's request:read, or the secretariat's request:metadata). */
  | { kind: 'anyPermission'; permissions: Permission[] };

/**
 * Writes the route's one access rule. Declared on the handler itself (never on a controller, where a
 * method added later would inherit it unseen), and only once: a second declaration is a start-up
 * error rather than a silent override.
 */
function declareAccess(requirement: AccessRequirement): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const handler = descriptor.value as object;
    if (Reflect.hasOwnMetadata(ACCESS_KEY, handler)) {
      throw new Error(`${target.constructor.name}.${String(propertyKey)} declares its access rule twice`);
    }
    Reflect.defineMetadata(ACCESS_KEY, requirement, handler);
    return descriptor;
  };
}

function problem(status: number, description: string) {
  return ApiResponse({ status, description, content: { [PROBLEM_JSON]: { schema: { $ref: getSchemaPath(ProblemDetails) } } } });
}

/** Open to anonymous callers: reference data and what States chose to publish. */
export function Public(): MethodDecorator {
  return applyDecorators(
    declareAccess({ kind: 'public' }),
    ApiExtension(PUBLIC_OPERATION_EXTENSION, true),
  );
}

/**
 * Any authenticated user or API key, whatever their permissions. `allowDuringMfaEnrolment` opens the
 * route to a user who must enrol a second factor and has not yet (enrolment itself, me, logout).
 */
export function Authenticated(options: { allowDuringMfaEnrolment?: boolean } = {}): MethodDecorator {
  return applyDecorators(
    declareAccess({ kind: 'authenticated', allowDuringMfaEnrolment: options.allowDuringMfaEnrolment ?? false }),
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
    declareAccess({ kind: 'permission', permission }),
    ApiBearerAuth('bearer'),
    ApiSecurity('apiKey'),
    ApiExtension(PERMISSION_EXTENSION, permission),
    ApiExtraModels(ProblemDetails),
    problem(401, 'Missing, invalid or expired credential'),
    problem(403, `Requires the permission \`${permission}\``),
  );
}

/** The caller must hold at least one of `permissions`; the service then shapes what each may see. */
export function AuthorizeAny(...permissions: Permission[]): MethodDecorator {
  const listed = permissions.map((permission) => `\`${permission}\``).join(' or ');
  return applyDecorators(
    declareAccess({ kind: 'anyPermission', permissions }),
    ApiBearerAuth('bearer'),
    ApiSecurity('apiKey'),
    ApiExtension(PERMISSION_EXTENSION, permissions.join(' | ')),
    ApiExtraModels(ProblemDetails),
    problem(401, 'Missing, invalid or expired credential'),
    problem(403, `Requires the permission ${listed}`),
  );
}
