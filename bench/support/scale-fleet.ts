import { randomBytes } from "node:crypto";
import path from "node:path";
import type pg from "pg";
import { databaseUrl, migrateProviders, prepareControlPlane, registerDatabase, withDatabase } from "./bench-control-plane";

/**
 * The fleet of the scale benchmarks: BENCH_TENANTS registered tenants (default 100,000) over
 * BENCH_DATABASES databases (default 20: two regions, each with its shared database, the rest
 * dedicated tenant databases) on one server, every tenant at head. `makeBehind` then takes the
 * newest history row from one tenant in BENCH_BEHIND_EVERY (default 20: 5 %).
 *
 * Environment: BENCH_DATABASE_URL (a superuser URL; default the local server), MIGRATIONS_DIR
 * (default the example catalog), BENCH_UNTRACKED=1 (history tables without the change trigger, as
 * tables made before the console tracked them: every plan then reads every table).
 *
 * Building: one database is filled with its share of tenant schemas (one DO block per 250 schemas:
 * schema, history table with the change trigger a console run gives it, the whole tenant tier's
 * rows), vacuumed, then copied as the template of the other fleet databases (a file copy, seconds
 * instead of minutes); registry rows go in with one INSERT … SELECT per database, into a control
 * plane of the fleet's own (`controlPlaneUrl`: this process's console settings point at it).
 * `cleanup` drops every database the build created.
 */
export const scaleSettings = () => ({
  adminUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  tenants: Math.max(1, Number(process.env.BENCH_TENANTS ?? 100_000)),
  databases: Math.max(2, Number(process.env.BENCH_DATABASES ?? 20)),
  behindEvery: Math.max(2, Number(process.env.BENCH_BEHIND_EVERY ?? 20)),
  tracked: process.env.BENCH_UNTRACKED !== "1",
  catalogDir: path.resolve(process.env.MIGRATIONS_DIR ?? "examples/migrations"),
});
export type ScaleSettings = ReturnType<typeof scaleSettings>;

const REGIONS = ["eu", "us"];
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

export interface ScaleFleet {
  settings: ScaleSettings;
  regions: string[];
  databases: { name: string; region: string; tier: "shared" | "tenant"; tenants: number }[];
  controlPlaneUrl: string;
  /** How many tenant migrations the catalog has (every tenant's history holds them all at first). */
  tenantMigrations: number;
  /** One tenant in `behindEvery` loses its newest history row, in every database; returns how many. */
  makeBehind(): Promise<number>;
  cleanup(): Promise<void>;
}

export async function buildScaleFleet(settings: ScaleSettings, prefix: string, progress: (what: string) => void): Promise<ScaleFleet> {
  const { adminUrl, tenants, databases, behindEvery, tracked, catalogDir } = settings;
  const perDb = Math.ceil(tenants / databases);
  const dbUrl = (name: string) => databaseUrl(adminUrl, name);
  const created: string[] = [];
  const withClient = <T>(database: string, work: (c: pg.Client) => Promise<T>) => withDatabase(adminUrl, database, work);
  const cleanup = async () => {
    await withClient("postgres", async (c) => {
      for (const name of created) await c.query(`drop database if exists ${q(name)} with (force)`).catch(() => {});
    });
  };
  const cp = `${prefix}_cp`;
  const admin = `${prefix}_admin`;
  const template = `${prefix}_tpl`;
  const fleetDbs = Array.from({ length: databases }, (_, d) => ({
    name: `${prefix}_db${String(d).padStart(2, "0")}`,
    region: REGIONS[d % REGIONS.length]!,
    // The first database of each region is its shared one; the others are dedicated tenant databases.
    tier: d < REGIONS.length ? ("shared" as const) : ("tenant" as const),
    tenants: Math.max(0, Math.min(perDb, tenants - d * perDb)),
  }));
  try {
    await withClient("postgres", async (c) => {
      for (const db of [cp, admin, template]) {
        await c.query(`create database ${q(db)}`);
        created.push(db);
      }
    });
    await prepareControlPlane(adminUrl, cp, catalogDir);
    const { getDb } = await import("../../server/db/client");
    const { loadCatalog } = await import("../../server/migrations/engine/catalog");
    const { TRACKING_OBJECTS_SQL, historyTriggerSql } = await import("../../server/migrations/engine/history-tracking-repository");
    const { quoteIdent } = await import("../../server/migrations/engine/quote-ident");
    const { sql } = await import("drizzle-orm");

    const catalog = await loadCatalog(catalogDir);
    const tier = catalog.byTier.tenant;
    if (tier.length === 0) throw new Error("the catalog has no tenant migrations");

    // The template: perDb tenant schemas at head, in DO blocks of 250 (each one transaction: the
    // locks of the tables it creates are held until it commits).
    // The trigger statement the engine sends, with the schema left to the DO block.
    const placeholder = "bench_schema_placeholder";
    const trigger = tracked ? historyTriggerSql(placeholder).replace(quoteIdent(placeholder), "' || s || '") : null;
    const t0 = performance.now();
    await withClient(template, async (c) => {
      if (tracked) for (const statement of TRACKING_OBJECTS_SQL) await c.query(statement);
      const values = tier.map((m) => `(${lit(m.version)}, ${lit(m.name)}, ${lit(m.checksum)}, 'bench', 10, 'bench')`).join(", ");
      for (let b = 0; b < perDb; b += 250) {
        await c.query(`do $$ declare s text; begin
          for j in ${b}..${Math.min(b + 250, perDb) - 1} loop
            s := format('%I', 'tenant_' || lpad(j::text, 5, '0'));
            execute 'create schema ' || s;
            execute 'create table ' || s || '._schema_migrations (version text primary key, name text not null, checksum text not null,
               applied_at timestamptz not null default now(), execution_id text, duration_ms integer, applied_by text,
               state text not null default ''applied'' constraint _schema_migrations_state_check
                 check (state in (''applied'', ''started'', ''failed'', ''baselined'')))';
            ${trigger ? `execute '${trigger}';` : ""}
            execute 'insert into ' || s || '._schema_migrations (version, name, checksum, execution_id, duration_ms, applied_by) values ${values.replaceAll("'", "''")}';
          end loop; end $$`);
        if ((b / 250) % 4 === 3) progress(`template: ${Math.min(b + 250, perDb)} of ${perDb} schemas`);
      }
      // A production fleet's history tables were written long ago: hint bits set, statistics there.
      await c.query("vacuum analyze");
    });
    const templateSecs = ((performance.now() - t0) / 1000).toFixed(1);
    progress(`template database: ${perDb} tenant schemas at head${tracked ? ", history tables tracked" : ", history tables NOT tracked"} in ${templateSecs} s`);

    // The fleet databases: copies of the template (a file copy of the whole database).
    await withClient("postgres", async (c) => {
      for (const f of fleetDbs) {
        await c.query(`create database ${q(f.name)} template ${q(template)} strategy file_copy`);
        created.push(f.name);
      }
    });
    progress(`${databases} fleet databases copied from the template`);

    // Registry: the databases through the console's service, the tenants in bulk.
    const register = (name: string, database: string, t: "admin" | "shared" | "tenant", region: string | null) =>
      registerDatabase(adminUrl, name, database, t, region);
    await register("admin", admin, "admin", null);
    const ids = new Map<string, string>();
    for (const f of fleetDbs) ids.set(f.name, await register(f.name, f.name, f.tier, f.region));
    const db = getDb();
    for (const [d, f] of fleetDbs.entries()) {
      if (f.tenants === 0) continue;
      // Slugs t-<n>, n = the tenant's number in the fleet; schema tenant_<j> in its database.
      await db.execute(sql`
        insert into console.tenants (slug, name, region, connection_id, schema_name, created_by)
        select 't-' || (${d * perDb}::int + j), 'Tenant ' || (${d * perDb}::int + j), ${f.region}, ${ids.get(f.name)!}::uuid,
               'tenant_' || lpad(j::text, 5, '0'), 'bench'
        from generate_series(0, ${f.tenants - 1}::int) j`);
    }
    await db.execute(sql`vacuum analyze console.tenants`);
    progress(`${tenants} tenants registered`);

    await migrateProviders(adminUrl, catalog, admin, fleetDbs.filter((f) => f.tier === "shared"));
    progress("providers migrated");

    const newest = tier.at(-1)!.version;
    const makeBehind = async () => {
      await Promise.all(
        fleetDbs.map((f) =>
          withClient(f.name, (c) =>
            c.query(`do $$ begin
              for j in 0..${f.tenants - 1} by ${behindEvery} loop
                execute format('delete from %I._schema_migrations where version = %L', 'tenant_' || lpad(j::text, 5, '0'), ${lit(newest)});
              end loop; end $$`),
          ),
        ),
      );
      return fleetDbs.reduce((n, f) => n + Math.ceil(f.tenants / behindEvery), 0);
    };
    return { settings, regions: REGIONS, databases: fleetDbs, controlPlaneUrl: dbUrl(cp), tenantMigrations: tier.length, makeBehind, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The Tenants list cases the scale benches time (GET /api/tenants query parameters). */
export const tenantListCases = (tenants: number): [string, Record<string, string>][] => [
  ["first page", {}],
  ["search by slug", { search: "t-4242" }],
  ["search, no match", { search: "nobody-here" }],
  ["state behind", { state: "behind" }],
  ["region eu, at head", { region: "eu", state: "at_head" }],
  ["sorted by version", { sort: "version" }],
  ["page 1,000", { offset: String(Math.min(tenants - 50, 50_000)) }],
];

export const randomPrefix = (name: string) => `bench_${name}_${randomBytes(3).toString("hex")}`;
