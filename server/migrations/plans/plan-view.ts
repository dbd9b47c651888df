import { readFile } from "node:fs/promises";
import path from "node:path";
import type { PendingMigration, TargetPlan } from "../engine/plan-types";
import { targetKey, type Catalog, type PlanWarning, type Target } from "../engine/types";
import type { CatalogState } from "./catalog-store";
import type { Discovery } from "./discover-targets";
import { targetStatus, type FleetPlan } from "./plan-service";
import type { CatalogView, PlanQuery, PlanTargetView, PlanTotalsView, PlanView, TargetRefView } from "./plan-schemas";
import { scopeParamsView, toExecutionParams } from "./scope";
import { levelOf, planReviewView, type PlanReview } from "./plan-review";

/** Engine objects → the API's snake_case shapes (plan-schemas.ts). */

export function warningView(w: PlanWarning) {
  return { code: w.code, message: w.message, migration_id: w.migrationId, file: w.file, line: w.line, level: levelOf(w) };
}

export async function catalogView(catalog: Catalog, state: Pick<CatalogState, "loadedAt" | "label">): Promise<CatalogView> {
  const sources = await Promise.all(
    catalog.migrations.map((m) => readFile(path.join(catalog.dir, m.file), "utf8").catch(() => "")),
  );
  return {
    dir: state.label,
    checksum: catalog.checksum,
    loaded_at: state.loadedAt?.toISOString() ?? null,
    problems: catalog.problems.map((p) => ({ ...p })),
    broken_tiers: [...catalog.brokenTiers],
    tiers: Object.fromEntries(Object.entries(catalog.byTier).map(([tier, list]) => [tier, list.map((m) => m.id)])),
    migrations: catalog.migrations.map((m, i) => ({
      id: m.id,
      tier: m.tier,
      version: m.version,
      name: m.name,
      file: m.file,
      checksum: m.checksum,
      requires: m.requires,
      transactional: m.transactional,
      timeout_ms: m.timeoutMs,
      has_down: m.down !== null,
      warnings: m.warnings.map(warningView),
      source: sources[i]!,
      up: m.up,
      down: m.down,
    })),
  };
}

export function targetRefView(t: Target, slugs: ReadonlyMap<string, string>): TargetRefView {
  return {
    key: targetKey(t),
    database_id: t.connectionId,
    connection_name: t.connectionName,
    database_name: t.databaseName,
    schema_name: t.schemaName,
    database_type: t.tier,
    region: t.region,
    tenant_id: t.tenantId ?? null,
    tenant_slug: t.tenantId ? (slugs.get(t.tenantId) ?? null) : null,
  };
}

export function targetsView(discovery: Discovery, scope: PlanView["scope"], page: { limit: number; offset: number }) {
  return {
    scope,
    targets: discovery.targets.slice(page.offset, page.offset + page.limit).map((t) => targetRefView(t, discovery.tenantSlugs)),
    providers: discovery.providers.map((t) => targetRefView(t, discovery.tenantSlugs)),
    total: discovery.targets.length,
    page,
  };
}

export function pendingView(m: PendingMigration) {
  return {
    id: m.id,
    tier: m.tier,
    version: m.version,
    name: m.name,
    file: m.file,
    checksum: m.checksum,
    transactional: m.transactional,
    timeout_ms: m.timeoutMs,
    requires: m.requires,
    has_down: m.hasDown,
    warnings: m.warnings.map(warningView),
  };
}

export function planTargetView(fleet: FleetPlan, tp: TargetPlan): PlanTargetView {
  const unreachable = fleet.unreachable.get(tp.target.connectionId);
  return {
    ...targetRefView(tp.target, fleet.discovery.tenantSlugs),
    status: targetStatus(fleet, tp),
    included_as_provider: fleet.includedProviders.includes(tp.target),
    history_known: !unreachable,
    error: unreachable ? { code: unreachable.code, message: unreachable.message } : null,
    blocked_reasons: tp.blockedReasons,
    pending: tp.pending.map((m) => m.id),
    applied_count: tp.appliedCount,
    baselined: tp.baselined.map((b) => ({ id: b.id, version: b.version, name: b.name })),
    drift: tp.drift.map((d) => ({
      id: d.id,
      version: d.version,
      file: d.file,
      applied_checksum: d.appliedChecksum,
      file_checksum: d.fileChecksum,
      applied_at: d.appliedAt.toISOString(),
    })),
    missing_from_catalog: tp.missingFromCatalog.map((m) => ({
      version: m.version,
      name: m.name,
      checksum: m.checksum,
      applied_at: m.appliedAt.toISOString(),
    })),
    out_of_order: tp.outOfOrder.map((o) => ({ id: o.id, version: o.version, newest_applied: o.newestApplied })),
    interrupted: tp.interrupted.map((i) => ({ version: i.version, name: i.name, state: i.state, started_at: i.startedAt.toISOString() })),
    cross_target: tp.crossTarget.map((c) => ({
      migration_id: c.migrationId,
      requires: c.requires,
      provider: c.provider
        ? { key: c.provider.key, database_id: c.provider.connectionId, connection_name: c.provider.connectionName, schema_name: c.provider.schemaName }
        : null,
      will_apply_in_plan: c.willApplyInPlan,
    })),
  };
}

export function providersNeededView(fleet: FleetPlan): PlanView["providers_needed"] {
  const offer = fleet.providersOffer;
  return offer ? { targets: offer.added.map((t) => targetRefView(t, fleet.discovery.tenantSlugs)), unblocks: offer.unblocks } : null;
}

export function planTotalsView(fleet: FleetPlan): PlanTotalsView {
  const t = fleet.plan.totals;
  let unreachable = 0;
  let upToDate = 0;
  let pending = 0;
  let blocked = 0;
  for (const tp of fleet.plan.targets) {
    const status = targetStatus(fleet, tp);
    if (status === "unreachable") unreachable++;
    else if (status === "up_to_date") upToDate++;
    else if (status === "pending") pending++;
    else blocked++;
  }
  return {
    targets: t.targets,
    up_to_date: upToDate,
    pending,
    blocked,
    unreachable,
    pending_migrations: t.pendingMigrations,
    drift: t.drift,
    missing_from_catalog: t.missingFromCatalog,
    out_of_order: t.outOfOrder,
    interrupted: t.interrupted,
    baselined: t.baselined,
    cross_target: t.crossTarget,
    warnings: t.warnings,
  };
}

export function planView(fleet: FleetPlan, query: Pick<PlanQuery, "status" | "limit" | "offset">, review: PlanReview): PlanView {
  const selected = query.status
    ? fleet.plan.targets.filter((tp) => targetStatus(fleet, tp) === query.status)
    : fleet.plan.targets;
  const page = selected.slice(query.offset, query.offset + query.limit);
  const byId = new Map<string, PendingMigration>();
  for (const tp of fleet.plan.targets) for (const m of tp.pending) if (!byId.has(m.id)) byId.set(m.id, m);
  const pending = fleet.catalog.migrations.filter((m) => byId.has(m.id));
  return {
    fingerprint: fleet.fingerprint,
    catalog_checksum: fleet.plan.catalogChecksum,
    scope: fleet.scope.scope,
    params: scopeParamsView(toExecutionParams(fleet.scope)),
    generated_at: fleet.generatedAt.toISOString(),
    totals: planTotalsView(fleet),
    warnings: fleet.plan.warnings.map(warningView),
    review: planReviewView(fleet, review),
    migrations: pending.map((m) => pendingView(byId.get(m.id)!)),
    included_providers: fleet.includedProviders.map((t) => targetRefView(t, fleet.discovery.tenantSlugs)),
    providers_needed: providersNeededView(fleet),
    unreachable: [...fleet.unreachable.values()].map((u) => ({
      database_id: u.connectionId,
      connection_name: u.connectionName,
      code: u.code,
      message: u.message,
    })),
    targets: page.map((tp) => planTargetView(fleet, tp)),
    page: { total: selected.length, limit: query.limit, offset: query.offset },
  };
}
