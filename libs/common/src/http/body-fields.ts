import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsDate, IsObject, MaxDate, MinDate, ValidateIf, ValidateNested } from 'class-validator';

/**
 * Like @IsOptional(), but only for a field that is left out: `null` is validated like any other
 * value and refused by the type check after it. @IsOptional() lets `null` through every check,
 * which for a column that cannot hold null ends as a database error (a 500), and for `role: null`
 * also walked past the checks on who may grant which role.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/**
 * An array of objects of `type`, each validated. @ValidateNested alone lets an array nested in the
 * array through unchecked (it validates the inner array's items as objects of no class), which
 * stored `[[[]]]` as office hours and reached the indicator checks as `undefined` (a 500).
 */
export function IsArrayOfObjects(type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    Type(type),
    IsArray(),
    IsObject({ each: true, message: 'each item of $property must be an object' }),
    ValidateNested({ each: true }),
  );
}

/** A date-time (ISO 8601) from 1970 to 9999; only text is read as a date, anything else is refused. */
export function IsInstant(): PropertyDecorator {
  return applyDecorators(
    // Not @Type(() => Date): it hands objects to the Date constructor, and one whose toString is
    // not a function throws there, before any check runs (a 500 the fuzzing found).
    Transform(({ value }) => (typeof value === 'string' ? new Date(value) : value)),
    IsDate({ message: '$property must be a date-time (ISO 8601)' }),
    MinDate(new Date(0), { message: '$property must be from 1970 on' }),
    MaxDate(new Date(Date.UTC(9999, 11, 31)), { message: '$property must be before the year 10000' }),
  );
}
