import { RecipientStatus } from '@cbm/database';
import { OPEN_STATUSES } from './request-rules';

export const REQUEST_ACTIONS = ['ACKNOWLEDGE', 'START', 'ANSWER', 'DECLINE', 'UNABLE_CAPACITY', 'CLOSE', 'WITHDRAW'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

export type Side = 'recipient' | 'requester';

interface Rule {
  side: Side;
  from: readonly RecipientStatus[];
  to: RecipientStatus;
  /** The note is the answer, the reason for declining, or the assistance needed. */
  noteRequired: boolean;
}

/**
 * The workflow per recipient (RTIR-like): SUBMITTED → ACKNOWLEDGED → IN_PROGRESS → ANSWERED →
 * CLOSED (by the requester), with the recipient's side exits DECLINED and UNABLE_CAPACITY and the
 * requester's WITHDRAW before an answer.
 */
export const WORKFLOW: Readonly<Record<RequestAction, Rule>> = {
  ACKNOWLEDGE: { side: 'recipient', from: [RecipientStatus.SUBMITTED], to: RecipientStatus.ACKNOWLEDGED, noteRequired: false },
  START: { side: 'recipient', from: [RecipientStatus.SUBMITTED, RecipientStatus.ACKNOWLEDGED], to: RecipientStatus.IN_PROGRESS, noteRequired: false },
  ANSWER: { side: 'recipient', from: [RecipientStatus.ACKNOWLEDGED, RecipientStatus.IN_PROGRESS], to: RecipientStatus.ANSWERED, noteRequired: true },
  DECLINE: { side: 'recipient', from: OPEN_STATUSES, to: RecipientStatus.DECLINED, noteRequired: true },
  UNABLE_CAPACITY: { side: 'recipient', from: OPEN_STATUSES, to: RecipientStatus.UNABLE_CAPACITY, noteRequired: true },
  CLOSE: { side: 'requester', from: [RecipientStatus.ANSWERED], to: RecipientStatus.CLOSED, noteRequired: false },
  WITHDRAW: { side: 'requester', from: OPEN_STATUSES, to: RecipientStatus.WITHDRAWN, noteRequired: false },
};
