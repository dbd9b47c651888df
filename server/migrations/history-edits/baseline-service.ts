import type { BaselineReport, BaselineTargetView } from "../../contracts/baseline";
import { TIERS } from "../../domain/fleet";
import { AppError, conflict } from "../../errors/app-error";
import { describeConnectionError } from "../../fleet/connection-error";
import type { ResolvedConnection } from "../../fleet/connection-target";
import { withFleetClient } from "../../fleet/fleet-client";
import { baselineSelection, baselineTarget, missingObjects, type BaselineSelection } from "../engine/baseline-target";
import { describeObject, type ExpectedObject } from "../engine/expected-objects";
import { readTargetHistory } from "../engine/history-repository";
import { targetKey, type Catalog, type Target, type Tier } from "../engine/types";
import { compareVersions } from "../../domain/versions";
import { getCatalogOrThrow } from "../plans/catalog-store";
import { discoverTargets } from "../plans/discover-targets";
import { refreshTargetStates } from "../plans/fleet-state";
import { mapLimit } from "./map-limit";
import type { BaselineRequest } from "./schemas";

/**
 * Baselining many targets: resolve the selection against the catalog, check every target's
 * objects first (one session per database, nothing locked, nothing written), and only when every
 * target could be checked and none lacks objects (or the operator confirmed) mark them, each
 * under its own lock (engine/baseline-target.ts). A refused request writes nothing anywhere.
 */

export interface BaselineSelectionInput {
  to_version?: string;
  migration_ids?: string[];
}

export interface BaselineTargetsInput {
  catalog: Catalog;
  targets: readonly Target[];
  connections: ReadonlyMap<string, ResolvedConnection>;
  selection: BaselineSelectionInput;
  confirmMissing: boolean;
  dryRun: boolean;
  appliedBy: string;
  /** Where the selection's fields sit in the request body, for 422s (`baseline.` in registrations). */
  fieldPrefix?: string;
}

/** Targets checked or written at once (each holds a session of its database's pool). */
const CONCURRENCY = 4;
/** Missing objects listed per target (all are counted). */
const MISSING_LISTED = 100;
/** Targets listed in a refusal's details. */
const REFUSAL_TARGETS = 100;

export async function baselineScope(request: BaselineRequest, appliedBy: string): Promise<BaselineReport> {
  const catalog = await getCatalogOrThrow();
  const discovery = await discoverTargets(request);
  return baselineTargets({
    catalog,
    targets: discovery.targets,
    connections: discovery.connections,
    selection: request,
    confirmMissing: request.confirm_missing,
    dryRun: request.dry_run,
    appliedBy,
  });
}

/** Checks, then (unless a dry run or refused) marks. Throws 422/409 before anything is written. */
export async function baselineTargets(input: BaselineTargetsInput): Promise<BaselineReport> {
  const checked = await checkBaseline(input);
  if (input.dryRun) return report(input, checked.checks.map((c) => ({ ...c, status: checkedStatus(c), marked: [] })));
  refuseUnlessReady(input, checked);
  const results = await mapLimit(checked.checks, CONCURRENCY, async (check): Promise<TargetOutcome> => {
    if (check.selection.toMark.length === 0) return { ...check, status: "nothing_to_mark", marked: [] };
    const connection = input.connections.get(check.target.connectionId)!;
    const r = await baselineTarget({
      catalog: input.catalog,
      target: check.target,
      withClient: (work) => withFleetClient(connection, work),
      migrationIds: checked.idsByTier.get(check.target.tier) ?? [],
      appliedBy: input.appliedBy,
      allowMissing: input.confirmMissing,
    });
    return {
      target: check.target,
      selection: { toMark: check.selection.toMark, alreadyRecorded: r.alreadyRecorded },
      missing: r.status === "failed" ? check.missing : r.missing,
      status: r.status,
      marked: r.marked,
      error: r.error ? { code: r.error.code ?? null, message: r.error.message } : undefined,
    };
  });
  // The fleet state of what was marked: read again, so lists show the new versions at once.
  await refreshTargetStates(
    input.catalog,
    results.filter((r) => r.status === "baselined").map((r) => r.target),
    input.connections,
  );
  return report(input, results);
}

export interface BaselineCheck {
  idsByTier: Map<Tier, string[]>;
  checks: TargetCheck[];
}

/** The selection resolved (422/409 when it cannot be) and every target checked; writes nothing. */
export async function checkBaseline(input: BaselineTargetsInput): Promise<BaselineCheck> {
  const idsByTier = selectionByTier(input.catalog, input.targets, input.selection, input.fieldPrefix ?? "");
  return { idsByTier, checks: await checkTargets(input, idsByTier) };
}

/**
 * 409 with the report when a target could not be checked, or lacks objects and the operator did
 * not confirm: then nothing is written anywhere.
 */
export function refuseUnlessReady(input: BaselineTargetsInput, { checks }: BaselineCheck): void {
  const unchecked = checks.filter((c) => c.error);
  if (unchecked.length > 0) {
    throw conflict(
      `nothing baselined: ${unchecked.length} target(s) could not be checked (${unchecked
        .slice(0, 3)
        .map((c) => `${label(c.target)}: ${c.error!.message}`)
        .join("; ")})`,
      { reason: "targets_unreachable", report: trimmed(report(input, checks.map((c) => ({ ...c, status: checkedStatus(c), marked: [] })))) },
    );
  }
  const lacking = checks.filter((c) => c.missing.length > 0);
  if (lacking.length > 0 && !input.confirmMissing) {
    const count = lacking.reduce((n, c) => n + c.missing.length, 0);
    const first = lacking[0]!;
    throw conflict(
      `nothing baselined: ${count} object(s) the migrations create are missing on ${lacking.length} target(s), e.g. ` +
        `${label(first.target)} lacks ${first.missing.slice(0, 3).map(describeObject).join(", ")}; create them, narrow the ` +
        "selection, or confirm with confirm_missing and a reason",
      {
        reason: "missing_objects",
        report: trimmed(report(input, checks.map((c) => ({ ...c, status: checkedStatus(c), marked: [] })))),
      },
    );
  }
}

/**
 * Each tier's selected ids, from to_version (every migration of the tier up to it) or the explicit
 * list. 422 naming the field when the selection names something unknown or selects nothing; 409 when
 * a tier to mark has catalog problems (a file that does not load might be one of those to mark).
 */
function selectionByTier(
  catalog: Catalog,
  targets: readonly Target[],
  selection: BaselineSelectionInput,
  prefix: string,
): Map<Tier, string[]> {
  const tiers = TIERS.filter((t) => targets.some((target) => target.tier === t));
  const fields: { field: string; message: string; code: string }[] = [];
  const byTier = new Map<Tier, string[]>();
  if (selection.migration_ids) {
    selection.migration_ids.forEach((id, i) => {
      const m = catalog.byId.get(id);
      const field = `${prefix}migration_ids.${i}`;
      if (!m) fields.push({ field, message: `${id} is not in the catalog`, code: "custom" });
      else if (!tiers.includes(m.tier)) fields.push({ field, message: `${id} is a ${m.tier} migration and no ${m.tier} target is in scope`, code: "custom" });
      else byTier.set(m.tier, [...(byTier.get(m.tier) ?? []), id]);
    });
  } else if (selection.to_version) {
    for (const tier of tiers) {
      const ids = catalog.byTier[tier].filter((m) => compareVersions(m.version, selection.to_version!) <= 0).map((m) => m.id);
      if (ids.length > 0) byTier.set(tier, ids);
    }
    if (byTier.size === 0 && targets.length > 0) {
      fields.push({ field: `${prefix}to_version`, message: `version ${selection.to_version} selects no migration of the ${tiers.join(", ")} tier(s)`, code: "custom" });
    }
  }
  if (fields.length > 0) {
    throw new AppError("validation_error", `invalid body: ${fields.map((f) => `${f.field}: ${f.message}`).join("; ")}`, {
      location: "body",
      fields,
    });
  }
  const broken = [...byTier.keys()].filter((t) => catalog.brokenTiers.has(t));
  if (broken.length > 0) {
    const problems = catalog.problems.filter((p) => p.tiers.some((t) => broken.includes(t)));
    throw conflict(
      `nothing baselined: the catalog's ${broken.join(", ")} tier has problems, so what the selection means is not known: ${problems[0]!.message}`,
      { reason: "catalog_problems", problems: problems.map((p) => p.message) },
    );
  }
  return byTier;
}

interface TargetCheck {
  target: Target;
  selection: BaselineSelection;
  missing: ExpectedObject[];
  error?: { code: string | null; message: string };
}

interface TargetOutcome extends TargetCheck {
  status: BaselineTargetView["status"];
  marked: string[];
}

/** Every target's history and objects, read with one session per database, nothing locked. */
async function checkTargets(input: BaselineTargetsInput, idsByTier: ReadonlyMap<Tier, string[]>): Promise<TargetCheck[]> {
  const groups = new Map<string, Target[]>();
  for (const t of input.targets) groups.set(t.connectionId, [...(groups.get(t.connectionId) ?? []), t]);
  const checked = new Map<string, TargetCheck>();
  await mapLimit([...groups.entries()], CONCURRENCY, async ([connectionId, targets]) => {
    const connection = input.connections.get(connectionId);
    try {
      if (!connection) throw new Error(`database ${connectionId} is not registered any more`);
      await withFleetClient(connection, async (client) => {
        for (const target of targets) {
          const history = await readTargetHistory(client, target.schemaName);
          const selection = baselineSelection(input.catalog, target, history, idsByTier.get(target.tier) ?? []);
          checked.set(targetKey(target), { target, selection, missing: await missingObjects(client, target, selection.toMark) });
        }
      });
    } catch (error) {
      const { code, message } = describeConnectionError(error, connection?.password);
      for (const target of targets) {
        if (!checked.has(targetKey(target))) checked.set(targetKey(target), { target, selection: { toMark: [], alreadyRecorded: [] }, missing: [], error: { code, message } });
      }
    }
  });
  return input.targets.map((t) => checked.get(targetKey(t))!);
}

function report(input: BaselineTargetsInput, outcomes: readonly TargetOutcome[]): BaselineReport {
  const targets = outcomes.map((o) => targetView(o));
  return {
    dry_run: input.dryRun,
    selection: { to_version: input.selection.to_version ?? null, migration_ids: input.selection.migration_ids ?? null },
    confirm_missing: input.confirmMissing,
    totals: {
      targets: targets.length,
      to_mark: targets.reduce((n, t) => n + t.to_mark.length, 0),
      marked: targets.reduce((n, t) => n + t.marked.length, 0),
      with_missing_objects: targets.filter((t) => t.missing_count > 0).length,
      missing_objects: targets.reduce((n, t) => n + t.missing_count, 0),
      failed: targets.filter((t) => t.status === "failed").length,
    },
    targets,
  };
}

function targetView(o: TargetOutcome): BaselineTargetView {
  const t = o.target;
  return {
    key: targetKey(t),
    database_id: t.connectionId,
    connection_name: t.connectionName,
    database_name: t.databaseName,
    schema_name: t.schemaName,
    database_type: t.tier,
    tenant_id: t.tenantId ?? null,
    status: o.status,
    to_mark: o.selection.toMark.map((m) => m.id),
    marked: o.marked,
    already_recorded: o.selection.alreadyRecorded,
    missing: o.missing.slice(0, MISSING_LISTED).map((m) => ({
      kind: m.kind,
      schema: m.schema ?? t.schemaName,
      name: m.name,
      column: m.column,
      migration_id: m.migrationId,
      file: m.file,
      line: m.line,
    })),
    missing_count: o.missing.length,
    error: o.error ?? null,
  };
}

/** A refusal's report names the targets that need attention first, and not thousands of them. */
function trimmed(r: BaselineReport): BaselineReport {
  const attention = r.targets.filter((t) => t.status === "missing_objects" || t.status === "failed");
  return { ...r, targets: (attention.length > 0 ? attention : r.targets).slice(0, REFUSAL_TARGETS) };
}

const label = (t: Target) => `${t.connectionName}/${t.schemaName}`;

/** A target checked but not written: could not be read, lacks objects, or is ready. */
const checkedStatus = (c: TargetCheck): BaselineTargetView["status"] =>
  c.error ? "failed" : c.missing.length > 0 ? "missing_objects" : c.selection.toMark.length === 0 ? "nothing_to_mark" : "verified";

/** The audit record of a baseline: what was asked, why, and what was marked where. */
export function baselineAuditDetails(
  request: { reason?: string; confirm_missing: boolean; dry_run?: boolean; to_version?: string; migration_ids?: string[] },
  report?: BaselineReport,
): Record<string, unknown> {
  return {
    reason: request.reason ?? null,
    to_version: request.to_version ?? null,
    migration_ids: request.migration_ids ?? null,
    confirm_missing: request.confirm_missing,
    dry_run: request.dry_run ?? false,
    ...(report
      ? {
          totals: report.totals,
          // Bounded: a scope of thousands of tenants keeps its totals, and the first targets in full.
          targets: report.targets.slice(0, 200).map((t) => ({
            target: `${t.connection_name}/${t.schema_name}`,
            status: t.status,
            marked: t.marked,
            missing_confirmed: t.marked.length > 0 ? t.missing.slice(0, 20).map((m) => `${m.kind} ${m.schema}.${m.name}${m.column ? `.${m.column}` : ""}`) : [],
          })),
        }
      : {}),
  };
}
