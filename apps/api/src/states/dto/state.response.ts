import { ApiProperty } from '@nestjs/swagger';
import { State, UnMembership, UnRegionalGroup } from '@cbm/database';

export class StateResponse {
  /** ISO 3166-1 alpha-3 code. @example PAK */
  code: string;
  /** UN short name. @example Pakistan */
  name: string;
  @ApiProperty({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  region: UnRegionalGroup;
  /** MEMBER for the 193 UN member States, OBSERVER for the Holy See and the State of Palestine. */
  @ApiProperty({ enum: UnMembership, enumName: 'UnMembership' })
  membership: UnMembership;
  /** Whether the State takes part in the registry. */
  participating: boolean;
}

export class StateListResponse {
  items: StateResponse[];
}

export function toStateResponse(state: State): StateResponse {
  return {
    code: state.code,
    name: state.name,
    region: state.region,
    membership: state.membership,
    participating: state.participating,
  };
}

export class StateDirectorySummaryResponse {
  code: string;
  /** Active contacts by kind. */
  contacts: { DIPLOMATIC: number; POLICY: number; TECHNICAL: number };
  /** Active CERTs. */
  certs: number;
  /** Active entries not verified within DIRECTORY_STALE_AFTER_DAYS. */
  staleEntries: number;
  /** The most recent verification of any active entry of the State. */
  lastVerifiedAt: Date | null;
}
