import { AppError, conflict } from "../../errors/app-error";
import { withFleetClient } from "../../fleet/fleet-client";
import { resolvableRows, resolveTarget, type ResolveAction, type ResolveTargetResult } from "../engine/resolve-target";
import { targetKey } from "../engine/types";
import { getCatalogOrThrow } from "../plans/catalog-store";
import { discoverTargets } from "../plans/discover-targets";
import { refreshTargetStates } from "../plans/fleet-state";
import { readFleetHistories } from "../plans/read-histories";
import type { ScopeInput } from "../plans/scope";
import { mapLimit } from "./map-limit";
import type { AcceptDriftRequest, ResolveInterruptedRequest, ResolveReport } from "./schemas";

/**
 * Settling what blocks targets, for every target of a scope that shows the finding (one target:
 * scope single): accept drift, or resolve an interrupted `transaction: false` migration. The scope's
 * histories are read in bulk to find those targets; each is then changed under its own lock by the
 * engine (engine/resolve-target.ts), which reads the history again and leaves alone a finding that
 * went away meanwhile. What changed, with the checksums before and after, is returned for the audit.
 */

const CONCURRENCY = 4;

export function acceptDriftInScope(request: AcceptDriftRequest): Promise<ResolveReport> {
  return resolveInScope(request, "accept_drift", request.migration_ids, request.reason);
}

export function resolveInterruptedInScope(request: ResolveInterruptedRequest): Promise<ResolveReport> {
  return resolveInScope(request, request.resolution, request.migration_ids, request.reason);
}

async function resolveInScope(scope: ScopeInput, action: ResolveAction, ids: string[], reason: string): Promise<ResolveReport> {
  const catalog = await getCatalogOrThrow();
  if (action === "accept_drift") {
    const unknown = ids.map((id, i) => ({ id, i })).filter(({ id }) => !catalog.byId.has(id));
    if (unknown.length > 0) {
      const fields = unknown.map(({ id, i }) => ({
        field: `migration_ids.${i}`,
        message: `${id} is not in the catalog: drift is accepted for a file that exists`,
        code: "custom",
      }));
      throw new AppError("validation_error", `invalid body: ${fields.map((f) => `${f.field}: ${f.message}`).join("; ")}`, {
        location: "body",
        fields,
      });
    }
  }
  const discovery = await discoverTargets(scope);
  const { histories, unreachable } = await readFleetHistories(discovery.targets, discovery.connections);
  const showing = discovery.targets.filter(
    (t) => resolvableRows(catalog, t, histories.get(targetKey(t)) ?? [], action, ids).length > 0,
  );
  const unread = discovery.targets.filter((t) => unreachable.has(t.connectionId));
  if (showing.length === 0) {
    const what = action === "accept_drift" ? "drift on" : "an interrupted run of";
    throw conflict(
      `nothing to resolve: no target of the scope shows ${what} ${ids.join(", ")}` +
        (unread.length > 0 ? ` (${unread.length} target(s) could not be read)` : ""),
      { reason: "no_finding", migration_ids: ids },
    );
  }

  const results = await mapLimit(showing, CONCURRENCY, (target) => {
    const connection = discovery.connections.get(target.connectionId)!;
    return resolveTarget({ catalog, target, action, migrationIds: ids, withClient: (work) => withFleetClient(connection, work) });
  });
  // Resolved targets are no longer blocked (or have a new version): the lists see it at once.
  await refreshTargetStates(
    catalog,
    results.filter((r) => r.status === "resolved").map((r) => r.target),
    discovery.connections,
  );
  const failedReads: ResolveTargetResult[] = unread.map((target) => ({
    target,
    status: "failed",
    changes: [],
    error: { code: unreachable.get(target.connectionId)!.code ?? undefined, message: unreachable.get(target.connectionId)!.message },
  }));
  const all = [...results, ...failedReads];
  return {
    action,
    reason,
    totals: {
      targets: all.length,
      resolved: all.filter((r) => r.status === "resolved").length,
      changes: all.reduce((n, r) => n + r.changes.length, 0),
      failed: all.filter((r) => r.status === "failed").length,
    },
    targets: all.map((r) => ({
      key: targetKey(r.target),
      database_id: r.target.connectionId,
      connection_name: r.target.connectionName,
      schema_name: r.target.schemaName,
      tenant_id: r.target.tenantId ?? null,
      status: r.status,
      changes: r.changes.map((c) => ({
        id: c.id,
        version: c.version,
        state_before: c.stateBefore,
        checksum_before: c.checksumBefore,
        checksum_after: c.checksumAfter,
      })),
      error: r.error ? { code: r.error.code ?? null, message: r.error.message } : null,
    })),
  };
}

/** The audit record of a resolve: who is the route's, this is the why and the what. */
export function resolveAuditDetails(report: ResolveReport, scope: ScopeInput, ids: string[]): Record<string, unknown> {
  return {
    action: report.action,
    reason: report.reason,
    migration_ids: ids,
    scope,
    totals: report.totals,
    // The checksums before and after of every row changed (the first 500), so accepted drift can
    // be traced back to the file the target had actually run.
    changes: report.targets
      .flatMap((t) => t.changes.map((c) => ({ target: `${t.connection_name}/${t.schema_name}`, ...c })))
      .slice(0, 500),
  };
}

