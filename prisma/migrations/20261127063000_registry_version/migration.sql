-- The registry's data version: one number that changes with every committed change to what the
-- directory and disclosure lists show. The access guard reads it in the same statement as the
-- credential, and the read cache keys its answers by it (RegistryReadCache): a change is seen by
-- the next request in every process, without a message between processes. It is a row, not a
-- sequence, because it must change at COMMIT: a sequence moves before the change is visible, and a
-- reader could cache the old rows under the new number.
CREATE TABLE "registry_version" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "registry_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "registry_version_single_row" CHECK ("id")
);
INSERT INTO "registry_version" ("id", "version") VALUES (true, 0);

-- Bumped at COMMIT, once per transaction (deferred constraint triggers, which must be row-level; a
-- transaction-local mark makes every row after the first cost one lookup). Bumped per statement
-- instead, a transaction writing two listed tables would lock the version row after its first write
-- and then wait for a row another writer held while that writer waited for the version row: a
-- deadlock. At COMMIT the version row is the last lock a transaction takes. A row UPDATE matching
-- nothing fires nothing (the notification worker's conditional updates do not empty every cache).
CREATE FUNCTION bump_registry_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' OR coalesce(current_setting('cbm.registry_version_bumped', true), '') <> 'on' THEN
    UPDATE "registry_version" SET "version" = "version" + 1 WHERE "id";
    PERFORM set_config('cbm.registry_version_bumped', 'on', true);
  END IF;
  RETURN NULL;
END;
$$;

DO $$
DECLARE
  listed text;
BEGIN
  FOREACH listed IN ARRAY ARRAY['state', 'contact', 'cert', 'disclosure'] LOOP
    EXECUTE format(
      'CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_registry_version()',
      listed || '_version_at_commit', listed);
    -- TRUNCATE has no row-level (nor deferred) form.
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_version()', listed || '_version_truncate', listed);
  END LOOP;
END;
$$;
