import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';

/** Query strings carry text: "true"/"false" become booleans, anything else is left for @IsBoolean to refuse. */
export const toQueryBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** An ISO 3166-1 alpha-3 State code, accepted in any case and stored upper-case. */
export function IsStateCode(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value)),
    Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 3166-1 alpha-3 code' }),
  );
}
