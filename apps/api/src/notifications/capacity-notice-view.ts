import { UN_STATES } from '@cbm/database';

const STATE_NAMES = new Map(UN_STATES.map((state) => [state.code, state.name]));

/**
 * What the capacity.* templates use besides the payload (documented in outbox/outbox-events.ts):
 * the States' names, links into the API, and the payload's codes as flags, so that every language
 * words a status or an outcome its own way instead of showing the English code.
 */
export function capacityNoticeView(payload: Record<string, unknown>, baseUrl: string): Record<string, unknown> {
  const name = (code: unknown) => (typeof code === 'string' ? (STATE_NAMES.get(code) ?? code) : undefined);
  const link = (path: string, id: unknown) => (typeof id === 'string' ? `${baseUrl}/api/v1/capacity/${path}/${id}` : undefined);
  return {
    needStateName: name(payload.needState),
    providerStateName: name(payload.providerState),
    needUrl: link('needs', payload.needId),
    proposalUrl: link('proposals', payload.proposalId),
    engagementUrl: link('engagements', payload.engagementId),
    declinedByNeedingState: payload.cause === 'DECLINED',
    needWithdrawn: payload.cause === 'NEED_WITHDRAWN',
    needFulfilled: payload.cause === 'NEED_FULFILLED',
    needClosed: payload.cause === 'NEED_CLOSED',
    isCompleted: payload.status === 'COMPLETED',
    isCancelled: payload.status === 'CANCELLED',
    outcomeMet: payload.outcome === 'MET',
    outcomePartlyMet: payload.outcome === 'PARTLY_MET',
    outcomeNotMet: payload.outcome === 'NOT_MET',
  };
}
