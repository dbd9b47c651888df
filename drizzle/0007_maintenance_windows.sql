CREATE TABLE "console"."maintenance_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid,
	"region" text,
	"days" text[] NOT NULL,
	"start_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"timezone" text NOT NULL,
	"label" text,
	"created_by" text NOT NULL,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_windows_one_subject" CHECK (("console"."maintenance_windows"."connection_id" is null) <> ("console"."maintenance_windows"."region" is null)),
	CONSTRAINT "maintenance_windows_duration" CHECK ("console"."maintenance_windows"."duration_minutes" between 1 and 10080)
);
--> statement-breakpoint
CREATE TABLE "console"."target_window_waits" (
	"target_id" uuid PRIMARY KEY NOT NULL,
	"execution_id" uuid NOT NULL,
	"opens_at" timestamp with time zone,
	"since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "console"."maintenance_windows" ADD CONSTRAINT "maintenance_windows_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "console"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "console"."target_window_waits" ADD CONSTRAINT "target_window_waits_target_id_execution_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "console"."execution_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "maintenance_windows_connection_idx" ON "console"."maintenance_windows" USING btree ("connection_id");--> statement-breakpoint
CREATE INDEX "maintenance_windows_region_idx" ON "console"."maintenance_windows" USING btree ("region");--> statement-breakpoint
CREATE INDEX "target_window_waits_execution_idx" ON "console"."target_window_waits" USING btree ("execution_id");