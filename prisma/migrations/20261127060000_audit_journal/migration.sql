-- Audit events journaled by a change's own transaction, chained after it commits (see AuditChainer).
-- Appending to the chain in the change's transaction held the chain's lock until COMMIT, so every
-- filing of a request waited for the one before it: throughput was one commit at a time.
CREATE TABLE "audit_journal" (
    "id" BIGSERIAL NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "actorUserId" UUID,
    "actorApiKeyId" UUID,
    "actorStateCode" CHAR(3),
    "stateCode" CHAR(3),
    "action" TEXT NOT NULL,
    "entityType" TEXT,
    "entityId" TEXT,
    "summary" JSONB,
    "requestId" TEXT,
    "ip" TEXT,

    CONSTRAINT "audit_journal_pkey" PRIMARY KEY ("id")
);

-- A journaled event is moved whole or not at all: it can be inserted and deleted, never edited.
CREATE FUNCTION audit_journal_is_not_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_journal entries are moved into the chain, never edited: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_journal_not_edited
  BEFORE UPDATE OR TRUNCATE ON "audit_journal"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_journal_is_not_edited();

-- The journal is a queue: every filing inserts a row and the chainer deletes it milliseconds later,
-- so it holds almost nothing live and a dead row per filing. With the default thresholds (20% of
-- a nearly empty table) autovacuum would wait far too long between passes; vacuum it after every
-- thousand dead rows instead. (The chainer also vacuums it itself, for servers running without autovacuum.)
ALTER TABLE "audit_journal" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);
