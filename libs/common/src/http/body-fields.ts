import { ValidateIf } from 'class-validator';

/**
 * Like @IsOptional(), but only for a field that is left out: `null` is validated like any other
 * value and refused by the type check after it. @IsOptional() lets `null` through every check,
 * which for a column that cannot hold null ends as a database error (a 500), and for `role: null`
 * also walked past the checks on who may grant which role.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
