import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/**
 * The targets of active registrations across tiers, read through the views of drizzle/0003 (the
 * same host normalisation on both sides of every comparison: `console.target_host_key`).
 */

type Tx = Pick<Db, "execute">;

export type RegistrationKind = "connection" | "tenant";

export interface Registration {
  kind: RegistrationKind;
  id: string;
  /** The connection's name, or the tenant's slug. */
  name: string;
  tier: string;
}

/** A place migrations would be applied to: one schema of one database on one server. */
export interface TargetLocation {
  host: string;
  port: number;
  databaseName: string;
  schemaName: string;
}

export interface TargetClash {
  /** Index of the candidate in the list given. */
  candidate: number;
  existing: Registration;
}

/**
 * Registrations that already name one of `candidates`. `excludeConnectionId` leaves out a
 * connection's own target and its tenants' (they move with it when it is edited); `excludeTenantId`
 * one tenant's (when it is edited).
 */
export async function findTargetClashes(
  db: Tx,
  candidates: readonly TargetLocation[],
  exclude: { connectionId?: string; tenantId?: string } = {},
): Promise<TargetClash[]> {
  if (candidates.length === 0) return [];
  const list = candidates.map((c, ord) => ({ ord, host: c.host, port: c.port, database_name: c.databaseName, schema_name: c.schemaName }));
  const { rows } = await db.execute<{ ord: number; kind: RegistrationKind; id: string; name: string; tier: string }>(sql`
    select c.ord, r.kind, r.id, r.name, r.tier
    from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as c(ord int, host text, port int, database_name text, schema_name text)
    join console.active_targets r
      on r.host_key = console.target_host_key(c.host) and r.port = c.port
     and r.database_name = c.database_name and r.schema_name = c.schema_name
    where (${exclude.connectionId ?? null}::uuid is null or r.connection_id <> ${exclude.connectionId ?? null}::uuid)
      and (${exclude.tenantId ?? null}::uuid is null or not (r.kind = 'tenant' and r.id = ${exclude.tenantId ?? null}::uuid))
    order by c.ord, r.kind, r.name`);
  return rows.map((r) => ({ candidate: r.ord, existing: { kind: r.kind, id: r.id, name: r.name, tier: r.tier } }));
}

/** The active tenants on a connection (active or not itself), with their schemas. */
export async function listTenantTargetsOnConnection(db: Tx, connectionId: string): Promise<Array<Registration & { schemaName: string }>> {
  const { rows } = await db.execute<{ id: string; name: string; schema_name: string }>(sql`
    select id, slug as name, schema_name from console.tenants
    where connection_id = ${connectionId}::uuid and status = 'active'
    order by schema_name`);
  return rows.map((r) => ({ kind: "tenant", id: r.id, name: r.name, tier: "tenant", schemaName: r.schema_name }));
}

export interface TargetOverlap {
  first: Registration;
  second: Registration;
  location: { host: string; port: number; databaseName: string; schemaName: string };
}

/** Pairs of active registrations of one target (registered before overlaps were refused). */
export async function listTargetOverlaps(db: Tx, limit: number): Promise<{ overlaps: TargetOverlap[]; total: number }> {
  const { rows } = await db.execute<{
    kind: RegistrationKind; id: string; name: string; tier: string;
    other_kind: RegistrationKind; other_id: string; other_name: string; other_tier: string;
    host_key: string; port: number; database_name: string; schema_name: string; total: number;
  }>(sql`
    select o.*, count(*) over ()::int as total
    from console.target_overlaps o
    order by o.database_name, o.schema_name, o.kind, o.name
    limit ${limit}`);
  return {
    total: rows[0]?.total ?? 0,
    overlaps: rows.map((r) => ({
      first: { kind: r.kind, id: r.id, name: r.name, tier: r.tier },
      second: { kind: r.other_kind, id: r.other_id, name: r.other_name, tier: r.other_tier },
      location: { host: r.host_key, port: r.port, databaseName: r.database_name, schemaName: r.schema_name },
    })),
  };
}

/**
 * Serialises changes to where targets are (check, then write) across every console instance:
 * two registrations of one target racing each other cannot both pass the check.
 */
export async function lockTargetRegistry(db: Tx): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(7310442002)`);
}
