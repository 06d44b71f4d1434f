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

-- Statement-level, and only when the statement changed rows: a conditional UPDATE that matched
-- nothing (the notification worker's, say) does not empty every cache.
CREATE FUNCTION bump_registry_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Two statements: a TRUNCATE trigger has no transition table to name.
  IF TG_OP = 'TRUNCATE' THEN
    UPDATE "registry_version" SET "version" = "version" + 1 WHERE "id";
  ELSIF EXISTS (SELECT 1 FROM changed) THEN
    UPDATE "registry_version" SET "version" = "version" + 1 WHERE "id";
  END IF;
  RETURN NULL;
END;
$$;

DO $$
DECLARE
  listed text;
BEGIN
  FOREACH listed IN ARRAY ARRAY['state', 'contact', 'cert', 'disclosure'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_version()', listed || '_version_insert', listed);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_version()', listed || '_version_update', listed);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_version()', listed || '_version_delete', listed);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_version()', listed || '_version_truncate', listed);
  END LOOP;
END;
$$;
