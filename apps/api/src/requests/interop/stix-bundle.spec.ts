import { buildStixBundle, rfc3986Form, stixStringLiteral, StixObject, TLP_MARKINGS } from './stix-bundle';
import { ExportedRequest } from './exported-request';

const request = (overrides: Partial<ExportedRequest> = {}): ExportedRequest => ({
  id: '0b9f4a52-6d1e-4c3a-9f7e-2a8d5c1b3e70',
  reference: 'REQ-2026-000042',
  requesterState: 'SWE',
  title: 'Botnet command servers',
  urgency: 'URGENT',
  tlp: 'AMBER',
  language: 'en',
  createdAt: new Date('2026-12-01T09:30:00.123Z'),
  incidentStart: null,
  indicators: [],
  ...overrides,
});

const ofType = (objects: StixObject[], type: string) => objects.filter((object) => object.type === type);

describe('STIX bundle of a request', () => {
  it('escapes quotes and backslashes in pattern literals, and nothing else', () => {
    expect(stixStringLiteral("a'b\\c")).toBe("'a\\'b\\\\c'");
    expect(stixStringLiteral("' OR 1=1 ]")).toBe("'\\' OR 1=1 ]'");
    expect(stixStringLiteral('\\')).toBe("'\\\\'");
    expect(stixStringLiteral('plain "double" quotes')).toBe("'plain \"double\" quotes'");
  });

  it('percent-encodes, in url observables only, the characters RFC 3986 does not allow', () => {
    expect(rfc3986Form('https://x.example/a?b=c&d=%41#e')).toBe('https://x.example/a?b=c&d=%41#e');
    expect(rfc3986Form("https://x.example/a'b\\c")).toBe("https://x.example/a'b%5Cc");
    expect(rfc3986Form('https://x.example/"é"/100%')).toBe('https://x.example/%22%C3%A9%22/100%25');
    expect(rfc3986Form("https://x.example/?q=']+OR+[a")).toBe("https://x.example/?q='%5D+OR+%5Ba");
    expect(rfc3986Form('http://[2001:db8::1]:8080/a[1]')).toBe('http://[2001:db8::1]:8080/a%5B1%5D');
  });

  it('maps each indicator type to its observable and pattern, with STIX deterministic observable ids', () => {
    const bundle = buildStixBundle(
      request({
        indicators: [
          { type: 'IPV4', value: '198.51.100.7' },
          { type: 'CIDR', value: '198.51.100.0/24' },
          { type: 'CIDR', value: '2001:db8::/32' },
          { type: 'IPV6', value: '2001:db8::1' },
          { type: 'DOMAIN', value: 'C2.Bad-Actor.example' },
          { type: 'URL', value: "https://x.example/a'b\\c" },
          { type: 'EMAIL', value: "o'brien@bad-actor.example" },
          { type: 'ASN', value: 'AS64500' },
          { type: 'MD5', value: 'D41D8CD98F00B204E9800998ECF8427E' },
          { type: 'SHA1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
          { type: 'SHA256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
        ],
      }),
    );
    expect(ofType(bundle.objects, 'indicator').map((indicator) => indicator.pattern)).toEqual([
      "[ipv4-addr:value = '198.51.100.7']",
      "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
      "[ipv6-addr:value = '2001:db8::1']",
      "[domain-name:value = 'c2.bad-actor.example']",
      "[url:value = 'https://x.example/a\\'b\\\\c']",
      "[email-addr:value = 'o\\'brien@bad-actor.example']",
      '[autonomous-system:number = 64500]',
      "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
      "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    ]);
    const byId = new Map(bundle.objects.map((object) => [object.id, object]));
    // Known answers from Python's uuid.uuid5 over json.dumps(sort_keys=True, separators=(',', ':')).
    expect(byId.get('ipv4-addr--12592121-be4c-5a93-a813-5a5af16e50db')).toMatchObject({ value: '198.51.100.7' });
    expect(byId.get('ipv4-addr--1ea47840-aa39-5aa8-b4a2-cd203eb6662a')).toMatchObject({ value: '198.51.100.0/24' });
    expect(byId.get('autonomous-system--0a5f7072-df00-5729-9f0a-4eb18631a446')).toMatchObject({ number: 64500 });
    expect(byId.get('url--99e7ceeb-e3f9-5bcf-b633-a614f6db840a')).toMatchObject({ value: "https://x.example/a'b%5Cc" });
    expect(byId.get('file--22f8ff52-8f62-5f03-a53a-6f50f54fd74c')).toMatchObject({
      hashes: { 'SHA-256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    });
    // Every indicator is based on its observable.
    for (const relationship of ofType(bundle.objects, 'relationship')) {
      expect(relationship.relationship_type).toBe('based-on');
      expect(byId.get(relationship.source_ref as string)?.type).toBe('indicator');
      expect(byId.has(relationship.target_ref as string)).toBe(true);
    }
    expect(ofType(bundle.objects, 'relationship')).toHaveLength(11);
  });

  it('marks every object with the TLP 2.0 marking it includes, and the report lists everything else', () => {
    for (const [tlp, marking] of Object.entries(TLP_MARKINGS)) {
      const bundle = buildStixBundle(request({ tlp: tlp as ExportedRequest['tlp'], indicators: [{ type: 'IPV4', value: '198.51.100.7' }] }));
      expect(bundle.objects[0]).toEqual(marking);
      const others = bundle.objects.slice(1);
      for (const object of others) expect(object.object_marking_refs).toEqual([marking.id]);
      const [report] = ofType(bundle.objects, 'report');
      expect(report.object_refs).toEqual(others.filter((object) => object !== report).map((object) => object.id));
    }
  });

  it('is the same bytes for the same request, and other ids for another request', () => {
    const indicators = [{ type: 'URL', value: 'https://x.example/' }, { type: 'URL', value: 'https://x.example/' }];
    const once = JSON.stringify(buildStixBundle(request({ indicators })));
    expect(JSON.stringify(buildStixBundle(request({ indicators })))).toBe(once);
    // The duplicate indicator appears once.
    expect(ofType(JSON.parse(once).objects, 'indicator')).toHaveLength(1);
    const other = buildStixBundle(request({ id: '1c0e0a52-6d1e-4c3a-9f7e-2a8d5c1b3e70', indicators }));
    expect(other.id).not.toBe(JSON.parse(once).id);
    // …but the same observable (a URL is a URL, whoever reports it).
    expect(ofType(other.objects, 'url')[0].id).toBe(ofType(JSON.parse(once).objects, 'url')[0].id);
  });

  it('dates the indicators from the incident start when given, and everything else from the filing', () => {
    const bundle = buildStixBundle(request({ incidentStart: new Date('2026-11-20T08:00:00Z'), indicators: [{ type: 'IPV4', value: '198.51.100.7' }] }));
    const [indicator] = ofType(bundle.objects, 'indicator');
    expect(indicator).toMatchObject({ valid_from: '2026-11-20T08:00:00.000Z', created: '2026-12-01T09:30:00.123Z', modified: '2026-12-01T09:30:00.123Z' });
    expect(ofType(bundle.objects, 'report')[0]).toMatchObject({ name: 'REQ-2026-000042: Botnet command servers', published: '2026-12-01T09:30:00.123Z', lang: 'en' });
    expect(ofType(bundle.objects, 'identity')[0]).toMatchObject({ name: 'Sweden', identity_class: 'organization' });
  });
});
