import canonicalize from 'canonicalize';
import { Tlp } from '@cbm/database';
import { asnNumber, ExportedIndicator, ExportedRequest, exportedIndicators, exportTitleOf, indicatorsValidFrom, isIpv4Block, stateNameOf } from './exported-request';
import { registryUuid, STIX_SCO_NAMESPACE, uuidV5 } from './uuid-v5';

/**
 * A request's indicators as a STIX 2.1 bundle: the requesting State's `identity`, per indicator an
 * `indicator` (a STIX pattern), the observable it describes and a `based-on` relationship between
 * them, and a `report` naming the request and listing them all; every object carries the request's
 * TLP 2.0 marking, whose definition is in the bundle. Built only from the request row and fixed
 * constants, ids and timestamps included: the same request gives the same bytes every time.
 */

export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

export type StixObject = { type: string; id: string } & Record<string, unknown>;

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** The TLP 2.0 extension of STIX 2.1 (OASIS cti-stix-common-objects, extension-definition-specifications/tlp-2.0). */
export const TLP_2_0_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The fixed TLP 2.0 marking-definition objects, exactly as OASIS publishes them. */
export const TLP_MARKINGS: Readonly<Record<Tlp, StixObject>> = {
  CLEAR: tlpMarking('94868c89-83c2-464b-929b-a1a8aa3c8487', 'TLP:CLEAR', 'clear'),
  GREEN: tlpMarking('bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'TLP:GREEN', 'green'),
  AMBER: tlpMarking('55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'TLP:AMBER', 'amber'),
  AMBER_STRICT: tlpMarking('939a9414-2ddd-4d32-a0cd-375ea402b003', 'TLP:AMBER+STRICT', 'amber+strict'),
  RED: tlpMarking('e828b379-4e03-4974-9ac4-e53a884c97c1', 'TLP:RED', 'red'),
};

function tlpMarking(uuid: string, name: string, level: string): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: `marking-definition--${uuid}`,
    created: '2022-10-01T00:00:00.000Z',
    name,
    extensions: { [TLP_2_0_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

/**
 * A STIX pattern string literal: `'` and `\` escaped with a backslash (STIX 2.1 Patterning §9.2),
 * so that no value can end the literal early or smuggle in a comparison of its own.
 */
export function stixStringLiteral(value: string): string {
  return `'${value.replace(/[\\']/g, (character) => `\\${character}`)}'`;
}

/** The observable (SCO) an indicator describes, without its id, and the pattern that matches it. */
interface Observation {
  observable: { type: string } & Record<string, unknown>;
  /** The SCO's id-contributing properties (STIX 2.1 §6: `value`, `number` or `hashes` here). */
  identity: Record<string, unknown>;
  pattern: string;
}

const HASH_KEYS = { MD5: 'MD5', SHA1: 'SHA-1', SHA256: 'SHA-256' } as const;
/** Object paths name a hash key with a hyphen in quotes (`hashes.'SHA-256'`); MD5 needs none. */
const HASH_PATHS = { MD5: 'hashes.MD5', SHA1: "hashes.'SHA-1'", SHA256: "hashes.'SHA-256'" } as const;

function observationOf(indicator: ExportedIndicator): Observation {
  const { type, value } = indicator;
  const byValue = (scoType: string, scoValue = value, operator = '='): Observation => ({
    observable: { type: scoType, value: scoValue },
    identity: { value: scoValue },
    pattern: `[${scoType}:value ${operator} ${stixStringLiteral(value)}]`,
  });
  switch (type) {
    case 'IPV4':
      return byValue('ipv4-addr');
    case 'IPV6':
      return byValue('ipv6-addr');
    case 'CIDR':
      // ISSUBSET matches every address of the block; `=` would match only an observed block written the same way.
      return byValue(isIpv4Block(value) ? 'ipv4-addr' : 'ipv6-addr', value, 'ISSUBSET');
    case 'DOMAIN':
      return byValue('domain-name');
    case 'URL':
      return byValue('url', rfc3986Form(value));
    case 'EMAIL':
      return byValue('email-addr');
    case 'ASN': {
      const number = asnNumber(value);
      return { observable: { type: 'autonomous-system', number }, identity: { number }, pattern: `[autonomous-system:number = ${number}]` };
    }
    default: {
      const hashes = { [HASH_KEYS[type]]: value };
      return { observable: { type: 'file', hashes }, identity: { hashes }, pattern: `[file:${HASH_PATHS[type]} = ${stixStringLiteral(value)}]` };
    }
  }
}

/**
 * A `url` observable's value must be an RFC 3986 URI; the registry accepts some URLs a browser would
 * take but RFC 3986 does not (a backslash, a double quote, non-ASCII text), and those characters are
 * percent-encoded here, as RFC 3986 §2.1 says. The indicator's pattern keeps the URL as filed.
 */
export function rfc3986Form(url: string): string {
  const encoded = url.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, percentEncoded);
  // Brackets are allowed around an IPv6 host only: in the path, query or fragment they are encoded too.
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(encoded)?.[0] ?? '';
  return authority + encoded.slice(authority.length).replace(/[[\]]/g, percentEncoded);
}

function percentEncoded(character: string): string {
  return [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** Ids of everything but observables: the request's, so that a second export names the same objects. */
function objectId(type: string, requestId: string, ...discriminator: string[]): string {
  return `${type}--${registryUuid(requestId, type, ...discriminator)}`;
}

export function buildStixBundle(request: ExportedRequest): StixBundle {
  const marking = TLP_MARKINGS[request.tlp];
  const marked = { object_marking_refs: [marking.id] };
  const timestamp = request.createdAt.toISOString();
  const versioned = { created: timestamp, modified: timestamp };

  const identity: StixObject = {
    type: 'identity',
    spec_version: '2.1',
    // One per request rather than per State: its marking is the request's, and one id with two
    // markings at the same `modified` would be two contents for one version.
    id: objectId('identity', request.id, request.requesterState),
    ...versioned,
    name: stateNameOf(request.requesterState),
    identity_class: 'organization',
    sectors: ['government-national'],
    ...marked,
  };
  const authored = { spec_version: '2.1', created_by_ref: identity.id, ...versioned };

  const described: StixObject[] = [];
  const observables = new Set<string>();
  for (const indicator of exportedIndicators(request.indicators)) {
    const { observable, identity: contributing, pattern } = observationOf(indicator);
    const observableId = `${observable.type}--${uuidV5(STIX_SCO_NAMESPACE, canonicalize(contributing) ?? '')}`;
    const indicatorId = objectId('indicator', request.id, indicator.type, indicator.value);
    described.push({
      type: 'indicator',
      ...authored,
      id: indicatorId,
      name: indicator.value,
      pattern,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: indicatorsValidFrom(request).toISOString(),
      ...marked,
    });
    if (!observables.has(observableId)) {
      observables.add(observableId);
      described.push({ ...observable, spec_version: '2.1', id: observableId, ...marked });
    }
    described.push({
      type: 'relationship',
      ...authored,
      id: objectId('relationship', request.id, indicatorId, observableId),
      relationship_type: 'based-on',
      source_ref: indicatorId,
      target_ref: observableId,
      ...marked,
    });
  }

  const report: StixObject = {
    type: 'report',
    ...authored,
    id: objectId('report', request.id),
    name: exportTitleOf(request),
    lang: request.language,
    published: timestamp,
    object_refs: [identity.id, ...described.map((object) => object.id)],
    external_references: [{ source_name: 'cbm-registry', external_id: request.reference }],
    ...marked,
  };
  return {
    type: 'bundle',
    id: `bundle--${registryUuid(request.id, 'bundle')}`,
    objects: [marking, identity, ...described, report].map(typeFirst),
  };
}

/** `type` then `spec_version` then `id` first, as every STIX example writes objects; the rest as built. */
function typeFirst(object: StixObject): StixObject {
  const { type, spec_version: specVersion, id, ...rest } = object;
  return { type, spec_version: specVersion, id, ...rest };
}
