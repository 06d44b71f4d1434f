import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { UN_STATES } from '@cbm/database';
import { CreateNeedDto } from '../needs/dto/need.dto';
import { CreateOfferDto } from '../offers/dto/offer.dto';
import { DEMO_STATES } from '../../directory/demo/demo-directory';
import { demoCapacity } from './demo-capacity';

describe('demo capacity-building data', () => {
  const demo = demoCapacity(new Date('2026-12-07T00:00:00Z'));

  it('spans every regional group, among the demo States', () => {
    const codes = [...demo.needs, ...demo.offers].map((entry) => entry.stateCode);
    expect(codes.filter((code) => !DEMO_STATES.some((state) => state.code === code))).toEqual([]);
    expect(new Set(codes.map((code) => UN_STATES.find((state) => state.code === code)!.region)).size).toBe(5);
    expect(demo.proposals.filter((proposal) => proposal.accepted)).toHaveLength(1);
  });

  it('passes the same validation as needs and offers sent to the API', () => {
    const problems = [
      ...demo.needs.map(({ body }) => validateSync(plainToInstance(CreateNeedDto, body), { whitelist: true, forbidNonWhitelisted: true })),
      ...demo.offers.map(({ body }) => validateSync(plainToInstance(CreateOfferDto, body), { whitelist: true, forbidNonWhitelisted: true })),
    ].flatMap((errors) => errors.map((error) => `${error.property}: ${JSON.stringify(error.constraints ?? error.children)}`));
    expect(problems).toEqual([]);
  });

  it('proposes only offers of another State than the need\'s', () => {
    for (const proposal of demo.proposals) expect(demo.offers[proposal.offer].stateCode).not.toBe(demo.needs[proposal.need].stateCode);
  });
});
