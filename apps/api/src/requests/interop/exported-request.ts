import { isIPv4 } from 'node:net';
import { Tlp, UN_STATES, Urgency } from '@cbm/database';
import { INDICATOR_TYPES, IndicatorType } from '../indicators';

/** What the STIX and MISP exports read of a request: the parties' view, never answers or messages. */
export interface ExportedRequest {
  id: string;
  reference: string;
  requesterState: string;
  title: string;
  urgency: Urgency;
  tlp: Tlp;
  language: string;
  createdAt: Date;
  incidentStart: Date | null;
  /** As stored: `[{ type, value }]`. */
  indicators: unknown;
}

export interface ExportedIndicator {
  type: IndicatorType;
  value: string;
}

const STATE_NAMES = new Map(UN_STATES.map((state) => [state.code, state.name]));

/** The requesting State as people name it (the UN's short name), its code if unknown. */
export function stateNameOf(stateCode: string): string {
  return STATE_NAMES.get(stateCode) ?? stateCode;
}

/** `REQ-2026-000123: <title>`, the name both formats give the request. */
export function exportTitleOf(request: Pick<ExportedRequest, 'reference' | 'title'>): string {
  return `${request.reference}: ${request.title}`;
}

/** When the indicators were first seen: the incident's start if the requester gave one, else the filing. */
export function indicatorsValidFrom(request: Pick<ExportedRequest, 'createdAt' | 'incidentStart'>): Date {
  return request.incidentStart ?? request.createdAt;
}

/**
 * The request's indicators in the form both exports use, in the order filed, each once. Case carries
 * no meaning in a domain name or a hash, so those are lower-cased (the form MISP stores, and one STIX
 * observable id per domain or file whatever the requester typed); an ASN is its number.
 */
export function exportedIndicators(stored: unknown): ExportedIndicator[] {
  if (!Array.isArray(stored)) return [];
  const seen = new Set<string>();
  const indicators: ExportedIndicator[] = [];
  for (const entry of stored as Array<{ type?: unknown; value?: unknown }>) {
    if (typeof entry?.value !== 'string' || !(INDICATOR_TYPES as readonly unknown[]).includes(entry.type)) continue;
    const type = entry.type as IndicatorType;
    const value = normalized(type, entry.value.trim());
    const key = `${type} ${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    indicators.push({ type, value });
  }
  return indicators;
}

function normalized(type: IndicatorType, value: string): string {
  switch (type) {
    case 'DOMAIN':
    case 'MD5':
    case 'SHA1':
    case 'SHA256':
      return value.toLowerCase();
    case 'ASN':
      return String(asnNumber(value));
    default:
      return value;
  }
}

/** `AS64500` or `64500` → 64500. */
export function asnNumber(value: string): number {
  return Number(value.replace(/^AS/i, ''));
}

/** Whether a CIDR block is IPv4 (else IPv6). */
export function isIpv4Block(cidr: string): boolean {
  return isIPv4(cidr.split('/')[0]);
}
