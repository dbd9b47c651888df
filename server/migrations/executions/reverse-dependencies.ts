import type { TargetMigrationResult } from "../../domain/executions";
import type { Catalog } from "../engine/types";

/**
 * Undo in the opposite order of applying: when a target undoes a migration that requires one of
 * another tier (a tenant's invoices need the region's currencies), the target that undoes the
 * required one must come after it. Returns, per target id, the targets it must wait for; targets
 * without any are absent. Pure: a rollback uses it to set `depends_on`, a rehearsed rollback to
 * know which other targets' down parts to rehearse first.
 */

export interface RevertingTarget {
  id: string;
  tier: string;
  region: string | null;
  migrations: readonly Pick<TargetMigrationResult, "id" | "tier" | "version" | "name">[];
}

const idOf = (m: RevertingTarget["migrations"][number]) => m.id ?? `${m.tier}/${m.version}_${m.name}`;

/** The region a migration of `tier` lives in for a target of `region` (admin: the one admin target). */
const place = (tier: string, region: string | null, id: string) => `${tier === "admin" ? "" : (region ?? "")}|${id}`;

export function reverseDependents(catalog: Catalog, targets: readonly RevertingTarget[]): Map<string, string[]> {
  const undoneBy = new Map<string, RevertingTarget>();
  for (const t of targets) {
    if (t.tier === "tenant") continue;
    for (const m of t.migrations) undoneBy.set(place(t.tier, t.region, idOf(m)), t);
  }
  const waits = new Map<string, string[]>();
  for (const t of targets) {
    for (const m of t.migrations) {
      for (const req of catalog.byId.get(idOf(m))?.requires ?? []) {
        const required = catalog.byId.get(req);
        if (!required || required.tier === t.tier) continue;
        const provider = undoneBy.get(place(required.tier, t.region, req));
        if (!provider || provider === t) continue;
        const list = waits.get(provider.id) ?? [];
        if (!list.includes(t.id)) list.push(t.id);
        waits.set(provider.id, list);
      }
    }
  }
  return waits;
}
