-- Targets registered twice: two active registrations (a connection's own schema, a tenant's
-- schema) that name the same schema of the same database on the same server share one history
-- table, and each plan reports the other's migrations as drift. New overlaps are refused by the console;
-- ones registered before cannot be resolved here without deciding whose registration is wrong, so
-- this migration deletes nothing: it defines the views the console reads them from (start-up log,
-- fleet health) and warns about each one it finds now.

-- How a registered host names its server: case, surrounding brackets and a trailing dot do not
-- matter, and every spelling of this machine's loopback is one server.
CREATE FUNCTION "console"."target_host_key"(host text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE WHEN k IN ('localhost', '127.0.0.1', '::1', '0:0:0:0:0:0:0:1') THEN 'loopback' ELSE k END
  FROM (SELECT lower(rtrim(btrim(btrim(host), '[]'), '.')) AS k) AS normalized
$$;
--> statement-breakpoint
-- Every place plans migrate, by registration: live, active connections of the admin, shared and
-- analytics tiers (their own schema) and active tenants on live, active connections. Inactive
-- registrations take no part in plans, so they may name a target another one has (a replacement
-- registered with is_active false); activating them is checked like registering.
CREATE VIEW "console"."active_targets" AS
SELECT 'connection'::text AS kind, c.id, c.name, c.id AS connection_id, c.connection_type::text AS tier,
       "console"."target_host_key"(c.host) AS host_key, c.port, c.database_name, c.schema_name
FROM "console"."connections" c
WHERE c.deleted_at IS NULL AND c.is_active AND c.connection_type <> 'tenant'
UNION ALL
SELECT 'tenant'::text, t.id, t.slug, t.connection_id, 'tenant'::text,
       "console"."target_host_key"(c.host), c.port, c.database_name, t.schema_name
FROM "console"."tenants" t
JOIN "console"."connections" c ON c.id = t.connection_id
WHERE c.deleted_at IS NULL AND c.is_active AND t.status = 'active';
--> statement-breakpoint
-- Each pair of registrations of one target, once.
CREATE VIEW "console"."target_overlaps" AS
SELECT a.kind, a.id, a.name, a.tier,
       b.kind AS other_kind, b.id AS other_id, b.name AS other_name, b.tier AS other_tier,
       a.host_key, a.port, a.database_name, a.schema_name
FROM "console"."active_targets" a
JOIN "console"."active_targets" b
  ON a.host_key = b.host_key AND a.port = b.port AND a.database_name = b.database_name AND a.schema_name = b.schema_name
 AND (a.kind, a.id::text) < (b.kind, b.id::text);
--> statement-breakpoint
DO $$
DECLARE
  overlap record;
  total integer;
BEGIN
  SELECT count(*) INTO total FROM "console"."target_overlaps";
  FOR overlap IN SELECT * FROM "console"."target_overlaps" ORDER BY database_name, schema_name LIMIT 20 LOOP
    RAISE WARNING 'overlapping targets: % % (%) and % % (%) both migrate schema % of database % on %:%',
      overlap.kind, overlap.name, overlap.tier, overlap.other_kind, overlap.other_name, overlap.other_tier,
      overlap.schema_name, overlap.database_name, overlap.host_key, overlap.port;
  END LOOP;
  IF total > 20 THEN
    RAISE WARNING 'overlapping targets: % more (SELECT * FROM console.target_overlaps)', total - 20;
  END IF;
END
$$;
