/**
 * What changed between a previewed plan and the current one: the detail of a 409 plan_changed.
 * Plans are compared through compact snapshots (ids, statuses and pending lists), which is all
 * the fingerprint covers. Pure.
 */

export interface PlanSnapshot {
  v: 1;
  fingerprint: string;
  /** Every catalog migration id → checksum. */
  catalog: Record<string, string>;
  /** Target key → label ("<connection>/<schema>"), status and pending ids joined by ",". */
  targets: Record<string, [label: string, status: string, pending: string]>;
}

export interface TargetChange {
  target: string;
  before: { status: string; pending: string[] };
  after: { status: string; pending: string[] };
}

export interface PlanChanges {
  targets_added: string[];
  targets_removed: string[];
  targets_changed: TargetChange[];
  migrations_added: string[];
  migrations_removed: string[];
  checksums_changed: string[];
  /** Full counts; each list above holds at most LIST_LIMIT entries. */
  counts: {
    targets_added: number;
    targets_removed: number;
    targets_changed: number;
    migrations_added: number;
    migrations_removed: number;
    checksums_changed: number;
  };
}

export const LIST_LIMIT = 50;

const split = (pending: string) => (pending ? pending.split(",") : []);

export function diffPlans(before: PlanSnapshot, after: PlanSnapshot): PlanChanges {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: TargetChange[] = [];
  for (const [key, [label, status, pending]] of Object.entries(after.targets)) {
    const old = before.targets[key];
    if (!old) added.push(label);
    else if (old[1] !== status || old[2] !== pending) {
      changed.push({
        target: label,
        before: { status: old[1], pending: split(old[2]) },
        after: { status, pending: split(pending) },
      });
    }
  }
  for (const [key, [label]] of Object.entries(before.targets)) if (!after.targets[key]) removed.push(label);

  const migrationsAdded = Object.keys(after.catalog).filter((id) => !(id in before.catalog));
  const migrationsRemoved = Object.keys(before.catalog).filter((id) => !(id in after.catalog));
  const checksums = Object.keys(after.catalog).filter((id) => id in before.catalog && before.catalog[id] !== after.catalog[id]);

  const cap = <T>(list: T[]) => list.slice(0, LIST_LIMIT);
  return {
    targets_added: cap(added.sort()),
    targets_removed: cap(removed.sort()),
    targets_changed: cap(changed.sort((a, b) => (a.target < b.target ? -1 : 1))),
    migrations_added: cap(migrationsAdded.sort()),
    migrations_removed: cap(migrationsRemoved.sort()),
    checksums_changed: cap(checksums.sort()),
    counts: {
      targets_added: added.length,
      targets_removed: removed.length,
      targets_changed: changed.length,
      migrations_added: migrationsAdded.length,
      migrations_removed: migrationsRemoved.length,
      checksums_changed: checksums.length,
    },
  };
}

/** One line for the error message: "2 targets added, tenant/0007_x added, …". */
export function summarizeChanges(c: PlanChanges): string {
  const parts: string[] = [];
  const n = c.counts;
  if (n.targets_added) parts.push(`${n.targets_added} target(s) added (${c.targets_added.slice(0, 3).join(", ")}${n.targets_added > 3 ? ", …" : ""})`);
  if (n.targets_removed) parts.push(`${n.targets_removed} target(s) removed (${c.targets_removed.slice(0, 3).join(", ")}${n.targets_removed > 3 ? ", …" : ""})`);
  if (n.migrations_added) parts.push(`migration(s) added: ${c.migrations_added.slice(0, 3).join(", ")}${n.migrations_added > 3 ? ", …" : ""}`);
  if (n.migrations_removed) parts.push(`migration(s) removed: ${c.migrations_removed.slice(0, 3).join(", ")}${n.migrations_removed > 3 ? ", …" : ""}`);
  if (n.checksums_changed) parts.push(`file(s) changed: ${c.checksums_changed.slice(0, 3).join(", ")}${n.checksums_changed > 3 ? ", …" : ""}`);
  if (n.targets_changed) parts.push(`${n.targets_changed} target(s) with different pending migrations or status`);
  return parts.join("; ") || "the plan's fingerprint differs";
}
