import { z } from "zod";
import { defineEndpoint } from "../contracts/endpoint";
import {
  ZExecuteRequest,
  ZExecutionDetail,
  ZExecutionIdParams,
  ZExecutionList,
  ZExecutionListQuery,
  ZExecutionStatusQuery,
  ZExecutionSummary,
} from "./executions/execution-schemas";
import {
  ZRollbackPlan,
  ZRollbackPlanQuery,
  ZRollbackRequest,
  ZTenantRollbackRequest,
  ZVersionRollbackRequest,
} from "./executions/rollback-schemas";
import { ZExecutionLocks } from "./executions/lock-view-schemas";
import { ZResumeRequest } from "./executions/rollout-schemas";
import { ZMigrationsHealth } from "../health/migrations-health";
import { ZFleetState, ZFleetStateQuery } from "./plans/fleet-state-schemas";
import { ZCatalog, ZPlan, ZPlanQuery, ZTargetsQuery, ZTargetsResponse, ZTenantMigrateRequest, ZTenantMigrations } from "./plans/plan-schemas";

const ZEventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional().describe("replay events after this id (like the Last-Event-ID header)"),
});

const tags = ["Migrations"];

export const getCatalogEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/catalog",
  summary: "The migration catalog",
  description:
    "Every migration file of MIGRATIONS_DIR in dependency order, with checksum, directives, lint findings, source and " +
    "statements, and every file that does not load under `problems` (file, line, reason, the tiers it keeps from being " +
    "planned). Reloaded when a file changes. Only a MIGRATIONS_DIR that cannot be read at all is a 503.",
  tags,
  access: "migrations:read",
  response: ZCatalog,
});

export const getFleetStateEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/fleet-state",
  summary: "The fleet's migration state per tier and region",
  description:
    "How many active targets of each tier and region are at head, behind, blocked, failed in their last execution, or " +
    "never read, and how many migrations are pending, from what the console last read of each target (kept current by " +
    "plans, executions, baselines and resolves) compared with the catalog now: no fleet database is read. With " +
    "connection_id, only that database's targets, and its own target's state.",
  tags,
  access: "migrations:read",
  query: ZFleetStateQuery,
  response: ZFleetState,
});

export const getTargetsEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/dynamic/targets",
  summary: "Targets of a scope",
  description:
    "Which (database, schema) targets a scope covers, from the registry (active databases and tenants only), plus the " +
    "providers outside the scope that satisfy cross-target requirements. Unknown region, tenant or database: 404; " +
    "an inactive one asked for explicitly: 409.",
  tags,
  access: "migrations:read",
  query: ZTargetsQuery,
  response: ZTargetsResponse,
});

export const getPlanEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/dynamic/plan",
  summary: "Plan a scope",
  description:
    "Reads every target's history (in bulk, per database) and returns per target the pending migrations in order, " +
    "drift, interrupted migrations, cross-target requirements and lint findings, with totals and a fingerprint to pin " +
    "in POST /api/migrations/execute. Targets are paginated (limit, offset, status); totals cover the whole plan. The " +
    "console keeps its latest plans for a while: pass the returned fingerprint to page through that same plan without " +
    "planning the fleet again. A " +
    "database that cannot be read is listed under `unreachable` and its targets have status unreachable.",
  tags,
  access: "migrations:read",
  query: ZPlanQuery,
  response: ZPlan,
});

export const executeEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/execute",
  summary: "Execute (or rehearse) a scope",
  description:
    "Plans the scope and records an execution with one target per target that has work (up-to-date targets are left " +
    "out; blocked ones are recorded as failed without running), then queues one job per target. With plan_fingerprint " +
    "the previewed plan is pinned: if the fleet or the catalog changed since, 409 plan_changed with what changed. With " +
    "dry_run the same path rehearses (kind rehearsal). With REQUIRE_APPROVAL=true a real execution waits in pending " +
    "until POST /api/migrations/{id}/approve. Returns 202 with the execution; follow it with GET " +
    "/api/migrations/{id}/events (SSE) or GET /api/migrations/status/{id}.",
  tags,
  access: "migrations:execute",
  body: ZExecuteRequest,
  response: ZExecutionDetail,
  status: 202,
  action: "migrations.execute",
  resourceType: "execution",
});

export const listExecutionsEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations",
  summary: "List executions",
  description: "Newest first; filtered by status, scope, kind, executed_by, dry_run; paginated (limit ≤ 100).",
  tags,
  access: "migrations:read",
  query: ZExecutionListQuery,
  response: ZExecutionList,
});

export const executionStatusEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/status/{id}",
  summary: "One execution with its progress and per-target results",
  description:
    "Progress (totals, completed, failed, skipped, current target, ETA) and, a page at a time (target_limit, " +
    "target_offset, target_status), each target's status, attempts, migrations with durations, and error with " +
    "PostgreSQL code, file and line.",
  tags,
  access: "migrations:read",
  params: ZExecutionIdParams,
  query: ZExecutionStatusQuery,
  response: ZExecutionDetail,
});

export const executionEventsEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/{id}/events",
  summary: "Live events of an execution (Server-Sent Events)",
  description:
    "text/event-stream. Each event has `id:` (its row id), `event:` (its type) and `data:` ({id, execution_id, type, " +
    "created_at, payload}). Replays from the Last-Event-ID header or ?after=<id>, sends `: heartbeat` comments every " +
    "15 s, and ends after execution_finished. Types: execution_created, execution_approved, execution_started, " +
    "target_waiting, target_started, migration_started, migration_finished, target_retry_scheduled, target_finished, " +
    "targets_skipped, cancel_requested, wave_started, execution_halted, execution_resumed, execution_finished.",
  tags,
  access: "migrations:read",
  params: ZExecutionIdParams,
  query: ZEventsQuery,
  produces: "text/event-stream",
  rateLimited: false,
});

export const executionLocksEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/{id}/locks",
  summary: "Lock waits of an execution's running targets",
  description:
    "For each running target: its migration session on the target database (application_name " +
    "`infrastructure-console:<target id>`), whether it waits for a lock (type, mode, relation, since when) and the " +
    "sessions blocking it (pid, application name, user, state, statement and transaction start, modes held), read " +
    "from pg_locks and pg_stat_activity when asked. Other roles' session details need pg_read_all_stats on the " +
    "target. Empty when the execution is not in progress. The execution page polls it while targets run.",
  tags,
  access: "migrations:read",
  params: ZExecutionIdParams,
  response: ZExecutionLocks,
});

export const cancelEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/{id}/cancel",
  summary: "Cancel an execution",
  description:
    "Queued targets become skipped at once; running targets finish their current migration, then stop. The execution " +
    "ends cancelled. Cancelling an execution that already ended: 409.",
  tags,
  access: "migrations:execute",
  params: ZExecutionIdParams,
  response: ZExecutionSummary,
  action: "migrations.cancel",
  resourceType: "execution",
});

export const resumeEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/{id}/resume",
  summary: "Resume a halted rollout",
  description:
    "A waved execution halted by its halt rule goes on: with retry_failed (default true) the halted wave's failed " +
    "targets (except those blocked at planning) are queued again, each re-reading its history so nothing runs twice; " +
    "with retry_failed false their failures are accepted. The halt rule then counts only failures after the resume. " +
    "The wave's queued targets start again and, once it finished, the next wave follows. 409 when the execution is not " +
    "halted. To give up instead, roll it back (POST /api/migrations/rollback) or cancel it.",
  tags,
  access: "migrations:execute",
  params: ZExecutionIdParams,
  body: ZResumeRequest,
  response: ZExecutionSummary,
  action: "migrations.resume",
  resourceType: "execution",
});

export const approveEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/{id}/approve",
  summary: "Approve an execution waiting for approval",
  description:
    "REQUIRE_APPROVAL=true: a second user with migrations:manage approves; the user who started the execution cannot " +
    "(403). The plan must still match the one requested (else 409 plan_changed with what changed). Queues the jobs.",
  tags,
  access: "migrations:manage",
  params: ZExecutionIdParams,
  response: ZExecutionSummary,
  action: "migrations.approve",
  resourceType: "execution",
});

export const rollbackEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/rollback",
  summary: "Roll back an execution (all of it, or some of its targets), or rehearse that",
  description:
    "A new execution (kind rollback, metadata.rollback_of) runs the down parts of exactly the migrations the original " +
    "applied and no rollback undid yet, per target newest first, tenants before the shared target their migrations " +
    "need. The original may be completed, failed, cancelled or halted (a halted rollout must have no target still " +
    "running; rolling it back skips its queued targets and ends it failed): targets that applied nothing are left out. target_ids " +
    "limits it to some of the original's targets (422 naming target_ids.N for one that is not). When nothing the " +
    "original applied is left, it becomes rolled_back (a failed or cancelled one keeps its error_message, and " +
    "metadata.rolled_back.status_before says what it was). dry_run rehearses: the same plan, each target's down parts " +
    "in a transaction that is rolled back, with the real errors; nothing changes. 409, with nothing recorded, when the " +
    "original is still running, is a rehearsal or a rollback, has nothing left to undo, or applied a file that has no " +
    "down part, left the catalog or changed since (details.refusals names the files). GET /api/migrations/rollback/plan " +
    "shows the same plan without starting anything.",
  tags,
  access: "migrations:execute",
  body: ZRollbackRequest,
  response: ZExecutionDetail,
  status: 202,
  action: "migrations.rollback",
  resourceType: "execution",
});

export const rollbackToVersionEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/rollback/to-version",
  summary: "Roll back one target to a version, or rehearse that",
  description:
    "One target (database_id, and schema_name or tenant_id for a schema other than the database's own): every " +
    "migration its history records after to_version is undone, newest first, as an execution of kind rollback " +
    "(metadata.to_version). dry_run rehearses it. 409, with nothing recorded, when nothing is recorded after the " +
    "version, or one of those migrations was baselined (the console never rolls back what it did not run), is " +
    "interrupted, has no down part, left the catalog or changed since it ran (details.refusals names the files). " +
    "For a tenant, POST /api/tenants/{id}/rollback does the same.",
  tags,
  access: "migrations:execute",
  body: ZVersionRollbackRequest,
  response: ZExecutionDetail,
  status: 202,
  action: "migrations.rollback_to_version",
  resourceType: "execution",
});

export const rollbackPlanEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/rollback/plan",
  summary: "What a rollback would undo, per target, and what would refuse it",
  description:
    "The plan POST /api/migrations/rollback (execution_id, target_ids) or POST /api/migrations/rollback/to-version " +
    "(database_id, schema_name or tenant_id, to_version) would run: per target the migrations undone, newest first; " +
    "the execution's targets with nothing left to undo; and the refusals (files without a down part, baselined, " +
    "gone, changed, interrupted) that would make it answer 409. Starts nothing.",
  tags,
  access: "migrations:read",
  query: ZRollbackPlanQuery,
  response: ZRollbackPlan,
  errors: [404, 409],
});

export const retryEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/{id}/retry",
  summary: "Retry the targets of a failed or cancelled execution that did not succeed",
  description:
    "A new execution (metadata.retry_of) of the original's failed, skipped and never-started targets, planned fresh " +
    "against the current catalog (so each ends at the catalog's head); the targets that succeeded are left alone, and " +
    "targets no longer active are left out (metadata.left_out). Same rules as POST /api/migrations/execute (approval, " +
    "events, cancel, rollback). 409 when the original completed, was rolled back, is still running, is a rehearsal " +
    "or a rollback, or a retry of it is already running.",
  tags,
  access: "migrations:execute",
  params: ZExecutionIdParams,
  response: ZExecutionDetail,
  status: 202,
  action: "migrations.retry",
  resourceType: "execution",
});

export const migrationsHealthEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/health",
  summary: "Migration engine and queue health",
  tags,
  access: "migrations:read",
  response: ZMigrationsHealth,
});

export const tenantMigrationsEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/tenants/{id}/migrations",
  summary: "One tenant's migrations: applied, pending, drift",
  description:
    "The tenant's history table (applied, interrupted or failed versions, with drift flagged), the pending migrations in " +
    "order, what blocks the tenant, and a fingerprint to pin in POST /api/tenants/{id}/migrate. Works for tenants of " +
    "any status.",
  tags: ["Tenants"],
  access: "migrations:read",
  params: ZExecutionIdParams,
  response: ZTenantMigrations,
});

export const tenantMigrateEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/tenants/{id}/migrate",
  summary: "Migrate (or rehearse) one tenant",
  description:
    "An execution of scope single for the tenant's schema (same rules as POST /api/migrations/execute: approval, pinned " +
    "fingerprint, dry_run). Only active tenants (409 otherwise). Returns 202 with the execution.",
  tags: ["Tenants"],
  access: "migrations:execute",
  params: ZExecutionIdParams,
  body: ZTenantMigrateRequest,
  response: ZExecutionDetail,
  status: 202,
  action: "tenants.migrate",
  resourceType: "tenant",
});

export const tenantRollbackEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/tenants/{id}/rollback",
  summary: "Roll back (or rehearse rolling back) one tenant to a version",
  description:
    "POST /api/migrations/rollback/to-version for the tenant's schema: every migration applied after to_version is " +
    "undone, newest first, as an execution of kind rollback. Only active tenants (409 otherwise). Baselined " +
    "migrations are never rolled back (409 naming them). Returns 202 with the execution.",
  tags: ["Tenants"],
  access: "migrations:execute",
  params: ZExecutionIdParams,
  body: ZTenantRollbackRequest,
  response: ZExecutionDetail,
  status: 202,
  action: "tenants.rollback",
  resourceType: "tenant",
});
