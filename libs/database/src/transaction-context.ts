import { AsyncLocalStorage } from 'node:async_hooks';
import type { Prisma } from './generated/prisma/client';

/**
 * The interactive transaction Database.transaction opened in this async context. One per process
 * (not per injector): a unit of work opened by one module's service is joined by every repository it
 * calls, whatever module provides them.
 */
export const currentTransaction = new AsyncLocalStorage<Prisma.TransactionClient>();

/**
 * What runs once the outermost transaction of this async context has committed (UnitOfWork.afterCommit):
 * work that must see the change committed, such as moving its journaled audit event into the chain.
 */
export const afterCommitHooks = new AsyncLocalStorage<Set<() => Promise<void>>>();
