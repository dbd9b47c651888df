import type { Principal } from "../auth/principal";
import { actorName } from "../auth/principal";
import { hasPermission } from "../domain/permissions";
import { AppError } from "../errors/app-error";
import { getLogger } from "../logging/logger";
import type { ExecutionDetail } from "../migrations/executions/execution-schemas";
import { getExecutionDetail } from "../migrations/executions/read-executions";
import { migrateTenant } from "../migrations/executions/tenant-migrations";
import { createTenantWithBaseline } from "../migrations/history-edits/register-tenants";
import type { OnboardingMigration, Tenant, TenantCreate, TenantCreated } from "../tenants/schemas";

/**
 * Onboarding: register a tenant (creating or baselining its schema when asked) and, with
 * `migrate`, bring it to the catalog's head at once as an ordinary execution of scope `single`
 * (the tenant's database and id), exactly what POST /api/tenants/{id}/migrate starts. The
 * operator follows it like any other execution.
 *
 * Registration comes first and stands on its own: whatever happens to the migration afterwards
 * (the plan cannot be made, the target is blocked), the tenant stays registered and the result's
 * `migration` says what happened. Only what can be checked before anything is written refuses the
 * whole request: the input (422), the permissions (403), the registration's own rules.
 *
 * `migrate` without `create_schema` migrates the schema as it is: its history table says what is
 * pending (with `baseline`, the marked versions are skipped and only newer ones run). A schema that
 * does not exist yet is created by the migration itself, as for any target; a schema that already
 * holds the tenant tier's tables but no history would fail on its first CREATE: baseline it.
 */
export async function onboardTenant(input: TenantCreate, principal: Principal): Promise<TenantCreated> {
  if (input.migrate && !hasPermission(principal.permissions, "migrations:execute")) {
    throw new AppError("forbidden", "missing permission: migrations:execute (needed to migrate the tenant it registers)", {
      required_permission: "migrations:execute",
    });
  }
  const created = await createTenantWithBaseline(input, principal);
  if (!input.migrate) return created;
  return { ...created, migration: await startMigration(created, actorName(principal)) };
}

/** Starts the tenant's migration; never throws (the tenant is registered already). */
async function startMigration(tenant: Tenant, actor: string): Promise<OnboardingMigration> {
  let recorded: { id: string; status: ExecutionDetail["status"] };
  try {
    recorded = await migrateTenant(tenant.id, { dryRun: false, executedBy: actor });
  } catch (error) {
    const known = error instanceof AppError;
    if (!known) getLogger().error({ err: error, tenantId: tenant.id }, "onboarding: the new tenant's migration could not be planned");
    const reason = known ? error.message : "an unexpected error (see the console's log)";
    return {
      outcome: "not_started",
      execution: null,
      reasons: [],
      error: { code: known ? error.code : "internal_error", message: reason },
      message: `Tenant ${tenant.slug} is registered, but its migration was not started: ${reason}. Migrate it from its page once this is fixed.`,
    };
  }
  const execution = await getExecutionDetail(recorded.id, { target_limit: 1 }).catch(() => null);
  if (!execution) {
    // Recorded, but not readable back this instant: the execution page has the rest.
    const view = { id: recorded.id, status: recorded.status, pending_migrations: 0 };
    return { outcome: "started", execution: view, reasons: [], error: null, message: `Tenant ${tenant.slug} is registered; its migration was recorded.` };
  }
  const target = execution.targets[0];
  const view = { id: execution.id, status: execution.status, pending_migrations: target?.migrations.length ?? 0 };
  if (target?.error?.code === "blocked") {
    const reasons = target.error.message.split("; ");
    return {
      outcome: "blocked",
      execution: view,
      reasons,
      error: null,
      message: `Tenant ${tenant.slug} is registered; its migration is blocked and nothing ran: ${target.error.message}. Migrate it again once that is applied.`,
    };
  }
  if (!target) {
    return { outcome: "up_to_date", execution: view, reasons: [], error: null, message: `Tenant ${tenant.slug} is registered and already at the catalog's head.` };
  }
  const awaiting = execution.status === "pending";
  return {
    outcome: awaiting ? "awaiting_approval" : "started",
    execution: view,
    reasons: [],
    error: null,
    message: awaiting
      ? `Tenant ${tenant.slug} is registered; its migration (${view.pending_migrations} migrations) waits for approval.`
      : `Tenant ${tenant.slug} is registered; its migration to the catalog's head (${view.pending_migrations} migrations) has started.`,
  };
}

/** What the audit record of a registration keeps of its migration. */
export function onboardingAuditDetails(m: OnboardingMigration) {
  return { outcome: m.outcome, execution_id: m.execution?.id ?? null, error: m.error?.message ?? null };
}
