-- The first finished full pass (ModelState.passMillis is written last, by runFullPass) starts a shop's triggers.
CREATE OR REPLACE FUNCTION cadence_flow_baseline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FlowState" ("shopId", "liveSince") VALUES (NEW."shopId", now())
  ON CONFLICT ("shopId") DO UPDATE SET "liveSince" = now(), "updatedAt" = now() WHERE "FlowState"."liveSince" IS NULL;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER cadence_flow_baseline AFTER INSERT OR UPDATE OF "passMillis" ON "ModelState"
  FOR EACH ROW WHEN (NEW."passMillis" IS NOT NULL) EXECUTE FUNCTION cadence_flow_baseline();
