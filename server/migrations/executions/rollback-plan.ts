import { getDb } from "../../db/client";
import type { TargetMigrationResult } from "../../domain/executions";
import { compareVersions, versionKey } from "../../domain/versions";
import { AppError, conflict } from "../../errors/app-error";
import { firstOf, listSome } from "../../errors/list-some";
import type { Catalog, HistoryRow, Migration, Target } from "../engine/types";
import { getCatalogOrThrow } from "../plans/catalog-store";
import { discoverTargets } from "../plans/discover-targets";
import { readFleetHistories } from "../plans/read-histories";
import { fromExecutionParams, type ScopeInput } from "../plans/scope";
import { getExecutionRowOrThrow } from "./read-executions";
import type * as repo from "./repository";
import { ROLLBACK_SOURCE_STATUSES, stillApplied } from "./rollback-ledger";
import type { RollbackPlanView, RollbackRefusal, RollbackRefusalCode } from "./rollback-schemas";
import { targetLabel } from "./target-state";

/**
 * What a rollback would undo, per target, before anything runs: the rollback plan. Two sources:
 *  - an execution (completed, failed or cancelled; all of its targets or some): on each target,
 *    exactly the migrations it applied that no rollback has undone yet (rollback-ledger.ts);
 *    targets with nothing left are left out;
 *  - one target back to a version: every migration its history records after that version.
 * Either way, newest first, and the plan lists what makes the console refuse it up front (a file
 * without a down part, a baselined migration, a file that left the catalog or changed since it
 * ran, an interrupted migration), naming the files. Reads the control plane and, for a version,
 * the target's history; never writes.
 */

export interface PlannedRevert {
  id: string;
  version: string;
  name: string;
  tier: string;
  /** The checksum the migration had when it was applied. */
  checksum: string;
  /** The catalog's file, when it is still there. */
  migration: Migration | null;
}

export interface RollbackTargetPlan {
  target: Target;
  /** The original execution's target, for a rollback of an execution. */
  sourceTargetId: string | null;
  /** Newest first: the order they are undone in. */
  reverts: PlannedRevert[];
}

export interface RollbackPlan {
  catalog: Catalog;
  original: repo.ExecutionRow | null;
  toVersion: string | null;
  /** Recorded as the rollback's scope: the original's, or the one target's. */
  scope: ScopeInput;
  targetIds: string[] | null;
  targets: RollbackTargetPlan[];
  leftOut: { sourceTargetId: string | null; label: string; reason: string }[];
  refusals: RollbackRefusal[];
}

const idOf = (m: Pick<TargetMigrationResult, "id" | "tier" | "version" | "name">) => m.id ?? `${m.tier}/${m.version}_${m.name}`;

/** Where the request's fields are, for a 422 naming one: a POST's body or the plan's query. */
export type FieldLocation = "body" | "query";

export async function planExecutionRollback(originalId: string, targetIds?: readonly string[], where: FieldLocation = "body"): Promise<RollbackPlan> {
  const original = await getExecutionRowOrThrow(originalId);
  assertRollbackable(original);
  const left = await stillApplied(getDb(), originalId);
  const chosen = targetIds ? chooseTargets(left, targetIds, where) : left;
  if (left.every((l) => l.appliedTotal === 0)) {
    throw conflict(`execution ${originalId} applied no migration: there is nothing to roll back`);
  }
  const withWork = chosen.filter((l) => l.applied.length > 0);
  if (withWork.length === 0) {
    throw conflict(
      targetIds
        ? `nothing to roll back on ${listSome(chosen.map((l) => targetLabel(l.target)))}: ${chosen.length === 1 ? "it applied nothing in" : "they applied nothing in"} execution ${originalId}, or it was rolled back already`
        : `everything execution ${originalId} applied was rolled back already`,
      { execution_id: originalId },
    );
  }
  const catalog = await getCatalogOrThrow();
  const order = new Map(catalog.migrations.map((m, i) => [m.id, i]));
  const targets = withWork.map(({ target: t, applied }) => ({
    target: engineTarget(t),
    sourceTargetId: t.id,
    reverts: applied
      .map((m) => ({ id: idOf(m), version: m.version, name: m.name, tier: m.tier, checksum: m.checksum, migration: catalog.byId.get(idOf(m)) ?? null }))
      .sort((a, b) => (order.get(b.id) ?? -1) - (order.get(a.id) ?? -1)),
  }));
  return {
    catalog,
    original,
    toVersion: null,
    scope: fromExecutionParams(original.scope, original.params),
    targetIds: targetIds ? [...targetIds] : null,
    targets,
    leftOut: chosen
      .filter((l) => l.applied.length === 0)
      .map((l) => ({
        sourceTargetId: l.target.id,
        label: targetLabel(l.target),
        reason: l.appliedTotal === 0 ? "applied nothing" : "rolled back already",
      })),
    refusals: refusalsOf(targets.flatMap((t) => t.reverts), "the execution applied"),
  };
}

/** Only executions that applied something can be rolled back, and only once they stopped running. */
function assertRollbackable(original: repo.ExecutionRow) {
  if (original.kind !== "migrate" || original.dryRun) {
    throw conflict(
      `execution ${original.id} is a ${original.kind === "rollback" ? "rollback" : "rehearsal"}: only executions that applied migrations can be rolled back`,
      { kind: original.kind },
    );
  }
  if (original.status === "rolled_back") throw conflict(`execution ${original.id} was already rolled back`, { status: original.status });
  if (!ROLLBACK_SOURCE_STATUSES.includes(original.status)) {
    throw conflict(
      `execution ${original.id} is ${original.status.replace("_", " ")}: wait until it ends (or cancel it), then roll back what it applied`,
      { status: original.status },
    );
  }
}

/** The named targets, each of which must belong to the execution (422 naming the field otherwise). */
function chooseTargets<T extends { target: repo.TargetRow }>(all: readonly T[], ids: readonly string[], where: FieldLocation): T[] {
  const byId = new Map(all.map((l) => [l.target.id, l]));
  const fields = ids.flatMap((id, i) =>
    byId.has(id) ? [] : [{ field: `target_ids.${i}`, message: `${id} is not a target of this execution`, code: "custom" }],
  );
  if (fields.length > 0) {
    throw new AppError("validation_error", `invalid ${where}: ${fields.slice(0, 3).map((f) => `${f.field}: ${f.message}`).join("; ")}`, {
      location: where,
      fields: firstOf(fields),
    });
  }
  return [...new Set(ids)].map((id) => byId.get(id)!);
}

export interface VersionTargetInput {
  database_id: string;
  schema_name?: string;
  tenant_id?: string;
  to_version: string;
}

/** One target back to a version: what its history records after it, newest first. */
export async function planVersionRollback(input: VersionTargetInput, where: FieldLocation = "body"): Promise<RollbackPlan> {
  const scope: ScopeInput = {
    scope: "single",
    database_id: input.database_id,
    ...(input.schema_name ? { schema_name: input.schema_name } : {}),
    ...(input.tenant_id ? { tenant_id: input.tenant_id } : {}),
  };
  const [catalog, discovery] = await Promise.all([getCatalogOrThrow(), discoverTargets(scope)]);
  if (discovery.targets.length !== 1) {
    throw new AppError("validation_error", `invalid ${where}: schema_name: the database hosts several tenant schemas; name one`, {
      location: where,
      fields: [{ field: "schema_name", message: `name one of the database's ${discovery.targets.length} tenant schemas (or tenant_id)`, code: "custom" }],
    });
  }
  const target = discovery.targets[0]!;
  const { histories, unreachable } = await readFleetHistories([target], discovery.connections);
  const down = unreachable.get(target.connectionId);
  if (down) throw new AppError("service_unavailable", `the history of ${target.connectionName}/${target.schemaName} could not be read: ${down.message}`);
  const history = histories.get(`${target.connectionId}/${target.schemaName}`) ?? [];
  const after = history.filter((r) => compareVersions(r.version, input.to_version) > 0).sort((a, b) => compareVersions(b.version, a.version));
  if (after.length === 0) {
    throw conflict(`nothing to roll back: ${target.connectionName}/${target.schemaName} records no migration after version ${input.to_version}`, {
      field: "to_version",
      to_version: input.to_version,
    });
  }
  const byVersion = new Map(catalog.byTier[target.tier].map((m) => [versionKey(m.version), m]));
  const reverts = after.map((r) => {
    const m = byVersion.get(versionKey(r.version)) ?? null;
    return { id: m?.id ?? `${target.tier}/${r.version}_${r.name}`, version: r.version, name: r.name, tier: target.tier, checksum: r.checksum, migration: m };
  });
  return {
    catalog,
    original: null,
    toVersion: input.to_version,
    scope,
    targetIds: null,
    targets: [{ target, sourceTargetId: null, reverts }],
    leftOut: [],
    refusals: [...historyRefusals(after, reverts), ...refusalsOf(reverts, "they were applied")],
  };
}

/** Baselined and interrupted rows after the version: the console neither undoes nor guesses them. */
function historyRefusals(rows: readonly HistoryRow[], reverts: readonly PlannedRevert[]): RollbackRefusal[] {
  const file = (i: number) => reverts[i]!.migration?.file ?? reverts[i]!.id;
  const baselined = rows.flatMap((r, i) => (r.state === "baselined" ? [{ file: file(i), version: r.version }] : []));
  const interrupted = rows.flatMap((r, i) => (r.state === "started" || r.state === "failed" ? [file(i)] : []));
  const out: RollbackRefusal[] = [];
  if (baselined.length > 0) {
    const newest = baselined[0]!.version;
    out.push({
      code: "baselined",
      files: baselined.map((b) => b.file),
      message: `cannot roll back: ${baselined.map((b) => b.file).join(", ")} ${baselined.length === 1 ? "was" : "were"} baselined (marked as applied, never run by the console), and the console never rolls back a baselined migration; choose version ${newest} or later`,
    });
  }
  if (interrupted.length > 0) {
    out.push({
      code: "interrupted",
      files: interrupted,
      message: `cannot roll back: ${interrupted.join(", ")} ran outside a transaction and did not finish; resolve ${interrupted.length === 1 ? "it" : "them"} first`,
    });
  }
  return out;
}

/** Files that left the catalog, have no down part, or changed since they ran. */
function refusalsOf(reverts: readonly PlannedRevert[], applied: string): RollbackRefusal[] {
  const unique = <T>(xs: T[]) => [...new Set(xs)];
  const gone = unique(reverts.filter((r) => !r.migration).map((r) => r.id));
  const noDown = unique(reverts.filter((r) => r.migration && r.migration.down === null).map((r) => r.migration!.file));
  const changed = unique(reverts.filter((r) => r.migration && r.migration.checksum !== r.checksum).map((r) => r.migration!.file));
  const out: RollbackRefusal[] = [];
  const add = (code: RollbackRefusalCode, files: string[], message: string) => {
    if (files.length > 0) out.push({ code, files, message });
  };
  add("not_in_catalog", gone, `cannot roll back: ${gone.join(", ")} ${gone.length === 1 ? "is" : "are"} no longer in the catalog`);
  add("irreversible", noDown, `cannot roll back: no down part in ${noDown.join(", ")}`);
  add(
    "changed",
    changed,
    `cannot roll back: ${changed.join(", ")} changed since ${applied} ${changed.length === 1 ? "it" : "them"}, so ${changed.length === 1 ? "its down part" : "their down parts"} may not undo what ran`,
  );
  return out;
}

/** 409 naming every refusal, or nothing when the plan can run. Details keep each list by name. */
export function assertNoRefusals(plan: RollbackPlan): void {
  if (plan.refusals.length === 0) return;
  const files = (code: RollbackRefusalCode) => plan.refusals.find((r) => r.code === code)?.files ?? [];
  throw conflict(plan.refusals.map((r) => r.message).join("; "), {
    refusals: plan.refusals,
    files_without_down: files("irreversible"),
    baselined: files("baselined"),
    missing: files("not_in_catalog"),
    changed_files: files("changed"),
  });
}

/**
 * The plan as GET /api/migrations/rollback/plan answers it: one page of its targets (an execution
 * may have 100,000), and at most a page's worth of the targets left out and of the refusals; the
 * totals count everything.
 */
export function rollbackPlanView(plan: RollbackPlan, page: { limit: number; offset: number }): RollbackPlanView {
  return {
    execution_id: plan.original?.id ?? null,
    to_version: plan.toVersion,
    can_roll_back: plan.refusals.length === 0,
    totals: {
      targets: plan.targets.length,
      migrations: plan.targets.reduce((n, t) => n + t.reverts.length, 0),
      left_out: plan.leftOut.length,
      refusals: plan.refusals.length,
    },
    page: { total: plan.targets.length, limit: page.limit, offset: page.offset },
    targets: plan.targets.slice(page.offset, page.offset + page.limit).map(({ target: t, sourceTargetId, reverts }) => ({
      execution_target_id: sourceTargetId,
      database_id: t.connectionId,
      connection_name: t.connectionName,
      database_name: t.databaseName,
      schema_name: t.schemaName,
      database_type: t.tier,
      region: t.region,
      tenant_id: t.tenantId ?? null,
      migrations: reverts.map((r) => ({
        id: r.id,
        version: r.version,
        name: r.name,
        file: r.migration?.file ?? null,
        transactional: r.migration?.transactional ?? null,
        has_down: r.migration ? r.migration.down !== null : null,
      })),
    })),
    left_out: plan.leftOut.slice(0, page.limit).map((l) => ({ execution_target_id: l.sourceTargetId, target: l.label, reason: l.reason })),
    refusals: plan.refusals.slice(0, page.limit),
  };
}

function engineTarget(t: repo.TargetRow): Target {
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
