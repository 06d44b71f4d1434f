/**
 * vCard 4.0 (RFC 6350) for directory entries, so that a duty officer imports a point of contact into
 * Outlook or a phone in one step. Pure functions: the text of a card from an entry's facts.
 *
 * Written here rather than by a library: no maintained npm package generates vCard 4.0 reliably
 * (escaping, UTF-8-safe folding); the tests parse every card back with ical.js, which is the judge.
 */

export const VCARD_MEDIA_TYPE = 'text/vcard; charset=utf-8';

const CRLF = '\r\n';
/** RFC 6350 §3.2: a line SHOULD NOT be longer than 75 octets, excluding the line break. */
const MAX_LINE_OCTETS = 75;

export type PhoneLabel = 'office' | 'mobile' | '24x7' | 'fax' | 'other' | 'emergency';

export interface VCardPhone {
  /** E.164, as the directory stores it. */
  number: string;
  label: PhoneLabel;
}

export interface VCardHours {
  days: string[];
  from: string;
  to: string;
}

/** What a card says about a contact or a CERT; the mappers in vcard-entries.ts fill it. */
export interface VCardEntry {
  id: string;
  /** `org` for a CERT or a function ("Duty officer"), `individual` for a person. */
  kind: 'individual' | 'org';
  name: string;
  /** The State's name first, then the organisation (a ministry, an agency) if any. */
  organisation: string[];
  title: string | null;
  emails: string[];
  phones: VCardPhone[];
  /** ISO 639-1, most preferred first. */
  languages: string[];
  timeZone: string;
  available24x7: boolean;
  hours: VCardHours[] | null;
  website: string | null;
  pgpKey: string | null;
  pgpFingerprint: string | null;
  updatedAt: Date;
}

/** TEL types by the directory's phone label (RFC 6350 §6.4.1; x-24x7 is an x-name, the NOTE also says it). */
const TEL_TYPES: Record<PhoneLabel, string> = {
  office: 'work,voice',
  mobile: 'work,cell',
  '24x7': 'work,voice,x-24x7',
  emergency: 'work,voice,x-24x7',
  fax: 'work,fax',
  other: 'voice',
};

/**
 * A text value (§3.4): backslash, comma and line breaks escaped, semicolons too in a field of a
 * compound property (ORG). In other properties §3.4 only allows escaping a semicolon, and parsers
 * (ical.js among them) then keep the backslash: a name "A; B" would come back as "A\; B".
 * Other control characters, which a value may not hold, become spaces.
 */
export function escapeText(value: string, compound = false): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  return compound ? escaped.replace(/;/g, '\\;') : escaped;
}

/**
 * Folds a content line (§3.2) at 75 octets of UTF-8: continuation lines start with one space, and a
 * multi-byte character is never split (the split falls between code points).
 */
export function foldLine(line: string): string {
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character, 'utf8');
    if (octets + size > MAX_LINE_OCTETS) {
      lines.push(current);
      current = ' ';
      octets = 1;
    }
    current += character;
    octets += size;
  }
  lines.push(current);
  return lines.join(CRLF);
}

/** A timestamp as REV wants it (§4.3.5): 20261207T104745Z. */
export function vCardTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** "24/7", or the weekly hours with their time zone: what a caller needs to know before dialling. */
export function availabilityNote(entry: Pick<VCardEntry, 'available24x7' | 'hours' | 'timeZone'>): string {
  if (entry.available24x7) return `Available 24/7 (time zone ${entry.timeZone}).`;
  if (!entry.hours || entry.hours.length === 0) return `Hours not published (time zone ${entry.timeZone}).`;
  const spans = entry.hours.map((span) => `${span.days.join(' ')} ${span.from}-${span.to}`);
  return `Hours: ${spans.join('; ')} (${entry.timeZone}).`;
}

/** One card, CRLF line ends, folded; ends with a line break so that cards concatenate into a file. */
export function toVCard(entry: VCardEntry): string {
  const lines: string[] = ['BEGIN:VCARD', 'VERSION:4.0', `KIND:${entry.kind}`, `FN:${escapeText(entry.name)}`];
  if (entry.organisation.length > 0) lines.push(`ORG:${entry.organisation.map((field) => escapeText(field, true)).join(';')}`);
  if (entry.title) lines.push(`TITLE:${escapeText(entry.title)}`);
  entry.emails.forEach((email, index) => lines.push(`EMAIL;TYPE=work${index === 0 ? ';PREF=1' : ''}:${escapeText(email)}`));
  for (const phone of entry.phones) lines.push(`TEL;VALUE=uri;TYPE=${TEL_TYPES[phone.label]}:tel:${phone.number}`);
  entry.languages.forEach((language, index) => lines.push(`LANG;PREF=${index + 1}:${language}`));
  lines.push(`TZ;VALUE=text:${escapeText(entry.timeZone)}`);
  if (entry.website) lines.push(`URL;TYPE=work:${entry.website}`);
  if (entry.pgpKey) lines.push(`KEY;MEDIATYPE=application/pgp-keys:data:application/pgp-keys;base64,${Buffer.from(entry.pgpKey, 'utf8').toString('base64')}`);
  const notes = [availabilityNote(entry), ...(entry.pgpFingerprint ? [`OpenPGP fingerprint: ${entry.pgpFingerprint}`] : [])];
  lines.push(`NOTE:${escapeText(notes.join('\n'))}`);
  lines.push(`UID:urn:uuid:${entry.id}`);
  lines.push(`REV:${vCardTimestamp(entry.updatedAt)}`);
  lines.push('END:VCARD');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
