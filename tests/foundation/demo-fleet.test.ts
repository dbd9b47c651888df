import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createControlPlane } from "../../server/db/client";
import { SecretBox } from "../../server/crypto/secret-box";
import { demoDatabases, demoTenants, seedDemoFleet, withDatabase } from "../../server/runtime/demo-fleet";
import { adminQuery, createControlPlaneDatabase, onDatabase, type TestDatabase } from "../support/database";

describe("demo fleet", () => {
  const prefix = `demo_${randomBytes(3).toString("hex")}`;
  let cp: TestDatabase;
  let plane: ReturnType<typeof createControlPlane>;
  const box = new SecretBox("x".repeat(40));

  beforeAll(async () => {
    cp = await createControlPlaneDatabase("demo");
    plane = createControlPlane(cp.url, { min: 0, max: 4 });
  });
  afterAll(async () => {
    await plane.pool.end();
    for (const d of demoDatabases(cp.name, prefix)) {
      if (d.database !== cp.name) await adminQuery(`drop database if exists "${d.database}" with (force)`);
    }
    await cp.drop();
  });

  it("registers admin, a shared database per region, analytics and 20 tenants, and a restart changes nothing", async () => {
    // A URL with a password so the stored (encrypted) form can be checked.
    const url = new URL(cp.url);
    url.password = url.password || "demo-password-not-stored";
    const seed = () => seedDemoFleet({ db: plane.db, databaseUrl: url.toString(), box, prefix });

    expect(await seed()).toEqual({ connections: 4, tenants: 20 });
    const snapshot = async () =>
      (
        await plane.db.execute(sql`
          select (select json_agg(json_build_object('id', id, 'name', name, 'tier', connection_type, 'region', region) order by name)
                    from console.connections) as connections,
                 (select json_agg(json_build_object('id', id, 'slug', slug, 'schema', schema_name, 'region', region) order by slug)
                    from console.tenants) as tenants`)
      ).rows[0];
    const first = await snapshot();
    expect(await seed()).toEqual({ connections: 4, tenants: 20 });
    expect(await snapshot()).toEqual(first);

    const tiers = (first as { connections: Array<{ tier: string; region: string | null }> }).connections.map((c) => `${c.tier}:${c.region ?? "-"}`);
    expect(tiers.sort()).toEqual(["admin:-", "analytics:-", "shared:eu-west-1", "shared:us-east-1"]);

    const stored = await plane.db.execute(sql`select password_encrypted from console.connections`);
    for (const row of stored.rows as Array<{ password_encrypted: string }>) {
      expect(row.password_encrypted).not.toContain(url.password);
    }

    // Every tenant's schema exists in its region's shared database.
    for (const region of ["eu-west-1", "us-east-1"]) {
      const shared = demoDatabases(cp.name, prefix).find((d) => d.tier === "shared" && d.region === region)!;
      const { rows } = await onDatabase<{ nspname: string }>(
        withDatabase(cp.url, shared.database),
        "select nspname from pg_namespace where nspname like 'tenant\\_%'",
      );
      const expected = demoTenants().filter((t) => t.region === region).map((t) => t.schemaName);
      expect(rows.map((r) => r.nspname).sort()).toEqual(expected.sort());
    }
  });
});
