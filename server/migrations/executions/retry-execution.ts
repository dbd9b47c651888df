import { getDb } from "../../db/client";
import { conflict } from "../../errors/app-error";
import { listSome } from "../../errors/list-some";
import { targetKey } from "../engine/types";
import { getCatalogOrThrow } from "../plans/catalog-store";
import { discoverTargets } from "../plans/discover-targets";
import { planDiscovered, type FleetPlan } from "../plans/plan-service";
import { fromExecutionParams } from "../plans/scope";
import { createExecution } from "./create-execution";
import { getExecutionRowOrThrow } from "./read-executions";
import * as repo from "./repository";
import { targetLabel } from "./target-state";

/**
 * Retry: a failed or cancelled execution's targets that did not succeed (failed, skipped, never
 * started) run again as a new execution linked to it (`metadata.retry_of`). They are planned fresh
 * against the current catalog and their histories, so a target finishes at the catalog's head
 * whatever the original planned, and what another execution did in between is not done twice.
 * Targets that succeeded are left alone; a target no longer active in the registry is left out and
 * named. The new execution follows the ordinary rules (approval, events, cancel, rollback).
 */

const RETRYABLE_TARGETS = new Set(["failed", "skipped", "pending", "running"]);

export async function retryExecution(originalId: string, executedBy: string): Promise<repo.ExecutionRow> {
  const original = await getExecutionRowOrThrow(originalId);
  const { fleet, retried, leftOut } = await retryPlan(original);
  const [active] = await repo.activeLinkedExecutions(getDb(), "retry_of", originalId);
  if (active) throw conflict(`retry ${active.id} of this execution is already ${active.status}`, { retry_id: active.id });
  return (await createExecution({
    scope: fromExecutionParams(original.scope, original.params),
    dryRun: false,
    executedBy,
    fleet,
    metadata: {
      retry_of: originalId,
      retried_targets: retried,
      ...(leftOut.length > 0 ? { left_out: leftOut.slice(0, 20).map((label) => ({ target: label, reason: "no longer active in the registry" })) } : {}),
    },
  }))!;
}

/**
 * The plan of a retry: the original's unfinished targets that are still active, with every other
 * non-tenant target of the fleet as a provider (a tenant retried alone still sees its region's
 * shared target). Also what an approver re-plans to check nothing changed since.
 */
export async function retryPlan(original: repo.ExecutionRow): Promise<{ fleet: FleetPlan; retried: number; leftOut: string[] }> {
  if (original.kind !== "migrate" || original.dryRun) {
    throw conflict(`execution ${original.id} is a ${original.kind === "rollback" ? "rollback" : "rehearsal"}: only an execution that applies migrations is retried (rehearse or roll back again instead)`, {
      kind: original.kind,
    });
  }
  if (original.status !== "failed" && original.status !== "cancelled") {
    throw conflict(
      original.status === "completed"
        ? `execution ${original.id} completed: every target succeeded, there is nothing to retry`
        : original.status === "rolled_back"
          ? `execution ${original.id} was rolled back: plan and execute again instead`
          : `execution ${original.id} is ${original.status.replace("_", " ")}: wait until it ends (or cancel it), then retry`,
      { status: original.status },
    );
  }
  const unfinished = (await repo.allTargets(getDb(), original.id)).filter((t) => RETRYABLE_TARGETS.has(t.status));
  if (unfinished.length === 0) throw conflict(`execution ${original.id} has no failed or skipped target to retry`);
  const keys = new Set(unfinished.map(targetKey));

  const [catalog, fleet] = await Promise.all([getCatalogOrThrow(), discoverTargets({ scope: "all" })]);
  const targets = fleet.targets.filter((t) => keys.has(targetKey(t)));
  const found = new Set(targets.map(targetKey));
  const leftOut = unfinished.filter((t) => !found.has(targetKey(t))).map(targetLabel);
  if (targets.length === 0) {
    throw conflict(`none of the targets to retry is active any more: ${listSome(leftOut)}`, { left_out: leftOut.slice(0, 20) });
  }
  const providers = [...fleet.providers, ...fleet.targets.filter((t) => t.tier !== "tenant" && !keys.has(targetKey(t)))];
  const plan = await planDiscovered(fromExecutionParams(original.scope, original.params), catalog, { ...fleet, targets, providers });
  return { fleet: plan, retried: targets.length, leftOut };
}
