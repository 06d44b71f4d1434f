import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { Prisma } from './generated/prisma/client';
import { withPoolClient } from './pool-client';
import { PrismaService } from './prisma.service';
import { afterCommitHooks, currentTransaction } from './transaction-context';

export type TransactionIsolation = 'ReadCommitted' | 'RepeatableRead' | 'Serializable';

/** How a unit of work opens its transaction; ignored when it joins one already under way. */
export interface TransactionOptions {
  isolation?: TransactionIsolation;
  /** Longer than Prisma's 5-second default, for the few units of work that write thousands of rows. */
  timeoutMs?: number;
}

/**
 * The database as repositories reach it: `prisma` is the transaction of the unit of work under way
 * (or the client outside one); `pool` is for hot statements written as SQL, each atomic on its own
 * and never part of a unit of work.
 */
@Injectable()
export class Database {
  constructor(private readonly prismaService: PrismaService) {}

  get prisma(): Prisma.TransactionClient {
    return currentTransaction.getStore() ?? this.prismaService;
  }

  /** A transaction of its own, or the unit of work's when one is under way. */
  async transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>, isolation?: TransactionIsolation, timeoutMs?: number): Promise<T> {
    const joined = currentTransaction.getStore();
    if (joined) return work(joined);
    const options = { ...(isolation ? { isolationLevel: isolation } : {}), ...(timeoutMs ? { timeout: timeoutMs } : {}) };
    const hooks = new Set<() => Promise<void>>();
    // The transaction becomes the context's: every repository called inside `work` joins it.
    const result = await afterCommitHooks.run(hooks, () =>
      this.prismaService.$transaction((tx) => currentTransaction.run(tx, () => work(tx)), isolation || timeoutMs ? options : undefined),
    );
    for (const hook of hooks) await hook();
    return result;
  }

  /** Runs `hook` once the transaction under way has committed (never if it rolls back); outside one, now. */
  async afterCommit(hook: () => Promise<void>): Promise<void> {
    const hooks = afterCommitHooks.getStore();
    if (hooks && currentTransaction.getStore()) hooks.add(hook);
    else await hook();
  }

  get pool(): Pool {
    return this.prismaService.pool;
  }

  withPoolClient<T>(use: (client: PoolClient) => Promise<T>): Promise<T> {
    return withPoolClient(this.prismaService.pool, use);
  }
}

/**
 * What services use to make several repository calls one change: every repository call inside
 * `run` joins its transaction, and an audit or outbox event recorded inside exists if and only if
 * the change does. Services never see the transaction itself: only repositories reach the database
 * (enforced by ESLint, see eslint.config.mjs).
 */
@Injectable()
export class UnitOfWork {
  constructor(private readonly database: Database) {}

  /** Runs `work` in one transaction; inside another unit of work, it joins that one. */
  run<T>(work: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.database.transaction(() => work(), options.isolation, options.timeoutMs);
  }

  /**
   * Runs `hook` after the outermost unit of work under way commits, before it returns (once, however
   * often it is registered); outside a unit of work, at once.
   */
  afterCommit(hook: () => Promise<void>): Promise<void> {
    return this.database.afterCommit(hook);
  }
}
