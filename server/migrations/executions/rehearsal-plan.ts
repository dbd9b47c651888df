import type { TargetMigrationResult } from "../../domain/executions";
import { getDb } from "../../db/client";
import type { Catalog, Target } from "../engine/types";
import { plannedIds } from "./planned-catalog";
import * as repo from "./repository";
import { targetLabel } from "./target-state";

/**
 * For a rehearsal (DESIGN.md, Executing 7): a requirement that another target of this execution
 * would apply first is rehearsed inside the same transaction when that target lives in the same
 * database (its pending migrations run first, then the target's). When it lives in another
 * database it cannot be part of the transaction: the migration that needs it, and every later one
 * (which may build on it), are reported as not rehearsable.
 */
export async function rehearsalPlan(executionId: string, target: repo.TargetRow, catalog: Catalog) {
  const planned = plannedIds(target.migrations);
  const providers = target.tier === "tenant" ? await repo.providerTargetsOf(getDb(), executionId) : [];
  const plannedBy = new Map<string, repo.TargetRow>();
  for (const p of providers) {
    if (p.tier !== "admin" && p.region !== target.region) continue;
    for (const id of plannedIds(p.migrations)) plannedBy.set(id, p);
  }
  const sameDb = new Set<repo.TargetRow>();
  let cut = planned.length;
  let reason = "";
  for (const [i, id] of planned.entries()) {
    for (const req of catalog.byId.get(id)?.requires ?? []) {
      const provider = plannedBy.get(req);
      if (!provider) continue;
      if (provider.connectionId === target.connectionId) sameDb.add(provider);
      else if (i < cut) {
        cut = i;
        reason = `${id} requires ${req}, which ${targetLabel(provider)} (another database) applies in this execution: it cannot be rehearsed in the same transaction`;
      }
    }
  }
  const notRehearsable: TargetMigrationResult[] = planned.slice(cut).map((id, j) => {
    const m = catalog.byId.get(id)!;
    return {
      id,
      version: m.version,
      name: m.name,
      tier: m.tier,
      checksum: m.checksum,
      status: "not_rehearsable",
      error: {
        code: "not_rehearsable",
        message: j === 0 ? reason : `follows ${planned[cut]}, which could not be rehearsed`,
        file: m.file,
        transient: false,
      },
    };
  });
  return {
    runIds: planned.slice(0, cut),
    notRehearsable,
    providers: [...sameDb].map((p) => ({
      target: {
        connectionId: p.connectionId,
        connectionName: p.connectionName,
        databaseName: p.databaseName,
        schemaName: p.schemaName,
        tier: p.tier,
        region: p.region,
        tenantId: null,
      } satisfies Target,
      migrationIds: plannedIds(p.migrations),
    })),
  };
}
