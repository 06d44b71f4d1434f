import type { ConfigService } from '@nestjs/config';
import { AuditChainer } from './audit-chainer';
import type { AuditRepository } from './audit.repository';

function chainerMoving(batches: number[]) {
  const repository = {
    journalIsEmpty: jest.fn().mockResolvedValue(false),
    chainJournal: jest.fn().mockImplementation(() => Promise.resolve(batches.shift() ?? 0)),
    vacuumJournal: jest.fn().mockResolvedValue(undefined),
  };
  const config = { get: () => 'a chain key for the unit test, long enough' } as unknown as ConfigService;
  return { repository, chainer: new AuditChainer(repository as unknown as AuditRepository, config as never) };
}

/** Bootstraps the chainer and answers the sweep it starts, which settles once that sweep is over. */
function bootstrapSweep(chainer: AuditChainer): Promise<void> {
  const sweep = jest.spyOn(chainer as unknown as { sweepJournal(): Promise<void> }, 'sweepJournal');
  chainer.onApplicationBootstrap();
  expect(sweep).toHaveBeenCalledTimes(1);
  return sweep.mock.results[0].value as Promise<void>;
}

describe('AuditChainer', () => {
  it('drains full batches until one comes back short, and vacuums the journal once 2,000 rows have moved', async () => {
    const { repository, chainer } = chainerMoving([500, 500, 500, 500, 3]);
    await bootstrapSweep(chainer);
    await chainer.onApplicationShutdown();
    expect(repository.chainJournal).toHaveBeenCalledTimes(5);
    expect(repository.vacuumJournal).toHaveBeenCalledTimes(1);
  });

  it('leaves a journal that moved little to autovacuum', async () => {
    const { repository, chainer } = chainerMoving([500, 40]);
    await bootstrapSweep(chainer);
    await chainer.onApplicationShutdown();
    expect(repository.chainJournal).toHaveBeenCalledTimes(2);
    expect(repository.vacuumJournal).not.toHaveBeenCalled();
  });

  it('lets calls made while a pass runs share the next pass, which starts after it', async () => {
    const { repository, chainer } = chainerMoving([1, 1]);
    const first = chainer.chainCommitted();
    const [second, third] = [chainer.chainCommitted(), chainer.chainCommitted()];
    expect(second).toBe(third);
    await Promise.all([first, second, third]);
    expect(repository.chainJournal).toHaveBeenCalledTimes(2);
  });
});
