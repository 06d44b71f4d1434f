import { etagOf, Versioned } from '@cbm/common';
import { tlpLabel } from '../../../sharing/tlp';
import { isExpired } from '../need-expiry.repository';
import { NeedRow } from '../needs.repository';
import { NeedResponse } from './need.response';

/** A need as its reader may see it: who else may read it, and the request it follows, are the owner's to know. */
export function toNeedResponse(need: NeedRow, ownerView: boolean): NeedResponse {
  return {
    id: need.id,
    stateCode: need.stateCode,
    status: need.status,
    expired: isExpired(need),
    title: need.title,
    description: need.description,
    areas: need.areas,
    sectors: need.sectors,
    modalities: need.modalities,
    languages: need.languages,
    neededFrom: need.neededFrom,
    neededBy: need.neededBy,
    selfAssessment:
      need.selfAssessmentModel && need.selfAssessmentLevel
        ? { model: need.selfAssessmentModel, level: need.selfAssessmentLevel, notes: need.selfAssessmentNotes }
        : null,
    tlp: tlpLabel(need.tlp),
    audience: need.audience,
    ...(ownerView ? { selectedStates: need.selectedStates, sourceRequestId: need.sourceRequestId } : {}),
    version: need.version,
    openedAt: need.openedAt,
    fulfilledAt: need.fulfilledAt,
    withdrawnAt: need.withdrawnAt,
    createdAt: need.createdAt,
    updatedAt: need.updatedAt,
  };
}

export function versionedNeed(need: NeedRow, ownerView: boolean): Versioned<NeedResponse> {
  return { body: toNeedResponse(need, ownerView), etag: etagOf(need) };
}
