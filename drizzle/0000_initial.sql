CREATE SCHEMA IF NOT EXISTS "console";
--> statement-breakpoint
CREATE TYPE "console"."execution_kind" AS ENUM('migrate', 'rehearsal', 'rollback');--> statement-breakpoint
CREATE TYPE "console"."execution_status" AS ENUM('pending', 'in_progress', 'completed', 'failed', 'rolled_back', 'cancelled');--> statement-breakpoint
CREATE TYPE "console"."scope" AS ENUM('all', 'admin', 'regional', 'tenant', 'single');--> statement-breakpoint
CREATE TYPE "console"."ssl_mode" AS ENUM('disable', 'prefer', 'require', 'verify-ca', 'verify-full');--> statement-breakpoint
CREATE TYPE "console"."target_status" AS ENUM('pending', 'running', 'succeeded', 'failed', 'skipped');--> statement-breakpoint
CREATE TYPE "console"."tenant_status" AS ENUM('active', 'suspended', 'archived');--> statement-breakpoint
CREATE TYPE "console"."tier" AS ENUM('admin', 'shared', 'analytics', 'tenant');--> statement-breakpoint
CREATE TABLE "console"."audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text,
	"actor_type" text NOT NULL,
	"action" text NOT NULL,
	"resource_type" text,
	"resource_id" text,
	"outcome" text NOT NULL,
	"error_code" text,
	"request_id" text,
	"ip" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "console"."connection_health_checks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"connection_id" uuid NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_healthy" boolean NOT NULL,
	"response_time_ms" integer,
	"server_version" text,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "console"."connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"host" text NOT NULL,
	"port" integer DEFAULT 5432 NOT NULL,
	"database_name" text NOT NULL,
	"username" text NOT NULL,
	"password_encrypted" text,
	"password_key_id" text,
	"ssl_mode" "console"."ssl_mode" DEFAULT 'prefer' NOT NULL,
	"connection_type" "console"."tier" NOT NULL,
	"region" text,
	"schema_name" text DEFAULT 'public' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_healthy" boolean,
	"last_health_check" timestamp with time zone,
	"response_time_ms" integer,
	"server_version" text,
	"health_error" text,
	"created_by" text NOT NULL,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" text,
	CONSTRAINT "connections_port_range" CHECK ("console"."connections"."port" between 1 and 65535)
);
--> statement-breakpoint
CREATE TABLE "console"."execution_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"execution_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "console"."execution_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"execution_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"connection_id" uuid NOT NULL,
	"connection_name" text NOT NULL,
	"database_name" text NOT NULL,
	"schema_name" text NOT NULL,
	"tier" "console"."tier" NOT NULL,
	"region" text,
	"tenant_id" uuid,
	"status" "console"."target_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"migrations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" jsonb,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "console"."executions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" text,
	"kind" "console"."execution_kind" DEFAULT 'migrate' NOT NULL,
	"scope" "console"."scope" NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" "console"."execution_status" DEFAULT 'pending' NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"plan_fingerprint" text,
	"total_targets" integer DEFAULT 0 NOT NULL,
	"completed_targets" integer DEFAULT 0 NOT NULL,
	"failed_targets" integer DEFAULT 0 NOT NULL,
	"skipped_targets" integer DEFAULT 0 NOT NULL,
	"current_target" text,
	"estimated_completion" timestamp with time zone,
	"executed_by" text NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"cancel_requested_at" timestamp with time zone,
	"cancel_requested_by" text,
	"error_message" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "console"."rate_limit_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "console"."schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"scope" "console"."scope" NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"cron_expression" text,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"run_at" timestamp with time zone,
	"enabled" boolean DEFAULT true NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_execution_id" uuid,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text NOT NULL,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedules_cron_or_run_at" CHECK (("console"."schedules"."cron_expression" is not null) <> ("console"."schedules"."run_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "console"."tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"region" text NOT NULL,
	"connection_id" uuid NOT NULL,
	"schema_name" text NOT NULL,
	"status" "console"."tenant_status" DEFAULT 'active' NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text NOT NULL,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_schema_name_len" CHECK (octet_length("console"."tenants"."schema_name") between 1 and 63)
);
--> statement-breakpoint
ALTER TABLE "console"."connection_health_checks" ADD CONSTRAINT "connection_health_checks_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "console"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "console"."execution_events" ADD CONSTRAINT "execution_events_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "console"."executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "console"."execution_targets" ADD CONSTRAINT "execution_targets_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "console"."executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "console"."tenants" ADD CONSTRAINT "tenants_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "console"."connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "console"."audit_log" USING btree ("at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "console"."audit_log" USING btree ("actor_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_resource_idx" ON "console"."audit_log" USING btree ("resource_type","resource_id");--> statement-breakpoint
CREATE INDEX "connection_health_checks_conn_idx" ON "console"."connection_health_checks" USING btree ("connection_id","checked_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "connections_name_live_uq" ON "console"."connections" USING btree ("name") WHERE "console"."connections"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "connections_one_active_admin_uq" ON "console"."connections" USING btree ("connection_type") WHERE "console"."connections"."connection_type" = 'admin' and "console"."connections"."is_active" and "console"."connections"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "connections_type_region_idx" ON "console"."connections" USING btree ("connection_type","region");--> statement-breakpoint
CREATE INDEX "execution_events_exec_id_idx" ON "console"."execution_events" USING btree ("execution_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "execution_targets_uq" ON "console"."execution_targets" USING btree ("execution_id","connection_id","schema_name");--> statement-breakpoint
CREATE INDEX "execution_targets_exec_status_idx" ON "console"."execution_targets" USING btree ("execution_id","status");--> statement-breakpoint
CREATE INDEX "execution_targets_exec_pos_idx" ON "console"."execution_targets" USING btree ("execution_id","position");--> statement-breakpoint
CREATE INDEX "executions_created_idx" ON "console"."executions" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_status_created_idx" ON "console"."executions" USING btree ("status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_rollback_of_idx" ON "console"."executions" USING btree (("metadata" ->> 'rollback_of'));--> statement-breakpoint
CREATE UNIQUE INDEX "schedules_name_uq" ON "console"."schedules" USING btree ("name");--> statement-breakpoint
CREATE INDEX "schedules_due_idx" ON "console"."schedules" USING btree ("next_run_at") WHERE "console"."schedules"."enabled";--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_slug_uq" ON "console"."tenants" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_connection_schema_uq" ON "console"."tenants" USING btree ("connection_id","schema_name");--> statement-breakpoint
CREATE INDEX "tenants_region_status_idx" ON "console"."tenants" USING btree ("region","status");