import { Tlp, Urgency } from '@cbm/database';
import { IndicatorType } from '../indicators';
import { ExportedRequest, exportedIndicators, exportTitleOf, indicatorsValidFrom, stateNameOf } from './exported-request';
import { registryUuid } from './uuid-v5';

/**
 * A request's indicators as a MISP event (format 2.4), wrapped as MISP's "Add event from JSON" and
 * `POST /events/add` take it. Deterministic like the STIX bundle: uuids from the request id (the
 * requesting State's organisation from its code), times from the request's own dates, so importing
 * it again updates the same event.
 */

export interface MispAttribute {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  distribution: string;
  timestamp: string;
}

export interface MispEvent {
  Event: {
    uuid: string;
    info: string;
    date: string;
    threat_level_id: string;
    analysis: string;
    distribution: string;
    published: boolean;
    timestamp: string;
    Orgc: { uuid: string; name: string };
    Attribute: MispAttribute[];
    Tag: Array<{ name: string }>;
  };
}

/**
 * MISP's own attribute type per indicator type, with the category and IDS flag MISP's `sane_defaults`
 * give that type (describeTypes.json; the e2e test checks this table against it). A request does not
 * say which way traffic went: addresses are `ip-dst`, as MISP's own STIX import maps an address
 * pattern; a CIDR block is an `ip-dst` value too. Addresses of e-mail in requests are senders of
 * malicious mail far more often than anything else: `email-src`.
 */
export const MISP_TYPES: Readonly<Record<IndicatorType, { type: string; category: string; toIds: boolean }>> = {
  IPV4: { type: 'ip-dst', category: 'Network activity', toIds: true },
  IPV6: { type: 'ip-dst', category: 'Network activity', toIds: true },
  CIDR: { type: 'ip-dst', category: 'Network activity', toIds: true },
  DOMAIN: { type: 'domain', category: 'Network activity', toIds: true },
  URL: { type: 'url', category: 'Network activity', toIds: true },
  EMAIL: { type: 'email-src', category: 'Payload delivery', toIds: true },
  // MISP flags no AS for IDS by default: a whole network is no detection rule.
  ASN: { type: 'AS', category: 'Network activity', toIds: false },
  MD5: { type: 'md5', category: 'Payload delivery', toIds: true },
  SHA1: { type: 'sha1', category: 'Payload delivery', toIds: true },
  SHA256: { type: 'sha256', category: 'Payload delivery', toIds: true },
};

/**
 * MISP's threat levels ("1" high, "2" medium, "3" low, "4" undefined) from the urgency the requester
 * chose: an incident that needs an answer within hours is a high threat to the one who asks.
 */
export const MISP_THREAT_LEVELS: Readonly<Record<Urgency, string>> = {
  CRITICAL: '1',
  URGENT: '1',
  PRIORITY: '2',
  ROUTINE: '3',
};

/** The MISP `tlp` taxonomy's tags (TLP 2.0). */
export const MISP_TLP_TAGS: Readonly<Record<Tlp, string>> = {
  CLEAR: 'tlp:clear',
  GREEN: 'tlp:green',
  AMBER: 'tlp:amber',
  AMBER_STRICT: 'tlp:amber+strict',
  RED: 'tlp:red',
};

/** The organisation MISP files a State's events under: one per State, whichever request it comes from. */
export function mispOrganisationUuid(stateCode: string): string {
  return registryUuid('misp-organisation', stateCode);
}

export function buildMispEvent(request: ExportedRequest): MispEvent {
  const timestamp = String(Math.floor(request.createdAt.getTime() / 1000));
  return {
    Event: {
      uuid: registryUuid(request.id, 'misp-event'),
      info: exportTitleOf(request),
      date: indicatorsValidFrom(request).toISOString().slice(0, 10),
      threat_level_id: MISP_THREAT_LEVELS[request.urgency],
      // Initial analysis: the requester is asking for help, the recipient has not looked yet.
      analysis: '0',
      // "Your organisation only": the importing CERT decides whether and how far to share it on.
      distribution: '0',
      published: false,
      timestamp,
      Orgc: { uuid: mispOrganisationUuid(request.requesterState), name: stateNameOf(request.requesterState) },
      Attribute: exportedIndicators(request.indicators).map((indicator) => {
        const mapped = MISP_TYPES[indicator.type];
        return {
          uuid: registryUuid(request.id, 'misp-attribute', indicator.type, indicator.value),
          type: mapped.type,
          category: mapped.category,
          value: indicator.value,
          to_ids: mapped.toIds,
          // "Inherit event": never wider than the event itself.
          distribution: '5',
          timestamp,
        };
      }),
      Tag: [{ name: MISP_TLP_TAGS[request.tlp] }],
    },
  };
}
