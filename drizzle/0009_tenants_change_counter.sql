CREATE TABLE "console"."tenants_changes" (
	"id" smallint PRIMARY KEY NOT NULL,
	"changes" bigint NOT NULL
);
--> statement-breakpoint
-- The one row, and the trigger that counts every change to the tenants in the same transaction
-- (a row lock on this row until commit: registry writes are few, and a reader of the counter sees
-- a change only once the tenants it changed are visible too).
INSERT INTO "console"."tenants_changes" ("id", "changes") VALUES (1, 0) ON CONFLICT DO NOTHING;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "console"."note_tenants_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "console"."tenants_changes" SET "changes" = "changes" + 1 WHERE "id" = 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "tenants_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "console"."tenants"
  FOR EACH STATEMENT EXECUTE FUNCTION "console"."note_tenants_change"();
