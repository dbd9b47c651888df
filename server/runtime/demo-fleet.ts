import pg from "pg";
import type { Db } from "../db/client";
import { createDatabase, databaseExists } from "../db/server-repository";
import { type Tier } from "../domain/fleet";
import type { SecretBox } from "../crypto/secret-box";
import { createSchemaIfMissing } from "../tenants/fleet-repository";
import { insertTenantIfAbsent, upsertConnectionByName } from "./demo-fleet-repository";

/**
 * The demo fleet the zero-configuration console starts with: the control-plane database doubles
 * as the admin database (as in production), a shared database per region, an analytics database,
 * and twenty tenant schemas living in their region's shared database. Idempotent: every start
 * brings the same rows and databases to the same state, and points them at the current server.
 * The catalog is not applied here: applying it is what the console is for.
 */

export const DEMO_REGIONS = ["eu-west-1", "us-east-1"] as const;

const TENANT_NAMES = [
  "Acme Corporation", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises",
  "Wonka Industries", "Tyrell", "Cyberdyne", "Soylent", "Oscorp", "Aperture Science", "Black Mesa",
  "Vandelay Industries", "Dunder Mifflin", "Pied Piper", "Gringotts", "Monsters Inc", "Massive Dynamic",
];

export interface DemoDatabase {
  name: string;
  database: string;
  tier: Tier;
  region: string | null;
}

export function demoDatabases(controlPlaneDatabase: string, prefix: string): DemoDatabase[] {
  return [
    { name: "admin", database: controlPlaneDatabase, tier: "admin", region: null },
    ...DEMO_REGIONS.map((region) => ({
      name: `shared-${region}`,
      database: `${prefix}_shared_${region.replaceAll("-", "_")}`,
      tier: "shared" as const,
      region,
    })),
    { name: "analytics", database: `${prefix}_analytics`, tier: "analytics", region: null },
  ];
}

export function demoTenants() {
  return TENANT_NAMES.map((name, i) => {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    return {
      slug,
      name,
      region: DEMO_REGIONS[i % DEMO_REGIONS.length]!,
      schemaName: `tenant_${slug.replaceAll("-", "_")}`,
    };
  });
}

export interface SeedDemoFleetOptions {
  db: Db;
  /** URL of the control-plane database; the fleet lives on the same server with the same login. */
  databaseUrl: string;
  box: SecretBox;
  prefix: string;
  log?: (line: string) => void;
}

export async function seedDemoFleet(opts: SeedDemoFleetOptions): Promise<{ connections: number; tenants: number }> {
  const url = new URL(opts.databaseUrl);
  const controlPlaneDatabase = decodeURIComponent(url.pathname.slice(1)) || "postgres";
  const host = url.hostname;
  const port = Number(url.port || 5432);
  const username = decodeURIComponent(url.username || "postgres");
  const password = decodeURIComponent(url.password);
  const databases = demoDatabases(controlPlaneDatabase, opts.prefix);

  // Databases on the server (CREATE DATABASE cannot run in a transaction or with IF NOT EXISTS).
  const server = new pg.Client({ connectionString: opts.databaseUrl });
  await server.connect();
  try {
    for (const d of databases) {
      if (!(await databaseExists(server, d.database))) {
        opts.log?.(`creating demo database ${d.database}`);
        await createDatabase(server, d.database);
      }
    }
  } finally {
    await server.end();
  }

  const ids = new Map<string, string>();
  for (const d of databases) {
    const sealed = password ? opts.box.seal(password) : null;
    const values = {
      host,
      port,
      databaseName: d.database,
      username,
      passwordEncrypted: sealed?.ciphertext ?? null,
      passwordKeyId: sealed?.keyId ?? null,
      sslMode: "disable" as const,
      connectionType: d.tier,
      region: d.region,
      metadata: { demo: true },
      updatedBy: "demo-fleet",
      updatedAt: new Date(),
    };
    ids.set(d.name, await upsertConnectionByName(opts.db, d.name, values, "demo-fleet"));
  }

  const tenantRows = demoTenants();
  for (const region of DEMO_REGIONS) {
    const shared = databases.find((d) => d.tier === "shared" && d.region === region)!;
    const regional = tenantRows.filter((t) => t.region === region);
    const client = new pg.Client({ connectionString: withDatabase(opts.databaseUrl, shared.database) });
    await client.connect();
    try {
      for (const t of regional) await createSchemaIfMissing(client, t.schemaName);
    } finally {
      await client.end();
    }
    for (const t of regional) {
      await insertTenantIfAbsent(opts.db, {
        slug: t.slug,
        name: t.name,
        region: t.region,
        connectionId: ids.get(shared.name)!,
        schemaName: t.schemaName,
        createdBy: "demo-fleet",
        metadata: { demo: true },
      });
    }
  }
  return { connections: databases.length, tenants: tenantRows.length };
}

export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
