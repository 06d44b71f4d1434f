import ICAL from 'ical.js';
import { availabilityNote, escapeText, foldLine, toVCard, VCardEntry } from './vcard';

function entry(overrides: Partial<VCardEntry> = {}): VCardEntry {
  return {
    id: '0b8d7c4e-5a4e-4c2b-9d8e-3f1a2b3c4d5e',
    kind: 'individual',
    name: 'Amina Khan',
    organisation: ['Pakistan', 'Ministry of Foreign Affairs'],
    title: 'Director, cyber policy',
    emails: ['amina@mofa.example', 'cyber@mofa.example'],
    phones: [
      { number: '+92519201234', label: 'office' },
      { number: '+923001234567', label: 'mobile' },
      { number: '+92519205555', label: '24x7' },
      { number: '+92519206666', label: 'fax' },
    ],
    languages: ['en', 'ur'],
    timeZone: 'Asia/Karachi',
    available24x7: false,
    hours: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '09:00', to: '17:00' }],
    website: null,
    pgpKey: null,
    pgpFingerprint: null,
    updatedAt: new Date('2026-12-07T10:47:45.123Z'),
    ...overrides,
  };
}

/** The card as ical.js reads it: one component per card. */
function parse(text: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(text) as unknown as unknown[]);
}

function octets(line: string): number {
  return Buffer.byteLength(line, 'utf8');
}

describe('toVCard', () => {
  it('writes every field, read back the same by ical.js', () => {
    const text = toVCard(entry());
    const card = parse(text);
    expect(card.name).toBe('vcard');
    expect(card.getFirstPropertyValue('version')).toBe('4.0');
    expect(card.getFirstPropertyValue('kind')).toBe('individual');
    expect(card.getFirstPropertyValue('fn')).toBe('Amina Khan');
    expect(card.getFirstProperty('org')!.getValues()).toEqual([['Pakistan', 'Ministry of Foreign Affairs']]);
    expect(card.getFirstPropertyValue('title')).toBe('Director, cyber policy');
    expect(card.getAllProperties('email').map((email) => [email.getFirstValue(), email.getParameter('pref') ?? null])).toEqual([
      ['amina@mofa.example', '1'],
      ['cyber@mofa.example', null],
    ]);
    expect(card.getAllProperties('tel').map((tel) => [tel.type, tel.getParameter('type'), tel.getFirstValue()])).toEqual([
      ['uri', ['work', 'voice'], 'tel:+92519201234'],
      ['uri', ['work', 'cell'], 'tel:+923001234567'],
      ['uri', ['work', 'voice', 'x-24x7'], 'tel:+92519205555'],
      ['uri', ['work', 'fax'], 'tel:+92519206666'],
    ]);
    expect(card.getAllProperties('lang').map((lang) => [lang.getFirstValue(), lang.getParameter('pref')])).toEqual([
      ['en', '1'],
      ['ur', '2'],
    ]);
    expect(card.getFirstPropertyValue('tz')).toBe('Asia/Karachi');
    expect(card.getFirstPropertyValue('note')).toBe('Hours: MON TUE WED THU FRI 09:00-17:00 (Asia/Karachi).');
    expect(card.getFirstPropertyValue('uid')).toBe('urn:uuid:0b8d7c4e-5a4e-4c2b-9d8e-3f1a2b3c4d5e');
    expect(String(card.getFirstPropertyValue('rev'))).toBe('2026-12-07T10:47:45Z');
    expect(card.getFirstProperty('key')).toBeNull();
    expect(card.getFirstProperty('n')).toBeNull();
  });

  it('uses CRLF line ends only and ends with one', () => {
    const text = toVCard(entry());
    expect(text.endsWith('END:VCARD\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('carries the armored key as a data URI, and the fingerprint in the note', () => {
    const armored = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ0000\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----';
    const card = parse(toVCard(entry({ pgpKey: armored, pgpFingerprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F9011223344', available24x7: true })));
    const key = card.getFirstProperty('key')!;
    expect(key.getParameter('mediatype')).toBe('application/pgp-keys');
    const uri = String(key.getFirstValue());
    expect(uri.startsWith('data:application/pgp-keys;base64,')).toBe(true);
    expect(Buffer.from(uri.slice('data:application/pgp-keys;base64,'.length), 'base64').toString('utf8')).toBe(armored);
    expect(card.getFirstPropertyValue('note')).toBe('Available 24/7 (time zone Asia/Karachi).\nOpenPGP fingerprint: A1B2C3D4E5F60718293A4B5C6D7E8F9011223344');
  });

  it('escapes backslashes, commas, semicolons and newlines so hostile names come back intact', () => {
    const hostile = 'Doe, Jane; "Ops" \\ desk\nsecond line\r\nthird';
    const text = toVCard(entry({ name: hostile, title: hostile, organisation: ['Côte d\'Ivoire', 'Agence; cyber, \\ sécurité'] }));
    expect(text).toContain('FN:Doe\\, Jane; "Ops" \\\\ desk\\nsecond line\\nthird\r\n');
    expect(text).toContain('ORG:Côte d\'Ivoire;Agence\\; cyber\\, \\\\ sécurité\r\n');
    const card = parse(text);
    expect(card.getFirstPropertyValue('fn')).toBe('Doe, Jane; "Ops" \\ desk\nsecond line\nthird');
    expect(card.getFirstPropertyValue('title')).toBe('Doe, Jane; "Ops" \\ desk\nsecond line\nthird');
    expect(card.getFirstProperty('org')!.getValues()).toEqual([['Côte d\'Ivoire', 'Agence; cyber, \\ sécurité']]);
  });

  it('drops control characters a value may not hold', () => {
    expect(escapeText('a\u0007b\u001bc\td')).toBe('a b c\td');
  });

  it('folds at 75 octets without splitting a multi-byte character, for Arabic, Chinese and emoji names', () => {
    const arabic = 'المركز الوطني للاستجابة لطوارئ الحاسب الآلي، وزارة الاتصالات وتقنية المعلومات';
    const chinese = '国家计算机网络应急技术处理协调中心'.repeat(4);
    const emoji = '🛡️ Cyber duty desk 🌐'.repeat(6);
    for (const name of [arabic, chinese, emoji]) {
      const text = toVCard(entry({ name, title: name }));
      const physical = text.split('\r\n').slice(0, -1);
      for (const line of physical) {
        expect(octets(line)).toBeLessThanOrEqual(75);
        // A split inside a character would leave U+FFFD when the line is decoded on its own.
        expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
        expect(line.isWellFormed()).toBe(true);
      }
      expect(physical.some((line) => line.startsWith(' '))).toBe(true);
      const card = parse(text);
      expect(card.getFirstPropertyValue('fn')).toBe(name);
      expect(card.getFirstPropertyValue('title')).toBe(name);
    }
  });

  it('folds exactly at the limit: a 75-octet line stays whole, a 76-octet one is split', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
    // 24 three-octet characters (72 octets) then one more: the 25th would cross 75, so it starts the next line.
    expect(foldLine('中'.repeat(26))).toBe(`${'中'.repeat(25)}\r\n ${'中'}`);
    expect(foldLine(`FN:${'中'.repeat(25)}`)).toBe(`FN:${'中'.repeat(24)}\r\n ${'中'}`);
  });

  it('says when to call: 24/7, the weekly hours with their time zone, or that none are published', () => {
    expect(availabilityNote({ available24x7: true, hours: null, timeZone: 'UTC' })).toBe('Available 24/7 (time zone UTC).');
    expect(availabilityNote({ available24x7: false, hours: [{ days: ['SAT'], from: '10:00', to: '12:00' }, { days: ['MON', 'WED'], from: '08:00', to: '16:30' }], timeZone: 'Africa/Nairobi' })).toBe(
      'Hours: SAT 10:00-12:00; MON WED 08:00-16:30 (Africa/Nairobi).',
    );
    expect(availabilityNote({ available24x7: false, hours: [], timeZone: 'Europe/Oslo' })).toBe('Hours not published (time zone Europe/Oslo).');
  });

  it('writes a CERT or a function as an organisation, with its website', () => {
    const card = parse(toVCard(entry({ kind: 'org', title: null, website: 'https://cert.example/', phones: [{ number: '+92519204000', label: 'emergency' }] })));
    expect(card.getFirstPropertyValue('kind')).toBe('org');
    expect(card.getFirstProperty('title')).toBeNull();
    expect(card.getFirstPropertyValue('url')).toBe('https://cert.example/');
    expect(card.getFirstProperty('tel')!.getParameter('type')).toEqual(['work', 'voice', 'x-24x7']);
  });
});
