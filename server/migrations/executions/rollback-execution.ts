import { randomUUID } from "node:crypto";
import { getSettings } from "../../config/settings";
import { getDb } from "../../db/client";
import type { TargetMigrationResult } from "../../domain/executions";
import { conflict } from "../../errors/app-error";
import { ensureJobQueue } from "../../queue/job-queue";
import { getCatalogOrThrow } from "../plans/catalog-store";
import { missingDownParts } from "../engine/revert-target";
import type { Catalog } from "../engine/types";
import { batchId, recordExecution } from "./create-execution";
import { getExecutionRowOrThrow } from "./read-executions";
import * as repo from "./repository";

/**
 * Rollback (DESIGN.md, Executing 9): the down parts of exactly the migrations an execution applied,
 * per target, as a new execution of kind `rollback` (`metadata.rollback_of`). Within a target the
 * engine undoes them in reverse dependency order; across targets the order is reversed too: a
 * region's shared target waits until every tenant that applied something requiring its migrations
 * has undone it. When the rollback completes, the original reads `rolled_back`.
 *
 * Refused up front (409) when the original did not complete, is itself a rehearsal or a rollback,
 * already has a rollback, applied nothing, or when a file it applied has no down part, left the
 * catalog or changed since (its down part might not undo what ran) — naming the files.
 */
export async function rollbackExecution(originalId: string, executedBy: string): Promise<repo.ExecutionRow> {
  const original = await getExecutionRowOrThrow(originalId);
  if (original.kind !== "migrate" || original.dryRun) {
    throw conflict(`execution ${originalId} is a ${original.kind === "rollback" ? "rollback" : "rehearsal"}: only executions that applied migrations can be rolled back`, {
      kind: original.kind,
    });
  }
  if (original.status !== "completed") {
    throw conflict(
      original.status === "rolled_back"
        ? `execution ${originalId} was already rolled back`
        : `execution ${originalId} is ${original.status}: only a completed execution can be rolled back`,
      { status: original.status },
    );
  }
  const { rows: earlier } = await repo.listExecutions(getDb(), { rollbackOf: originalId, kind: "rollback", limit: 20, offset: 0 });
  const active = earlier.find((e) => e.status === "pending" || e.status === "in_progress");
  if (active) throw conflict(`rollback ${active.id} of this execution is already ${active.status}`, { rollback_id: active.id });

  const catalog = await getCatalogOrThrow();
  const sources = (await repo.allTargets(getDb(), originalId))
    .map((t) => ({ target: t, applied: t.migrations.filter((m) => m.status === "applied") }))
    .filter((s) => s.applied.length > 0);
  if (sources.length === 0) throw conflict(`execution ${originalId} applied no migration: there is nothing to roll back`);
  assertRevertible(catalog, sources.flatMap((s) => s.applied));

  const executionId = randomUUID();
  const ids = new Map(sources.map((s) => [s.target.id, randomUUID() as string]));
  const targets: repo.NewTargetRow[] = sources.map(({ target: t, applied }, position) => ({
    id: ids.get(t.id)!,
    executionId,
    position,
    connectionId: t.connectionId,
    connectionName: t.connectionName,
    databaseName: t.databaseName,
    schemaName: t.schemaName,
    tier: t.tier,
    region: t.region,
    tenantId: t.tenantId,
    status: "pending",
    migrations: applied.map((m) => ({ id: idOf(m), version: m.version, name: m.name, tier: m.tier, checksum: m.checksum, status: "pending" })),
    dependsOn: [],
  }));
  addReverseDependencies(catalog, targets);

  const needsApproval = getSettings().migrations.requireApproval;
  await ensureJobQueue();
  const now = new Date();
  return (await recordExecution({
    execution: {
      id: executionId,
      batchId: batchId(now),
      kind: "rollback",
      scope: original.scope,
      params: original.params,
      status: needsApproval ? "pending" : "in_progress",
      dryRun: false,
      totalTargets: targets.length,
      executedBy,
      metadata: { rollback_of: originalId, catalog_checksum: catalog.checksum },
      startedAt: needsApproval ? null : now,
    },
    targets,
  }))!;
}

const idOf = (m: TargetMigrationResult) => m.id ?? `${m.tier}/${m.version}_${m.name}`;

function assertRevertible(catalog: Catalog, applied: TargetMigrationResult[]) {
  const ids = [...new Set(applied.map(idOf))];
  const gone = ids.filter((id) => !catalog.byId.has(id));
  if (gone.length > 0) {
    throw conflict(`cannot roll back: ${gone.join(", ")} ${gone.length === 1 ? "is" : "are"} no longer in the catalog`, { missing: gone });
  }
  const noDown = missingDownParts(catalog, ids);
  if (noDown.length > 0) {
    throw conflict(`cannot roll back: no down part in ${noDown.join(", ")}`, { files_without_down: noDown });
  }
  const changed = [...new Set(applied.filter((m) => catalog.byId.get(idOf(m))!.checksum !== m.checksum).map((m) => catalog.byId.get(idOf(m))!.file))];
  if (changed.length > 0) {
    throw conflict(`cannot roll back: ${changed.join(", ")} changed since the execution applied them, so their down parts may not undo what ran`, {
      changed_files: changed,
    });
  }
}

/**
 * Undo in the opposite order of applying: when a target undoes a migration that requires one of
 * another tier (a tenant's invoices need the region's currencies), the target that undoes the
 * required one waits for it.
 */
function addReverseDependencies(catalog: Catalog, targets: repo.NewTargetRow[]) {
  const undoneBy = new Map<string, repo.NewTargetRow>();
  for (const t of targets) {
    if (t.tier === "tenant") continue;
    for (const m of t.migrations ?? []) undoneBy.set(`${t.tier === "admin" ? "" : (t.region ?? "")}|${idOf(m)}`, t);
  }
  for (const t of targets) {
    for (const m of t.migrations ?? []) {
      for (const req of catalog.byId.get(idOf(m))?.requires ?? []) {
        const required = catalog.byId.get(req);
        if (!required || required.tier === t.tier) continue;
        const provider = undoneBy.get(`${required.tier === "admin" ? "" : (t.region ?? "")}|${req}`);
        if (provider && provider !== t && !provider.dependsOn!.includes(t.id!)) provider.dependsOn!.push(t.id!);
      }
    }
  }
}
