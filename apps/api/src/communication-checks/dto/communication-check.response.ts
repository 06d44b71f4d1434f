import { CheckTargetStatus, CommunicationCheck, CommunicationCheckStatus, ContactKind } from '@cbm/database';

export class CheckTotals {
  targeted: number;
  acknowledged: number;
  pending: number;
  unresponsive: number;
  /** acknowledged / targeted, 0–1. */
  responseRate: number;
  /** Median time from the start of the check to a confirmation; null until someone confirms. */
  medianSecondsToAcknowledge: number | null;
}

export class CommunicationCheckResponse {
  id: string;
  status: CommunicationCheckStatus;
  /** Targeted States as asked (empty: all participating States at the start); a State sees only its own code. */
  stateCodes: string[];
  kinds: ContactKind[];
  note: string | null;
  startedAt: Date;
  windowEndsAt: Date;
  remindAt: Date | null;
  remindersSentAt: Date | null;
  closedAt: Date | null;
  /** The secretariat: every targeted contact; a State: its own. */
  totals: CheckTotals;
}

export class CommunicationCheckListResponse {
  items: CommunicationCheckResponse[];
  nextCursor: string | null;
}

export class ContactResultResponse {
  targetId: string;
  contactId: string;
  contactName: string;
  stateCode: string;
  kind: ContactKind;
  status: CheckTargetStatus;
  acknowledgedAt: Date | null;
  secondsToAcknowledge: number | null;
  remindedAt: Date | null;
}

export class GroupResultResponse extends CheckTotals {
  /** The State code or the regional group. */
  key: string;
}

export class CheckResultsResponse {
  groupBy: string;
  /** groupBy=contact. */
  contacts?: ContactResultResponse[];
  /** groupBy=state or region. */
  groups?: GroupResultResponse[];
  nextCursor: string | null;
}

export class TrendPointResponse extends CheckTotals {
  checkId: string;
  startedAt: Date;
  status: CommunicationCheckStatus;
  /** Change of the response rate since the previous check in the series (null for the first). */
  responseRateChange: number | null;
}

export class CheckTrendsResponse {
  /** Oldest first. */
  points: TrendPointResponse[];
}

export class AcknowledgementResponse {
  acknowledged: true;
  contactName: string;
  stateCode: string;
  acknowledgedAt: Date;
}

export function toCheckResponse(check: CommunicationCheck, totals: CheckTotals): CommunicationCheckResponse {
  return {
    id: check.id,
    status: check.status,
    stateCodes: check.stateCodes,
    kinds: check.kinds,
    note: check.note,
    startedAt: check.startedAt,
    windowEndsAt: check.windowEndsAt,
    remindAt: check.remindAt,
    remindersSentAt: check.remindersSentAt,
    closedAt: check.closedAt,
    totals,
  };
}
