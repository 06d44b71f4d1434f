import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';

export class StateCodeParam {
  /** ISO 3166-1 alpha-3 code, e.g. `PAK`; case-insensitive. */
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @Matches(/^[A-Z]{3}$/, { message: 'code must be an ISO 3166-1 alpha-3 code (three letters)' })
  code: string;
}
