import { Prisma } from '@cbm/database';

/**
 * THE visibility rule of requests, in the forms the code needs, side by side (the table in
 * test/request-visibility-rule.e2e-spec.ts runs the same cases through each):
 * - a State reaches a request it filed (the requester) or that is addressed to it (a recipient);
 *   any other State gets 404, as if the request did not exist; the secretariat reaches every
 *   request as metadata only (no contents, answers, transitions or messages: see RequestReader);
 * - a recipient's answer and the notes of its transitions are for the requester and that recipient;
 * - messages: the requester reads all; a recipient those to every party and those to it.
 * A repository file because the list and the reads apply it as Prisma conditions.
 */
export interface RequestParties {
  requesterState: string;
  recipients: ReadonlyArray<{ stateCode: string }>;
}

export function isPartyTo(request: RequestParties, stateCode: string): boolean {
  return request.requesterState === stateCode || request.recipients.some((recipient) => recipient.stateCode === stateCode);
}

/** Whether `viewerState`, a party, reads what `recipientState` answered or noted. */
export function readsRecipientContents(request: RequestParties, viewerState: string, recipientState: string): boolean {
  return request.requesterState === viewerState || recipientState === viewerState;
}

/** Whether `viewerState`, a party, reads a message addressed to `toState` (null: every party). */
export function readsMessage(request: RequestParties, viewerState: string, message: { toState: string | null }): boolean {
  return request.requesterState === viewerState || message.toState === null || message.toState === viewerState;
}

/**
 * The two ways of being a party, each alone: a page of a State's requests reads each side with its
 * own index and merges them (as one OR the planner can only scan the whole table).
 */
export const PARTY_SIDES = {
  requester: (stateCode: string): Prisma.CbmRequestWhereInput => ({ requesterState: stateCode }),
  recipient: (stateCode: string): Prisma.CbmRequestWhereInput => ({ recipients: { some: { stateCode } } }),
};

/** isPartyTo as a Prisma condition on requests. */
export function partyCondition(stateCode: string): Prisma.CbmRequestWhereInput {
  return { OR: [PARTY_SIDES.requester(stateCode), PARTY_SIDES.recipient(stateCode)] };
}

/** readsMessage as a Prisma condition on a request's messages, for a party that is (not) its requester. */
export function messageCondition(viewerState: string, isRequester: boolean): Prisma.RequestMessageWhereInput {
  return isRequester ? {} : { OR: [{ toState: null }, { toState: viewerState }] };
}
