import { ExportedRequest } from './exported-request';
import { buildMispEvent, mispOrganisationUuid } from './misp-event';

const request = (overrides: Partial<ExportedRequest> = {}): ExportedRequest => ({
  id: '0b9f4a52-6d1e-4c3a-9f7e-2a8d5c1b3e70',
  reference: 'REQ-2026-000042',
  requesterState: 'SWE',
  title: 'Botnet command servers',
  urgency: 'ROUTINE',
  tlp: 'AMBER_STRICT',
  language: 'en',
  createdAt: new Date('2026-12-01T09:30:00.123Z'),
  incidentStart: null,
  indicators: [],
  ...overrides,
});

describe('MISP event of a request', () => {
  it('names, dates, grades and tags the event from the request', () => {
    const { Event: event } = buildMispEvent(request());
    expect(event).toMatchObject({
      info: 'REQ-2026-000042: Botnet command servers',
      date: '2026-12-01',
      threat_level_id: '3',
      analysis: '0',
      distribution: '0',
      published: false,
      timestamp: '1796117400',
      Orgc: { uuid: mispOrganisationUuid('SWE'), name: 'Sweden' },
      Attribute: [],
      Tag: [{ name: 'tlp:amber+strict' }],
    });
  });

  it.each([
    ['CRITICAL', '1'],
    ['URGENT', '1'],
    ['PRIORITY', '2'],
    ['ROUTINE', '3'],
  ] as const)('grades %s as threat level %s', (urgency, level) => expect(buildMispEvent(request({ urgency })).Event.threat_level_id).toBe(level));

  it('gives each indicator MISP\'s type, default category and IDS flag, values as MISP stores them', () => {
    const { Event: event } = buildMispEvent(
      request({
        indicators: [
          { type: 'CIDR', value: '198.51.100.0/24' },
          { type: 'ASN', value: 'as64500' },
          { type: 'SHA1', value: 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709' },
          { type: 'EMAIL', value: 'phish@bad-actor.example' },
        ],
      }),
    );
    expect(event.Attribute.map(({ type, category, value, to_ids: toIds }) => ({ type, category, value, toIds }))).toEqual([
      { type: 'ip-dst', category: 'Network activity', value: '198.51.100.0/24', toIds: true },
      { type: 'AS', category: 'Network activity', value: '64500', toIds: false },
      { type: 'sha1', category: 'Payload delivery', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', toIds: true },
      { type: 'email-src', category: 'Payload delivery', value: 'phish@bad-actor.example', toIds: true },
    ]);
    expect(new Set(event.Attribute.map((attribute) => attribute.uuid)).size).toBe(4);
  });

  it('is the same for the same request; the State keeps its organisation across requests', () => {
    const indicators = [{ type: 'DOMAIN', value: 'c2.bad-actor.example' }];
    expect(JSON.stringify(buildMispEvent(request({ indicators })))).toBe(JSON.stringify(buildMispEvent(request({ indicators }))));
    const other = buildMispEvent(request({ id: '1c0e0a52-6d1e-4c3a-9f7e-2a8d5c1b3e70', indicators })).Event;
    expect(other.uuid).not.toBe(buildMispEvent(request({ indicators })).Event.uuid);
    expect(other.Attribute[0].uuid).not.toBe(buildMispEvent(request({ indicators })).Event.Attribute[0].uuid);
    expect(other.Orgc.uuid).toBe(mispOrganisationUuid('SWE'));
  });
});
