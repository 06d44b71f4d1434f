import { createHash } from 'node:crypto';

/**
 * Name-based UUIDs (RFC 9562 §5.5: SHA-1 of the namespace's bytes and the name's UTF-8). Written here
 * rather than taken from the `uuid` package: its maintained releases (12 and later) are ES modules
 * only, which this CommonJS build and Jest cannot load, and the algorithm is eight lines with
 * known-answer vectors in uuid-v5.spec.ts.
 */
export function uuidV5(namespace: string, name: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new Error(`Not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** STIX 2.1 §2.9: the namespace of deterministic cyber-observable (SCO) ids. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * The registry's own namespace for every other exported id (STIX objects, MISP events, attributes
 * and organisations): fixed forever, so that a request exported twice, by any instance, gives the
 * same ids and a platform that imported it once updates instead of duplicating.
 */
export const REGISTRY_NAMESPACE = '6863dc80-a8d3-4106-a074-14549c4d7965';

/** A registry id for `parts` (e.g. a request id and what the object is to it). */
export function registryUuid(...parts: string[]): string {
  return uuidV5(REGISTRY_NAMESPACE, parts.join(':'));
}
