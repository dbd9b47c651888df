import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { getDb } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { getLogger } from "../../logging/logger";
import { diffPlans, summarizeChanges, type PlanSnapshot } from "./plan-diff";
import { targetStatus, type FleetPlan } from "./plan-service";
import * as repo from "./repository";

/**
 * Previewed plans are kept (compact, gzipped, by fingerprint, for a day) so that executing with a
 * fingerprint that no longer matches can say what changed instead of only that something did.
 */

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const KEEP_DAYS = 1;

export function snapshotOf(fleet: FleetPlan): PlanSnapshot {
  const targets: PlanSnapshot["targets"] = {};
  for (const tp of fleet.plan.targets) {
    targets[tp.key] = [
      `${tp.target.connectionName}/${tp.target.schemaName}`,
      targetStatus(fleet, tp),
      tp.pending.map((m) => m.id).join(","),
    ];
  }
  return {
    v: 1,
    fingerprint: fleet.fingerprint,
    catalog: Object.fromEntries(fleet.catalog.migrations.map((m) => [m.id, m.checksum])),
    targets,
  };
}

/**
 * Stores the plan's snapshot unless one with its fingerprint exists (checked first: at 100,000
 * targets a snapshot is a 10 MB JSON text to build and compress). Never fails the caller.
 */
export async function saveSnapshot(fleet: FleetPlan): Promise<void> {
  try {
    const db = getDb();
    if (await repo.snapshotExists(db, fleet.fingerprint)) return;
    const data = (await gzipAsync(JSON.stringify(snapshotOf(fleet)))).toString("base64");
    await repo.insertSnapshotIfAbsent(db, fleet.fingerprint, data);
    await repo.deleteSnapshotsOlderThan(db, KEEP_DAYS);
  } catch (error) {
    getLogger().warn({ err: error }, "storing a plan snapshot failed");
  }
}

/** Snapshots being stored by this process, by fingerprint (a pinned execute waits for its own). */
const storing = new Map<string, Promise<void>>();

/**
 * saveSnapshot without making the caller wait (a preview answers with its first page meanwhile).
 * A pinned execute in this process that needs the snapshot waits for it in loadSnapshot; another
 * instance, or one after a crash, may find none and says the plan changed without the details.
 */
export function saveSnapshotSoon(fleet: FleetPlan): void {
  if (storing.has(fleet.fingerprint)) return;
  const done = saveSnapshot(fleet).finally(() => storing.delete(fleet.fingerprint));
  storing.set(fleet.fingerprint, done);
}

export async function loadSnapshot(fingerprint: string): Promise<PlanSnapshot | null> {
  await storing.get(fingerprint);
  const row = await repo.findSnapshot(getDb(), fingerprint);
  if (!row) return null;
  try {
    return JSON.parse((await gunzipAsync(Buffer.from(row.snapshot, "base64"))).toString("utf8")) as PlanSnapshot;
  } catch {
    return null;
  }
}

/** The 409 for a pinned fingerprint that no longer matches, with what changed when it is known. */
export async function planChangedError(pinned: string, current: FleetPlan, what = "previewed"): Promise<AppError> {
  const before = await loadSnapshot(pinned);
  const changes = before ? diffPlans(before, snapshotOf(current)) : null;
  const message = changes
    ? `the plan changed since it was ${what}: ${summarizeChanges(changes)}; review the new plan and try again`
    : `the plan changed since it was ${what} (that plan is no longer known, so the changes cannot be listed); review the new plan and try again`;
  return new AppError("plan_changed", message, {
    pinned_fingerprint: pinned,
    current_fingerprint: current.fingerprint,
    changes,
  });
}
