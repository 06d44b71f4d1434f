import { Cert, Contact } from '@cbm/database';
import { PhoneLabel, VCardEntry, VCardHours, VCardPhone } from './vcard';

/**
 * A contact named after its function ("Duty officer", title "Duty officer") is a desk, not a person:
 * its card is KIND:org. The directory has no separate flag for it; name equal to title is how the
 * States (and the demo data) write a function.
 */
export function isFunctionContact(contact: Pick<Contact, 'name' | 'title'>): boolean {
  return contact.title !== null && contact.name.trim().toLowerCase() === contact.title.trim().toLowerCase();
}

export function contactVCardEntry(contact: Contact, stateName: string): VCardEntry {
  return {
    id: contact.id,
    kind: isFunctionContact(contact) ? 'org' : 'individual',
    name: contact.name,
    organisation: [stateName, ...(contact.organisation ? [contact.organisation] : [])],
    title: contact.title,
    emails: contact.emails,
    phones: (contact.phones as unknown as VCardPhone[]) ?? [],
    languages: contact.languages,
    timeZone: contact.timeZone,
    available24x7: contact.available24x7,
    hours: (contact.hours as unknown as VCardHours[] | null) ?? null,
    website: null,
    pgpKey: contact.pgpKey,
    pgpFingerprint: contact.pgpFingerprint,
    updatedAt: contact.updatedAt,
  };
}

/** A CERT is an organisation: its emergency line is its phone. */
export function certVCardEntry(cert: Cert, stateName: string): VCardEntry {
  const emergency: PhoneLabel = 'emergency';
  return {
    id: cert.id,
    kind: 'org',
    name: cert.name,
    organisation: [stateName, cert.name],
    title: null,
    emails: cert.emails,
    phones: cert.emergencyPhone ? [{ number: cert.emergencyPhone, label: cert.available24x7 ? emergency : 'office' }] : [],
    languages: cert.languages,
    timeZone: cert.timeZone,
    available24x7: cert.available24x7,
    hours: (cert.hours as unknown as VCardHours[] | null) ?? null,
    website: cert.website,
    pgpKey: cert.pgpKey,
    pgpFingerprint: cert.pgpFingerprint,
    updatedAt: cert.updatedAt,
  };
}
