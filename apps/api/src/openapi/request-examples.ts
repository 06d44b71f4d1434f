import { ApiBody } from '@nestjs/swagger';

/*
 * The bodies Swagger UI puts in the editor for the main operations: each one the service accepts as
 * it stands (test/openapi-examples.e2e-spec.ts sends them), so "Try it out" then Execute works
 * before anyone edits a field. Generated examples ("string", every optional field at once) would
 * be refused: a disclosure of one kind with another kind's fields, an audience that its TLP forbids.
 */

/** The recipient State of the request example; the test makes it take part. */
export const EXAMPLE_RECIPIENT_STATE = 'BRN';

export const CONTACT_EXAMPLE = {
  kind: 'TECHNICAL',
  name: 'Duty officer, national CERT liaison',
  title: 'Head of incident coordination',
  organisation: 'Ministry of Information Technology and Telecommunication',
  emails: ['duty.officer@moitt.gov.example'],
  phones: [{ number: '+92 51 9201234', label: '24x7' }],
  available24x7: true,
  timeZone: 'Asia/Karachi',
  languages: ['en', 'ur'],
};

export const CERT_EXAMPLE = {
  name: 'National Computer Emergency Response Team',
  shortName: 'PKCERT',
  type: 'NATIONAL',
  constituency: 'Federal government institutions and operators of critical infrastructure',
  website: 'https://www.pkcert.gov.example',
  emergencyPhone: '+92 51 9201234',
  emails: ['incident@pkcert.gov.example'],
  available24x7: true,
  timeZone: 'Asia/Karachi',
  languages: ['en', 'ur'],
  sectors: ['GOVERNMENT_SERVICES', 'TELECOMMUNICATIONS_ICT'],
};

export const REQUEST_EXAMPLE = {
  type: 'ASSISTANCE',
  recipients: [EXAMPLE_RECIPIENT_STATE],
  urgency: 'PRIORITY',
  title: 'Ransomware at the national power grid operator',
  description:
    'Since 6 December the control-centre network of the grid operator has been encrypted by ransomware. ' +
    'The command-and-control servers below are hosted in your jurisdiction.',
  incidentStart: '2026-12-06T22:40:00.000Z',
  sectors: ['ENERGY'],
  indicators: [
    { type: 'IPV4', value: '203.0.113.45' },
    { type: 'DOMAIN', value: 'update-grid-control.example' },
  ],
  requestedActions: 'Please take the servers down and preserve their logs for our investigators.',
  tlp: 'AMBER',
  language: 'en',
};

export const DISCLOSURE_EXAMPLE = {
  kind: 'LAW_OR_POLICY',
  title: 'National Cyber Security Policy 2021',
  summary: 'Sets up the national CERT, sectoral CERTs and the protection of critical information infrastructure.',
  body: '## Scope\n\nThe policy applies to all federal institutions and to operators of critical information infrastructure.',
  sectors: ['GOVERNMENT_SERVICES', 'ENERGY'],
  references: ['https://www.moitt.gov.example/national-cyber-security-policy-2021.pdf'],
  language: 'en',
  dateAdopted: '2021-07-27',
  officialReference: 'Cabinet decision 12/2021',
  tlp: 'CLEAR',
  audience: 'PUBLIC',
};

export const NEED_EXAMPLE = {
  title: 'Setting up a CERT for the energy sector',
  description: 'Advice on the mandate, staffing and procedures of a sectoral CERT, and mentoring of its first analysts.',
  areas: ['CERT_ESTABLISHMENT_AND_MATURITY', 'INCIDENT_RESPONSE'],
  sectors: ['ENERGY'],
  modalities: ['ADVISORY_MISSION', 'MENTORING'],
  languages: ['en', 'fr'],
  neededFrom: '2027-03-01',
  neededBy: '2028-06-30',
  selfAssessment: { model: 'Oxford CMM (2021 edition)', level: 'Formative' },
  tlp: 'GREEN',
  audience: 'ALL_STATES',
};

export const OFFER_EXAMPLE = {
  title: 'Incident handling course for national CERTs',
  description: 'A two-week course with exercises: triage, coordination, forensics basics and reporting.',
  areas: ['INCIDENT_RESPONSE', 'TECHNICAL_TRAINING'],
  modalities: ['TRAINING', 'EXERCISE'],
  languages: ['en', 'es'],
  regions: ['LATIN_AMERICAN_AND_CARIBBEAN', 'ASIA_PACIFIC'],
  places: 24,
  experts: 3,
  availableFrom: '2027-01-15',
  availableUntil: '2028-12-31',
  implementingOrganisation: 'National CERT academy',
  tlp: 'GREEN',
  audience: 'ALL_STATES',
};

export const PROPOSAL_EXAMPLE = {
  message: 'Our CERT academy can run its incident handling course in French in the second quarter, for up to 24 analysts.',
};

/** The request body of an operation, documented with one example that works as it stands. */
export function ApiExampleBody(type: new () => object, summary: string, value: object): MethodDecorator {
  return ApiBody({ type, examples: { example: { summary, value } } });
}
