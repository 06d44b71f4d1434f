import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { UN_STATES } from '@cbm/database';
import { CreateCertDto } from '../certs/dto/cert.dto';
import { CreateContactDto } from '../contacts/dto/contact.dto';
import { demoDirectory, DEMO_STATES } from './demo-directory';

describe('demo directory', () => {
  const { certs, contacts } = demoDirectory(new Date('2026-11-26T00:00:00Z'));

  it('is a few hundred entries across every regional group', () => {
    expect(contacts.length).toBeGreaterThan(200);
    expect(certs.length).toBeGreaterThanOrEqual(DEMO_STATES.length);
    const regions = new Set(DEMO_STATES.map((state) => UN_STATES.find((known) => known.code === state.code)!.region));
    expect(regions.size).toBe(5);
  });

  it('passes the same validation as entries sent to the API', () => {
    const failures = [
      ...contacts.map((contact) => validateSync(plainToInstance(CreateContactDto, { ...contact, stateCode: undefined, lastVerifiedAt: undefined, notes: undefined, certId: undefined }), { whitelist: true })),
      ...certs.map((cert) => validateSync(plainToInstance(CreateCertDto, { ...cert, id: undefined, stateCode: undefined, lastVerifiedAt: undefined, notes: undefined }), { whitelist: true })),
    ].filter((errors) => errors.length > 0);
    expect(failures.map((errors) => errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join()}`))).toEqual([]);
  });
});
