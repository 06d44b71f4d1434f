import { IsStateCode } from '@cbm/common';

export class StateCodeParam {
  /** ISO 3166-1 alpha-3 code, e.g. `PAK`; case-insensitive. */
  @IsStateCode()
  code: string;
}
