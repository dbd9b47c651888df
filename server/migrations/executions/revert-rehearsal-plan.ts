import { getDb } from "../../db/client";
import type { TargetMigrationResult } from "../../domain/executions";
import type { RevertPart } from "../engine/rehearse-revert";
import type { Catalog, Target } from "../engine/types";
import { plannedIds } from "./planned-catalog";
import * as repo from "./repository";
import { reverseDependents } from "./reverse-dependencies";
import { targetLabel } from "./target-state";

/**
 * For a rehearsed rollback: a target whose real rollback would wait for others (a region's shared
 * target, while tenants still hold invoices pointing at its currencies) rehearses their down parts
 * first, inside the same transaction, when they live in the same database and are few enough to
 * hold their locks at once. Otherwise the migrations they need undone first, and every older one
 * (which may build on them), are reported as not rehearsable rather than as failures that would
 * not happen.
 */

/** Other targets' rollbacks rehearsed inside one target's transaction, at most (their locks add up). */
export const REHEARSED_BEFORE_LIMIT = 25;

export interface RevertRehearsalPlan {
  runIds: string[];
  before: RevertPart[];
  notRehearsable: TargetMigrationResult[];
}

export async function revertRehearsalPlan(
  execution: repo.ExecutionRow,
  target: repo.TargetRow,
  catalog: Catalog,
  onlyExecutionId: string | null,
): Promise<RevertRehearsalPlan> {
  const order = new Map(catalog.migrations.map((m, i) => [m.id, i]));
  const reverts = plannedIds(target.migrations).sort((a, b) => (order.get(b) ?? -1) - (order.get(a) ?? -1));
  if (target.tier === "tenant") return { runIds: reverts, before: [], notRehearsable: [] };

  const all = await repo.allTargets(getDb(), execution.id);
  const waitsFor = new Set(reverseDependents(catalog, all).get(target.id) ?? []);
  const dependents = all.filter((t) => waitsFor.has(t.id));
  const sameDb = dependents.filter((d) => d.connectionId === target.connectionId);
  const included = sameDb.length <= REHEARSED_BEFORE_LIMIT ? sameDb : [];
  const excluded = dependents.filter((d) => !included.includes(d));

  const neededBy = new Map<string, repo.TargetRow>();
  for (const d of excluded) {
    for (const id of plannedIds(d.migrations)) {
      for (const req of catalog.byId.get(id)?.requires ?? []) if (!neededBy.has(req)) neededBy.set(req, d);
    }
  }
  const cut = reverts.findIndex((id) => neededBy.has(id));
  const stop = cut === -1 ? reverts.length : cut;
  const reason = (d: repo.TargetRow) =>
    d.connectionId === target.connectionId
      ? `${sameDb.length} targets of this database must undo what needs it first, more than a rehearsal holds in one transaction (${REHEARSED_BEFORE_LIMIT}); rehearse fewer targets`
      : `${targetLabel(d)} (another database) must undo what needs it first, which cannot be part of this transaction`;
  const notRehearsable = reverts.slice(stop).map((id, j): TargetMigrationResult => {
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
        message: j === 0 ? `${id}: ${reason(neededBy.get(id)!)}` : `follows ${reverts[stop]}, which could not be rehearsed`,
        file: m.file,
        transient: false,
      },
    };
  });
  return {
    runIds: reverts.slice(0, stop),
    notRehearsable,
    before: included.map((d) => ({ target: engineTargetOf(d), migrationIds: plannedIds(d.migrations), onlyExecutionId })),
  };
}

function engineTargetOf(t: repo.TargetRow): Target {
  return {
    connectionId: t.connectionId,
    connectionName: t.connectionName,
    databaseName: t.databaseName,
    schemaName: t.schemaName,
    tier: t.tier,
    region: t.region,
    tenantId: t.tenantId,
  };
}
