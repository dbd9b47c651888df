-- The Tenants list searches slug, name and schema name by substring: a trigram index (pg_trgm, a
-- contrib extension shipped with PostgreSQL and with the embedded binaries, trusted since PostgreSQL
-- 13: a role with CREATE on the control-plane database, such as its owner, may create it without
-- being a superuser).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "target_states_version_idx" ON "console"."target_states" USING btree ("version_key");--> statement-breakpoint
CREATE INDEX "target_states_last_run_idx" ON "console"."target_states" USING btree ("last_run_at");--> statement-breakpoint
CREATE INDEX "tenants_region_slug_idx" ON "console"."tenants" USING btree ("region","slug");--> statement-breakpoint
CREATE INDEX "tenants_search_trgm_idx" ON "console"."tenants" USING gin ("slug" gin_trgm_ops,"name" gin_trgm_ops,"schema_name" gin_trgm_ops);