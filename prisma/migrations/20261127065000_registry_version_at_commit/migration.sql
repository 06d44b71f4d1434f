-- The registry version is bumped at COMMIT, once per transaction, instead of after each statement.
-- Bumped per statement, a transaction writing two listed tables locked the version row after its
-- first write and then waited for a row another writer held while that writer waited for the
-- version row: a deadlock. Deferred to COMMIT, the version row is the last lock a transaction
-- takes, and it holds nothing else it waits for. (Row-level, because only constraint triggers can
-- be deferred; the transaction-local mark makes every row after the first cost one lookup.)
CREATE OR REPLACE FUNCTION bump_registry_version() RETURNS trigger LANGUAGE plpgsql AS $$
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
    EXECUTE format('DROP TRIGGER %I ON %I', listed || '_version_insert', listed);
    EXECUTE format('DROP TRIGGER %I ON %I', listed || '_version_update', listed);
    EXECUTE format('DROP TRIGGER %I ON %I', listed || '_version_delete', listed);
    EXECUTE format(
      'CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_registry_version()',
      listed || '_version_at_commit', listed);
  END LOOP;
END;
$$;
