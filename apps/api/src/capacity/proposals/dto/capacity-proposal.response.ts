import { ApiProperty } from '@nestjs/swagger';
import { CapacityProposalStatus } from '@cbm/database';
import type { ProposalRow } from '../capacity-proposals.repository';

export class ProposalResponse {
  id: string;
  needId: string;
  /** The needing State. */
  needState: string;
  /** The State that proposes help. */
  providerState: string;
  /** The provider's offer the proposal is made with, if any. */
  offerId: string | null;
  message: string;
  @ApiProperty({ enum: CapacityProposalStatus, enumName: 'CapacityProposalStatus' })
  status: CapacityProposalStatus;
  /** When the needing State accepted or declined it, or the provider withdrew it. */
  decidedAt: Date | null;
  /** The engagement an accepted proposal became. */
  engagementId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export class ProposalListResponse {
  items: ProposalResponse[];
  nextCursor: string | null;
}

/** A need's proposals: at most one per State, so never paged. */
export class NeedProposalsResponse {
  items: ProposalResponse[];
}

export function toProposalResponse(proposal: ProposalRow): ProposalResponse {
  return {
    id: proposal.id,
    needId: proposal.needId,
    needState: proposal.needState,
    providerState: proposal.providerState,
    offerId: proposal.offerId,
    message: proposal.message,
    status: proposal.status,
    decidedAt: proposal.decidedAt,
    engagementId: proposal.engagementId,
    createdAt: proposal.createdAt,
    updatedAt: proposal.updatedAt,
  };
}
