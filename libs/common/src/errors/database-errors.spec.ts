import { classifyDatabaseError } from './database-errors';

describe('classifyDatabaseError', () => {
  it.each([
    ['a refused connection from pg', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect', errno: -111 })],
    ['a pool that waited too long for a connection', new Error('timeout exceeded when trying to connect')],
    ['a server shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a statement timeout (57014)', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })],
    ['Prisma P1001', Object.assign(new Error("Can't reach database server"), { code: 'P1001' })],
    ['a deadlock PostgreSQL broke (40P01)', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    ['a serialization failure (40001)', Object.assign(new Error('could not serialize access'), { code: '40001' })],
    ['Prisma P2034 (write conflict or deadlock)', Object.assign(new Error('Transaction failed due to a write conflict or a deadlock'), { code: 'P2034' })],
    ['a raw query whose driver error says the server went away', { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '08006' } } } }],
    ['an adapter error of kind DatabaseNotReachable', { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable' } }],
  ])('reads %s as the database being unavailable', (_label, error) => {
    expect(classifyDatabaseError(error)).toEqual({ kind: 'unavailable' });
  });

  it('reads P2002 with the fields from the driver adapter', () => {
    const error = { code: 'P2002', meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation', constraint: { fields: ['email'] } } } } };
    expect(classifyDatabaseError(error)).toEqual({ kind: 'unique', fields: ['email'] });
  });

  it('reads P2003 as a reference violation and P2025 as not found', () => {
    expect(classifyDatabaseError({ code: 'P2003', meta: { field_name: 'stateCode' } })).toEqual({ kind: 'reference', fields: ['stateCode'] });
    expect(classifyDatabaseError({ code: 'P2025' })).toEqual({ kind: 'not-found' });
  });

  it('leaves everything else to be a server fault', () => {
    expect(classifyDatabaseError(new TypeError('x is undefined'))).toBeUndefined();
    expect(classifyDatabaseError({ code: '42P01', message: 'relation "nope" does not exist' })).toBeUndefined();
    expect(classifyDatabaseError(undefined)).toBeUndefined();
  });
});
