import { getDb } from "../../db/client";
import { notFound } from "../../errors/app-error";
import { lastEventId } from "./events-repository";
import type { ExecutionDetail, ExecutionListQuery, ExecutionStatusQuery } from "./execution-schemas";
import { executionSummaryView, planTotalsOf, targetView } from "./execution-view";
import * as repo from "./repository";

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
    targets: rows.map(targetView),
    targets_page: { total, limit, offset },
    plan_totals: planTotalsOf(row),
    last_event_id: eventsUpTo,
  };
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
