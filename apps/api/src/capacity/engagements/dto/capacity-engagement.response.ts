import { ApiProperty } from '@nestjs/swagger';
import { CapacityEngagement, CapacityEngagementStatus, CapacityEngagementUpdate, CapacityOutcome } from '@cbm/database';

export class EvaluationResponse {
  @ApiProperty({ enum: CapacityOutcome, enumName: 'CapacityOutcome' })
  outcome: CapacityOutcome;
  feedback: string;
  evaluatedAt: Date;
}

export class EngagementResponse {
  id: string;
  /** The accepted proposal it started from. */
  proposalId: string;
  needId: string;
  needState: string;
  providerState: string;
  offerId: string | null;
  @ApiProperty({ enum: CapacityEngagementStatus, enumName: 'CapacityEngagementStatus' })
  status: CapacityEngagementStatus;
  startedAt: Date;
  /** When it was completed or cancelled. */
  endedAt: Date | null;
  /** The needing State's evaluation, once given (after the end). Both sides see both. */
  needEvaluation: EvaluationResponse | null;
  /** The providing State's evaluation, once given. */
  providerEvaluation: EvaluationResponse | null;
  version: number;
  updatedAt: Date;
}

export class EngagementListResponse {
  items: EngagementResponse[];
  nextCursor: string | null;
}

export class EngagementUpdateResponse {
  id: string;
  engagementId: string;
  /** The State that wrote it. */
  authorState: string;
  body: string;
  createdAt: Date;
}

export class EngagementUpdateListResponse {
  items: EngagementUpdateResponse[];
  nextCursor: string | null;
}

function evaluation(outcome: CapacityOutcome | null, feedback: string | null, evaluatedAt: Date | null): EvaluationResponse | null {
  return outcome && evaluatedAt ? { outcome, feedback: feedback ?? '', evaluatedAt } : null;
}

export function toEngagementResponse(engagement: CapacityEngagement): EngagementResponse {
  return {
    id: engagement.id,
    proposalId: engagement.proposalId,
    needId: engagement.needId,
    needState: engagement.needState,
    providerState: engagement.providerState,
    offerId: engagement.offerId,
    status: engagement.status,
    startedAt: engagement.startedAt,
    endedAt: engagement.endedAt,
    needEvaluation: evaluation(engagement.needOutcome, engagement.needFeedback, engagement.needEvaluatedAt),
    providerEvaluation: evaluation(engagement.providerOutcome, engagement.providerFeedback, engagement.providerEvaluatedAt),
    version: engagement.version,
    updatedAt: engagement.updatedAt,
  };
}

export function toEngagementUpdateResponse(update: CapacityEngagementUpdate): EngagementUpdateResponse {
  return { id: update.id, engagementId: update.engagementId, authorState: update.authorState, body: update.body, createdAt: update.createdAt };
}
