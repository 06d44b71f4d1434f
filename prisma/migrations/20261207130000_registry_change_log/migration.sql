-- What each registry version changed: which listed table, and which State's rows in it. With it a
-- process's read cache drops only the answers a change can alter (a contact verified in Kenya leaves
-- France's contact list and every disclosure list cached) instead of every answer at every change.
-- "stateCode" '*' stands for every State (TRUNCATE). Rows older than 10,000 versions are deleted by
-- the bump itself; a process further behind than what is kept drops everything, as before.
CREATE TABLE "registry_change" (
    "version" BIGINT NOT NULL,
    "table" TEXT NOT NULL,
    "stateCode" TEXT NOT NULL,

    CONSTRAINT "registry_change_pkey" PRIMARY KEY ("version", "table", "stateCode")
);

-- As before, the version is bumped at COMMIT once per transaction (see 20261127063000); the
-- transaction-local mark now holds the bumped number, so that every changed row (fired at COMMIT
-- too) records its State under it. An UPDATE that moves a row to another State records both.
CREATE OR REPLACE FUNCTION bump_registry_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bumped bigint := nullif(current_setting('cbm.registry_version_bumped', true), '')::bigint;
  old_state text;
  new_state text;
BEGIN
  IF TG_OP = 'TRUNCATE' OR bumped IS NULL THEN
    UPDATE "registry_version" SET "version" = "version" + 1 WHERE "id" RETURNING "version" INTO bumped;
    PERFORM set_config('cbm.registry_version_bumped', bumped::text, true);
    DELETE FROM "registry_change" WHERE "version" <= bumped - 10000;
  END IF;
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO "registry_change" VALUES (bumped, TG_TABLE_NAME, '*') ON CONFLICT DO NOTHING;
    RETURN NULL;
  END IF;
  -- A trigger function is compiled per table, so each table reads only its own State column.
  IF TG_TABLE_NAME = 'state' THEN
    IF TG_OP <> 'INSERT' THEN old_state := OLD."code"; END IF;
    IF TG_OP <> 'DELETE' THEN new_state := NEW."code"; END IF;
  ELSE
    IF TG_OP <> 'INSERT' THEN old_state := OLD."stateCode"; END IF;
    IF TG_OP <> 'DELETE' THEN new_state := NEW."stateCode"; END IF;
  END IF;
  INSERT INTO "registry_change"
    SELECT bumped, TG_TABLE_NAME, changed FROM (VALUES (old_state), (new_state)) AS states (changed) WHERE changed IS NOT NULL
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
