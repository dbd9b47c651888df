import { normalizeScope, type ScopeRequest } from "@/components/api/scope-request";
import type { ApiCall } from "./api-call";

/**
 * The console's writes and reads that pages offer to copy, built from what the page holds: the
 * same body the page itself sends.
 */

/** GET /api/migrations/dynamic/plan for a scope (the page's own paging left out). */
export function planCall(scope: ScopeRequest): ApiCall {
  return { operation: "getPlan", method: "GET", path: "/api/migrations/dynamic/plan", query: { ...normalizeScope(scope) } };
}

/** POST /api/migrations/execute, pinned to the reviewed fingerprint; a rehearsal with dryRun. */
export function executeCall(scope: ScopeRequest, fingerprint: string, dryRun: boolean): ApiCall {
  return {
    operation: "execute",
    method: "POST",
    path: "/api/migrations/execute",
    body: { ...normalizeScope(scope), dry_run: dryRun, plan_fingerprint: fingerprint },
  };
}

/** POST /api/migrations/rollback of one execution. */
export function rollbackCall(executionId: string): ApiCall {
  return { operation: "rollback", method: "POST", path: "/api/migrations/rollback", body: { execution_id: executionId } };
}

/** POST /api/tenants/{id}/migrate, pinned to the tenant's plan. */
export function tenantMigrateCall(tenantId: string, fingerprint: string, dryRun: boolean): ApiCall {
  return {
    operation: "tenantMigrate",
    method: "POST",
    path: `/api/tenants/${encodeURIComponent(tenantId)}/migrate`,
    params: { id: tenantId },
    body: { dry_run: dryRun, plan_fingerprint: fingerprint },
  };
}
