import { etagOf, Versioned } from '@cbm/common';
import { tlpLabel } from '../../../sharing/tlp';
import { OfferRow } from '../offers.repository';
import { OfferResponse } from './offer.response';

export function toOfferResponse(offer: OfferRow, ownerView: boolean): OfferResponse {
  return {
    id: offer.id,
    stateCode: offer.stateCode,
    status: offer.status,
    title: offer.title,
    description: offer.description,
    areas: offer.areas,
    sectors: offer.sectors,
    modalities: offer.modalities,
    languages: offer.languages,
    regions: offer.regions,
    places: offer.places,
    experts: offer.experts,
    availableFrom: offer.availableFrom,
    availableUntil: offer.availableUntil,
    implementingOrganisation: offer.implementingOrganisation,
    tlp: tlpLabel(offer.tlp),
    audience: offer.audience,
    ...(ownerView ? { selectedStates: offer.selectedStates } : {}),
    version: offer.version,
    openedAt: offer.openedAt,
    withdrawnAt: offer.withdrawnAt,
    createdAt: offer.createdAt,
    updatedAt: offer.updatedAt,
  };
}

export function versionedOffer(offer: OfferRow, ownerView: boolean): Versioned<OfferResponse> {
  return { body: toOfferResponse(offer, ownerView), etag: etagOf(offer) };
}
