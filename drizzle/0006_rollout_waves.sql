ALTER TYPE "console"."execution_status" ADD VALUE 'halted';--> statement-breakpoint
ALTER TABLE "console"."execution_targets" ADD COLUMN "wave" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "console"."executions" ADD COLUMN "rollout" jsonb;--> statement-breakpoint
ALTER TABLE "console"."schedules" ADD COLUMN "rollout" jsonb;