import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PrismaService } from '@cbm/database';
import { createTestApp, withTestApp } from './support/test-app';

describe('States (public reference data)', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    ({ app } = await createTestApp());
  });
  afterAll(() => app.close());

  it('lists the 193 UN member States and the 2 observer States, ordered by code', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/states').expect(200);
    const items: Array<{ code: string; membership: string }> = response.body.items;
    expect(items).toHaveLength(195);
    expect(items.filter((state) => state.membership === 'MEMBER')).toHaveLength(193);
    expect(items.filter((state) => state.membership === 'OBSERVER').map((state) => state.code).sort()).toEqual(['PSE', 'VAT']);
    const codes = items.map((state) => state.code);
    expect(codes).toEqual([...codes].sort());
    expect(items[0]).toEqual({ code: 'AFG', name: 'Afghanistan', region: 'ASIA_PACIFIC', membership: 'MEMBER', participating: expect.any(Boolean) });
  });

  it('filters by regional group and by participation', async () => {
    const african = await request(app.getHttpServer()).get('/api/v1/states?region=AFRICAN').expect(200);
    expect(african.body.items).toHaveLength(54);
    expect(african.body.items.every((state: { region: string }) => state.region === 'AFRICAN')).toBe(true);

    const participating = await request(app.getHttpServer()).get('/api/v1/states?participating=true').expect(200);
    const notParticipating = await request(app.getHttpServer()).get('/api/v1/states?participating=false').expect(200);
    expect(participating.body.items.every((state: { participating: boolean }) => state.participating)).toBe(true);
    expect(notParticipating.body.items.every((state: { participating: boolean }) => !state.participating)).toBe(true);
    expect(participating.body.items.length + notParticipating.body.items.length).toBe(195);
  });

  it('returns one State by code, case-insensitively', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/states/pak').expect(200);
    expect(response.body).toMatchObject({ code: 'PAK', name: 'Pakistan', region: 'ASIA_PACIFIC', membership: 'MEMBER' });
  });

  it('answers 404 problem+json for a well-formed code that is no State', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/states/XYZ').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'NOT_FOUND', title: 'Not Found' });
  });

  it.each([
    ['/api/v1/states/12', 'code'],
    ['/api/v1/states/PAKI', 'code'],
    ['/api/v1/states?region=MARS', 'region'],
    ['/api/v1/states?participating=maybe', 'participating'],
    ['/api/v1/states?unknownFilter=1', 'unknownFilter'],
  ])('rejects %s with 400 naming the field %s', async (url, field) => {
    const response = await request(app.getHttpServer()).get(url).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('seeds idempotently: a second start writes no row and keeps an administrator\'s participation flag', async () => {
    const prisma = app.get(PrismaService);
    const original = await prisma.state.findUniqueOrThrow({ where: { code: 'PAK' } });
    await prisma.state.update({ where: { code: 'PAK' }, data: { participating: true } });
    const before = await prisma.state.findMany({ select: { code: true, updatedAt: true }, orderBy: { code: 'asc' } });
    try {
      await withTestApp({}, async (second) => {
        const response = await request(second.getHttpServer()).get('/api/v1/states?participating=true').expect(200);
        expect(response.body.items.map((state: { code: string }) => state.code)).toContain('PAK');
      });
      const after = await prisma.state.findMany({ select: { code: true, updatedAt: true }, orderBy: { code: 'asc' } });
      expect(after).toEqual(before);
    } finally {
      await prisma.state.update({ where: { code: 'PAK' }, data: { participating: original.participating } });
    }
  });
});
