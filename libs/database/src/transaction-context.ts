import { AsyncLocalStorage } from 'node:async_hooks';
import type { Prisma } from './generated/prisma/client';

/**
 * The interactive transaction under way in this async context, whoever opened it. One per process
 * (not per injector): a unit of work opened by one module's service is joined by every repository it
 * calls, whatever module provides them.
 */
export const currentTransaction = new AsyncLocalStorage<Prisma.TransactionClient>();
