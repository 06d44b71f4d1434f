import { checkIfMatch, DomainError, staleWrite } from '@cbm/common';
import { UnitOfWork } from '@cbm/database';

/** How a kind of State-owned, versioned record is read locked and written at a version. */
export interface OwnedStore<Row extends { version: number }, Changes> {
  findOwnForUpdate(stateCode: string, id: string): Promise<Row | undefined>;
  updateAtVersion(stateCode: string, id: string, version: number, changes: Changes): Promise<boolean>;
}

export interface OwnedChange<Row, Changes> {
  stateCode: string;
  id: string;
  /** What a 404 names: another State's record is not found, like one that does not exist. */
  entity: string;
  ifMatch: string | undefined;
  /** Edits require If-Match (428 without); lifecycle steps take it when given. */
  ifMatchRequired: boolean;
  /** The changes from the record as read (locked); throws to refuse the step. */
  changes: (before: Row) => Promise<Changes>;
  /** Inside the same unit of work, with the record as written: its audit event, its notices. */
  afterwards: (after: Row) => Promise<void>;
}

/**
 * One change of a need or an offer, as every step of their lifecycles makes it: in one unit of
 * work, the owner's record read and locked, If-Match checked against its version, the changes
 * written only at that version (412 if another write came first), then read back as written.
 */
export async function changeOwned<Row extends { version: number }, Changes>(
  unitOfWork: UnitOfWork,
  store: OwnedStore<Row, Changes>,
  change: OwnedChange<Row, Changes>,
): Promise<Row> {
  if (change.ifMatch === undefined && change.ifMatchRequired) checkIfMatch(change.ifMatch, { version: 0 }, true);
  return unitOfWork.run(async () => {
    const before = await store.findOwnForUpdate(change.stateCode, change.id);
    if (!before) throw DomainError.notFound(change.entity);
    checkIfMatch(change.ifMatch, before, change.ifMatchRequired);
    if (!(await store.updateAtVersion(change.stateCode, change.id, before.version, await change.changes(before)))) throw staleWrite();
    const after = await store.findOwnForUpdate(change.stateCode, change.id);
    if (!after) throw DomainError.notFound(change.entity);
    await change.afterwards(after);
    return after;
  });
}
