-- The head of the audit chain, read under the chain's lock in one round trip. Appends serialise on
-- a transaction-scoped advisory lock, and every round trip made while holding it is time every other
-- writer waits (on a busy API process, a round trip includes waiting for its event loop). Taking the
-- lock and reading the head as two statements in one would be wrong under READ COMMITTED: a
-- statement's snapshot predates the lock it waits for, so it could miss the event committed by the
-- writer it waited for and fork the chain. In a VOLATILE PL/pgSQL function each statement takes a
-- new snapshot, so the read below sees everything committed before the lock was granted.
CREATE FUNCTION "audit_chain_head_locked"(lock_key bigint)
RETURNS TABLE ("seq" bigint, "hash" text)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  RETURN QUERY SELECT e."seq", e."hash" FROM "audit_event" e ORDER BY e."seq" DESC LIMIT 1;
END;
$$;
