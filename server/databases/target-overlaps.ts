import { getDb, type Db } from "../db/client";
import { conflict } from "../errors/app-error";
import * as repo from "./target-overlaps-repository";
import type { Registration, TargetLocation, TargetOverlap } from "./target-overlaps-repository";

/**
 * One active registration per target. A schema of a database that two registrations name — a
 * connection's own schema and a tenant's, or two tenants on two connections to one database —
 * would have one history table read as two targets' history: each plan would report the other's
 * migrations as drift, and two executions could run on it at once under different locks.
 * Registering, moving or activating something onto a target another active registration has is
 * refused with a 409 naming that registration; inactive registrations are out of every plan and
 * are checked when they are activated. Overlaps from before are reported (fleet health, start-up).
 */

export type { TargetLocation } from "./target-overlaps-repository";

export interface Candidate extends TargetLocation {
  /** The request field a clash is reported on (schema_name, connection_id, database_name…). */
  field: string;
  /** Whose target this is when not the registration being written (a tenant moving with its connection). */
  carriedFor?: string;
}

/** What a write gets: the pool, or the transaction holding the registry's lock. */
type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

/**
 * Runs `write` in a transaction holding the target registry's lock, after checking `candidates`
 * against every registration (except those `exclude` names): the check and the write cannot be
 * split by another instance's registration. A write that moves no target runs as it is.
 */
export async function writeWithoutTargetClash<T>(
  candidates: readonly Candidate[],
  exclude: { connectionId?: string; tenantId?: string },
  write: (tx: Tx) => Promise<T>,
): Promise<T> {
  if (candidates.length === 0) return write(getDb());
  return getDb().transaction(async (tx) => {
    await repo.lockTargetRegistry(tx);
    await assertNoTargetClash(candidates, exclude, tx);
    return write(tx);
  });
}

/** Throws a 409 naming the registration that already has one of `candidates`. */
export async function assertNoTargetClash(
  candidates: readonly Candidate[],
  exclude: { connectionId?: string; tenantId?: string } = {},
  db: Pick<Db, "execute"> = getDb(),
): Promise<void> {
  const [clash] = await repo.findTargetClashes(db, candidates, exclude);
  if (!clash) return;
  throw targetTaken(candidates[clash.candidate]!, clash.existing);
}

/** The same target twice among the candidates of one change (a connection's schema and its tenant's). */
export function targetTaken(candidate: Candidate, existing: Registration) {
  const where = `schema ${candidate.schemaName} of database ${candidate.databaseName} on ${candidate.host}:${candidate.port}`;
  const owner = existing.kind === "tenant" ? `tenant ${existing.name}` : `connection ${existing.name} (${existing.tier})`;
  const carried = candidate.carriedFor ? ` (where ${candidate.carriedFor} would move with this connection)` : "";
  return conflict(`${where}${carried} is already the target of ${owner}: two registrations would share one migration history`, {
    field: candidate.field,
    existing: { kind: existing.kind, id: existing.id, name: existing.name, tier: existing.tier },
  });
}

/**
 * The targets an active connection carries once it points at `location`: its own schema (null for
 * a dedicated tenant database, which has none) and each of its active tenants' schemas. Its own
 * schema being one of its tenants' is a clash by itself.
 */
export async function connectionTargets(
  connectionId: string,
  location: { host: string; port: number; databaseName: string },
  ownSchema: string | null,
): Promise<Candidate[]> {
  const tenants = await repo.listTenantTargetsOnConnection(getDb(), connectionId);
  const place = { host: location.host, port: location.port, databaseName: location.databaseName };
  const own: Candidate[] = ownSchema === null ? [] : [{ ...place, schemaName: ownSchema, field: "schema_name" }];
  const inside = own[0] && tenants.find((t) => t.schemaName === own[0]!.schemaName);
  if (inside) throw targetTaken(own[0]!, inside);
  return [
    ...own,
    ...tenants.map((t) => ({ ...place, schemaName: t.schemaName, field: "database_name", carriedFor: `tenant ${t.name}` })),
  ];
}

/** Overlaps registered before they were refused, the first `limit` of them, and how many there are. */
export function listTargetOverlaps(limit = 20): Promise<{ overlaps: TargetOverlap[]; total: number }> {
  return repo.listTargetOverlaps(getDb(), limit);
}

/** One line per overlap, for logs and health messages. */
export function describeOverlap(o: TargetOverlap): string {
  const name = (r: Registration) => (r.kind === "tenant" ? `tenant ${r.name}` : `connection ${r.name} (${r.tier})`);
  return `${name(o.first)} and ${name(o.second)} both migrate schema ${o.location.schemaName} of database ${o.location.databaseName} on ${o.location.host}:${o.location.port}`;
}
