import { randomUUID } from 'node:crypto';
import { CertType, ContactKind, Sector, TrustedIntroducerStatus } from '@cbm/database';
import { toE164 } from '../validation/directory.validators';
import type { DemoCert, DemoContact } from './demo-directory.repository';

/** A deterministic pseudo-random sequence (mulberry32), so that the demo is the same every time. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** States of every regional group, with a capital's time zone, a phone prefix and working languages. */
export const DEMO_STATES: ReadonlyArray<{ code: string; timeZone: string; dial: string; languages: string[] }> = [
  { code: 'PAK', timeZone: 'Asia/Karachi', dial: '+92 51 920', languages: ['en', 'ur'] },
  { code: 'IND', timeZone: 'Asia/Kolkata', dial: '+91 11 2301', languages: ['en', 'hi'] },
  { code: 'CHN', timeZone: 'Asia/Shanghai', dial: '+86 10 6596', languages: ['zh', 'en'] },
  { code: 'JPN', timeZone: 'Asia/Tokyo', dial: '+81 3 3580', languages: ['ja', 'en'] },
  { code: 'IDN', timeZone: 'Asia/Jakarta', dial: '+62 21 344', languages: ['id', 'en'] },
  { code: 'SAU', timeZone: 'Asia/Riyadh', dial: '+966 11 405', languages: ['ar', 'en'] },
  { code: 'KOR', timeZone: 'Asia/Seoul', dial: '+82 2 2100', languages: ['ko', 'en'] },
  { code: 'AUS', timeZone: 'Australia/Sydney', dial: '+61 2 6261', languages: ['en'] },
  { code: 'FJI', timeZone: 'Pacific/Fiji', dial: '+679 330', languages: ['en', 'fj'] },
  { code: 'KEN', timeZone: 'Africa/Nairobi', dial: '+254 20 431', languages: ['en', 'sw'] },
  { code: 'NGA', timeZone: 'Africa/Lagos', dial: '+234 9 523', languages: ['en'] },
  { code: 'EGY', timeZone: 'Africa/Cairo', dial: '+20 2 2574', languages: ['ar', 'en', 'fr'] },
  { code: 'ZAF', timeZone: 'Africa/Johannesburg', dial: '+27 12 351', languages: ['en', 'af', 'zu'] },
  { code: 'SEN', timeZone: 'Africa/Dakar', dial: '+221 33 889', languages: ['fr', 'wo'] },
  { code: 'MAR', timeZone: 'Africa/Casablanca', dial: '+212 537 76', languages: ['ar', 'fr'] },
  { code: 'GHA', timeZone: 'Africa/Accra', dial: '+233 30 266', languages: ['en'] },
  { code: 'RUS', timeZone: 'Europe/Moscow', dial: '+7 495 244', languages: ['ru', 'en'] },
  { code: 'POL', timeZone: 'Europe/Warsaw', dial: '+48 22 523', languages: ['pl', 'en'] },
  { code: 'EST', timeZone: 'Europe/Tallinn', dial: '+372 637', languages: ['et', 'en', 'ru'] },
  { code: 'UKR', timeZone: 'Europe/Kyiv', dial: '+380 44 238', languages: ['uk', 'en'] },
  { code: 'SRB', timeZone: 'Europe/Belgrade', dial: '+381 11 306', languages: ['sr', 'en'] },
  { code: 'BRA', timeZone: 'America/Sao_Paulo', dial: '+55 61 2030', languages: ['pt', 'en', 'es'] },
  { code: 'MEX', timeZone: 'America/Mexico_City', dial: '+52 55 3686', languages: ['es', 'en'] },
  { code: 'ARG', timeZone: 'America/Argentina/Buenos_Aires', dial: '+54 11 4819', languages: ['es'] },
  { code: 'CHL', timeZone: 'America/Santiago', dial: '+56 2 2827', languages: ['es'] },
  { code: 'COL', timeZone: 'America/Bogota', dial: '+57 601 381', languages: ['es'] },
  { code: 'JAM', timeZone: 'America/Jamaica', dial: '+1 876 926', languages: ['en'] },
  { code: 'FRA', timeZone: 'Europe/Paris', dial: '+33 1 4317', languages: ['fr', 'en'] },
  { code: 'DEU', timeZone: 'Europe/Berlin', dial: '+49 30 1817', languages: ['de', 'en'] },
  { code: 'GBR', timeZone: 'Europe/London', dial: '+44 20 7008', languages: ['en'] },
  { code: 'CAN', timeZone: 'America/Toronto', dial: '+1 613 944', languages: ['en', 'fr'] },
  { code: 'NOR', timeZone: 'Europe/Oslo', dial: '+47 23 95', languages: ['no', 'en'] },
  { code: 'CHE', timeZone: 'Europe/Zurich', dial: '+41 58 462', languages: ['de', 'fr', 'it', 'en'] },
  { code: 'USA', timeZone: 'America/New_York', dial: '+1 202 647', languages: ['en', 'es'] },
];

const FUNCTIONS: Record<ContactKind, string[]> = {
  [ContactKind.DIPLOMATIC]: ['Cyber ambassador', 'Director, international security', 'Permanent mission, first secretary', 'Deputy director, disarmament'],
  [ContactKind.POLICY]: ['National cybersecurity coordinator', 'Head of cyber policy', 'Critical infrastructure protection lead', 'Senior policy adviser'],
  [ContactKind.TECHNICAL]: ['Duty officer', 'Incident response lead', 'Threat intelligence analyst', 'Head of operations', 'Vulnerability coordinator'],
};
const SECTORS = Object.values(Sector);

/** Every demo entry carries this note, so that a second run can tell the demo is already there. */
export const DEMO_NOTE = 'Demo data';

export interface DemoEntries {
  certs: DemoCert[];
  contacts: DemoContact[];
}

/** Some 34 States, ~60 CERTs and ~300 contacts: enough for a newcomer to see a living directory. */
export function demoDirectory(now = new Date()): DemoEntries {
  const random = sequence(2026);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const certs: DemoCert[] = [];
  const contacts: DemoContact[] = [];
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

  for (const state of DEMO_STATES) {
    const domain = `${state.code.toLowerCase()}.demo.example`;
    const certCount = 1 + Math.floor(random() * 2);
    const certIds: string[] = [];
    for (let index = 0; index < certCount; index++) {
      const id = randomUUID();
      certIds.push(id);
      const national = index === 0;
      certs.push({
        id,
        stateCode: state.code,
        name: national ? `National CERT of ${state.code}` : `${state.code} financial sector CSIRT`,
        shortName: national ? `${state.code}-CERT` : `${state.code}-FIN-CSIRT`,
        type: national ? CertType.NATIONAL : CertType.SECTOR,
        constituency: national ? 'Government networks and operators of critical infrastructure' : 'Banks and payment operators',
        website: `https://cert.${domain}/`,
        emails: [`incident@cert.${domain}`],
        emergencyPhone: toE164(`${state.dial}${4000 + index}`.replace(/\s+/g, '')) ?? null,
        available24x7: national,
        timeZone: state.timeZone,
        languages: state.languages,
        rfc2350Url: `https://cert.${domain}/rfc2350.txt`,
        firstMember: random() < 0.6,
        trustedIntroducer: pick([TrustedIntroducerStatus.NONE, TrustedIntroducerStatus.LISTED, TrustedIntroducerStatus.ACCREDITED, TrustedIntroducerStatus.CERTIFIED]),
        sectors: national ? [pick(SECTORS), pick(SECTORS)].filter((sector, i, all) => all.indexOf(sector) === i) : [Sector.FINANCE],
        lastVerifiedAt: random() < 0.7 ? daysAgo(Math.floor(random() * 300)) : null,
        notes: DEMO_NOTE,
      });
    }
    const contactCount = 6 + Math.floor(random() * 6);
    for (let index = 0; index < contactCount; index++) {
      const kind = index < 2 ? ContactKind.DIPLOMATIC : index < 4 ? ContactKind.POLICY : ContactKind.TECHNICAL;
      const title = pick(FUNCTIONS[kind]);
      contacts.push({
        stateCode: state.code,
        kind,
        name: kind === ContactKind.TECHNICAL && index % 2 === 0 ? 'Duty officer' : `${title} (${state.code} ${index + 1})`,
        title,
        organisation: kind === ContactKind.DIPLOMATIC ? 'Ministry of Foreign Affairs' : kind === ContactKind.POLICY ? 'National Cybersecurity Agency' : `National CERT of ${state.code}`,
        emails: [`contact${index + 1}@${domain}`],
        phones: [toE164(`${state.dial}${String(1000 + index * 7)}`.replace(/\s+/g, ''))]
          .filter((number): number is string => number !== undefined)
          .map((number) => ({ number, label: kind === ContactKind.TECHNICAL ? '24x7' : 'office' })),
        available24x7: kind === ContactKind.TECHNICAL && index % 2 === 0,
        hours: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '09:00', to: '17:00' }],
        timeZone: state.timeZone,
        languages: state.languages,
        certId: kind === ContactKind.TECHNICAL ? certIds[0] : null,
        lastVerifiedAt: random() < 0.65 ? daysAgo(Math.floor(random() * 360)) : null,
        notes: DEMO_NOTE,
      });
    }
  }
  return { certs, contacts };
}
