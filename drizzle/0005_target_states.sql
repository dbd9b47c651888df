CREATE TABLE "console"."target_states" (
	"connection_id" uuid NOT NULL,
	"schema_name" text NOT NULL,
	"tier" "console"."tier" NOT NULL,
	"version" text,
	"version_key" text,
	"applied_count" integer DEFAULT 0 NOT NULL,
	"blocked_code" text,
	"blocked_message" text,
	"checked_at" timestamp with time zone,
	"last_execution_id" uuid,
	"last_run_kind" "console"."execution_kind",
	"last_run_status" "console"."target_status",
	"last_run_at" timestamp with time zone,
	"last_error" jsonb,
	CONSTRAINT "target_states_pk" PRIMARY KEY("connection_id","schema_name")
);
--> statement-breakpoint
ALTER TABLE "console"."target_states" ADD CONSTRAINT "target_states_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "console"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "target_states_tier_applied_idx" ON "console"."target_states" USING btree ("tier","applied_count");--> statement-breakpoint
CREATE INDEX "target_states_failed_idx" ON "console"."target_states" USING btree ("connection_id","schema_name") WHERE "console"."target_states"."last_run_status" = 'failed';--> statement-breakpoint
CREATE INDEX "target_states_blocked_idx" ON "console"."target_states" USING btree ("connection_id","schema_name") WHERE "console"."target_states"."blocked_code" is not null;