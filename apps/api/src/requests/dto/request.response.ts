import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RecipientStatus, RequestType, Urgency } from '@cbm/database';
import { TLP_LABELS, TlpLabel } from '../../sharing/tlp';
import { IndicatorDto } from './request.dto';

export class RecipientResponse {
  stateCode: string;
  @ApiProperty({ enum: RecipientStatus, enumName: 'RecipientStatus' })
  status: RecipientStatus;
  acknowledgedAt: Date | null;
  answeredAt: Date | null;
  closedAt: Date | null;
  /** Past the acknowledgement or answer deadline, still open. */
  overdue: boolean;
  /** The answer, reason or assistance needed: shown to the requester and to this recipient. */
  @ApiPropertyOptional({ nullable: true })
  answer?: string | null;
  /**
   * One request read alone: the capacity-building need this recipient opened from its "unable:
   * capacity limits" answer (POST /requests/:id/capacity-need), when the reader may see it.
   */
  @ApiPropertyOptional({ type: String, nullable: true })
  capacityNeedId?: string | null;
}

export class TransitionResponse {
  recipientState: string;
  action: string;
  @ApiProperty({ enum: RecipientStatus, enumName: 'RecipientStatus' })
  fromStatus: RecipientStatus;
  @ApiProperty({ enum: RecipientStatus, enumName: 'RecipientStatus' })
  toStatus: RecipientStatus;
  note: string | null;
  actorState: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  at: Date;
}

/** What the secretariat sees: who, type, urgency, statuses and dates, never contents. */
export class RequestMetadataResponse {
  id: string;
  reference: string;
  requesterState: string;
  @ApiProperty({ enum: RequestType, enumName: 'RequestType' })
  type: RequestType;
  @ApiProperty({ enum: Urgency, enumName: 'Urgency' })
  urgency: Urgency;
  acknowledgeBy: Date;
  respondBy: Date | null;
  createdAt: Date;
  updatedAt: Date;
  recipients: RecipientResponse[];
  overdue: boolean;
}

/** Where a party downloads the request's indicators for its own tools. */
export class RequestExportLinks {
  /** A STIX 2.1 bundle (OpenCTI and other threat-intelligence platforms). */
  stix: string;
  /** A MISP event ("Add event from JSON", or POST /events/add). */
  misp: string;
}

/** What the requester's and recipients' users see. */
export class RequestResponse extends RequestMetadataResponse {
  title: string;
  description: string;
  incidentStart: Date | null;
  incidentEnd: Date | null;
  sectors: string[];
  indicators: IndicatorDto[];
  requestedActions: string | null;
  @ApiProperty({ enum: TLP_LABELS })
  tlp: TlpLabel;
  language: string;
  @ApiPropertyOptional({ type: [TransitionResponse] })
  transitions?: TransitionResponse[];
  links: RequestExportLinks;
}

export class RequestListResponse {
  @ApiProperty({ type: [RequestMetadataResponse], description: 'RequestResponse for parties, RequestMetadataResponse for the secretariat' })
  items: Array<RequestResponse | RequestMetadataResponse>;
  nextCursor: string | null;
}

export class MessageResponse {
  id: string;
  authorState: string;
  authorUserId: string | null;
  authorApiKeyId: string | null;
  toState: string | null;
  body: string;
  createdAt: Date;
}

export class MessageListResponse {
  items: MessageResponse[];
}

export class DurationStats {
  /** Seconds; null without data. */
  median: number | null;
  p90: number | null;
}

export class RequestStatsResponse {
  /** The State the figures are about, or null for all States (the secretariat). */
  stateCode: string | null;
  byType: Record<string, number>;
  byStatus: Record<string, number>;
  timeToAcknowledge: DurationStats;
  timeToAnswer: DurationStats;
  /** Answers of "unable: capacity limits" (paragraph 32): counted, not hidden. */
  unableCapacity: number;
  /** What came of them: needs opened from such answers (that the reader may see), and how many were fulfilled. */
  unableCapacityNeeds: UnableCapacityNeedStats;
}

export class UnableCapacityNeedStats {
  opened: number;
  fulfilled: number;
}
