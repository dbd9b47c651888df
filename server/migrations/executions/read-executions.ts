import { getDb } from "../../db/client";
import { notFound } from "../../errors/app-error";
import { lastEventId } from "./events-repository";
import type { ExecutionDetail, ExecutionListQuery, ExecutionStatusQuery } from "./execution-schemas";
import { executionSummaryView, planTotalsOf, targetView } from "./execution-view";
import * as repo from "./repository";
import { getCatalogOrThrow } from "../plans/catalog-store";
import type { SizeReviewView } from "../plans/plan-schemas";
import { getReviewPolicy } from "../plans/review-policy";
import { sizeReview } from "../plans/size-review";
import { withWindowWaits } from "./window-view";

/** GET /api/migrations/status/{id} and GET /api/migrations. */

export async function getExecutionRowOrThrow(id: string): Promise<repo.ExecutionRow> {
  const row = await repo.findExecution(getDb(), id);
  if (!row) throw notFound("execution", id);
  return row;
}

export async function getExecutionDetail(id: string, q: Partial<ExecutionStatusQuery> = {}): Promise<ExecutionDetail> {
  // Read before the state: every change comes with its event in one transaction, so the state read
  // next includes at least everything up to this id; a client resuming from it misses nothing
  // (it may see a few events whose effect the state already shows, which it applies idempotently).
  const eventsUpTo = await lastEventId(getDb(), id);
  const row = await getExecutionRowOrThrow(id);
  const limit = q.target_limit ?? 500;
  const offset = q.target_offset ?? 0;
  const { rows, total } = await repo.listTargets(getDb(), id, { status: q.target_status, limit, offset });
  return {
    ...executionSummaryView(row),
    ...(await withWindowWaits(row, rows.map(targetView))),
    targets_page: { total, limit, offset },
    plan_totals: planTotalsOf(row),
    size_review: await rehearsalSizeReview(row, rows, total),
    last_event_id: eventsUpTo,
  };
}

/**
 * A finished rehearsal's size review: the tables its migrations locked, judged by the policy's
 * thresholds (README, "Size-aware rehearsal"). Null for other kinds and while it runs.
 */
async function rehearsalSizeReview(row: repo.ExecutionRow, page: repo.TargetRow[], total: number): Promise<SizeReviewView | null> {
  if (row.kind !== "rehearsal" || !row.completedAt) return null;
  const targets = total <= page.length ? page : (await repo.listTargets(getDb(), row.id, { limit: total, offset: 0 })).rows;
  const catalog = await getCatalogOrThrow();
  return sizeReview(
    catalog,
    targets.map((t) => ({ connectionId: t.connectionId, connectionName: t.connectionName, schemaName: t.schemaName, executionId: row.id, migrations: t.migrations })),
    getReviewPolicy(),
  );
}

export async function listExecutionSummaries(q: ExecutionListQuery) {
  const { rows, total } = await repo.listExecutions(getDb(), {
    limit: q.limit,
    offset: q.offset,
    status: q.status,
    scope: q.scope,
    kind: q.kind,
    executedBy: q.executed_by,
    dryRun: q.dry_run,
    rollbackOf: q.rollback_of,
    retryOf: q.retry_of,
  });
  return { executions: rows.map(executionSummaryView), total, limit: q.limit, offset: q.offset };
}

/** Executions that still have to run on a tenant's schema (pending approval, queued or running there). */
export async function activeExecutionsOnTenant(t: { tenantId: string; connectionId: string; schemaName: string }) {
  return repo.activeExecutionsOnTarget(getDb(), t);
}
