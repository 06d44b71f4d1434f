import { registryUuid, STIX_SCO_NAMESPACE, uuidV5 } from './uuid-v5';

/** Known answers computed outside this code base, with Python's uuid.uuid5 (and json.dumps(sort_keys, compact) for STIX). */
describe('uuidV5', () => {
  it('gives the RFC 9562 name-based UUIDs of independent implementations', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(uuidV5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'https://cbm.example/é')).toBe('3f7422dc-dca8-5560-812f-72a4aec243a7');
  });

  it('gives the STIX 2.1 deterministic ids of observables (namespace 00abedb4-…)', () => {
    expect(uuidV5(STIX_SCO_NAMESPACE, '{"value":"198.51.100.7"}')).toBe('12592121-be4c-5a93-a813-5a5af16e50db');
    expect(uuidV5(STIX_SCO_NAMESPACE, '{"number":64500}')).toBe('0a5f7072-df00-5729-9f0a-4eb18631a446');
  });

  it('names registry objects by their parts, and different parts differently', () => {
    expect(registryUuid('a', 'b')).toBe(registryUuid('a', 'b'));
    expect(registryUuid('a', 'b')).not.toBe(registryUuid('a', 'c'));
    expect(registryUuid('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses a namespace that is no UUID', () => {
    expect(() => uuidV5('not-a-uuid', 'x')).toThrow('Not a UUID');
  });
});
