import type { Tier } from "../../domain/fleet";
import type { Catalog } from "../engine/types";

/**
 * What an execution is about, in words, kept in its metadata when it is created so its title can
 * name it without reading its targets: the database or tenant when it covers one (`subject`), and
 * the range of migrations it runs (`migrations`: how many distinct ones, the first and the last in
 * catalog order).
 */

interface MigrationRef {
  id: string;
  tier: string;
  version: string;
}

export interface WorkSummary {
  subject?: string;
  migrations?: { count: number; first: MigrationRef; last: MigrationRef };
}

interface TargetLike {
  connectionName: string;
  schemaName: string;
  tier: Tier;
  tenantId?: string | null;
  migrations?: readonly { id?: string; tier: string; version: string }[];
}

export function workSummary(catalog: Catalog, targets: readonly TargetLike[], tenantSlugs: ReadonlyMap<string, string> = new Map()): WorkSummary {
  const summary: WorkSummary = {};
  const connections = new Set(targets.map((t) => t.connectionName));
  if (connections.size === 1) {
    const [only] = targets;
    if (targets.length === 1 && only!.tenantId) {
      summary.subject = `${tenantSlugs.get(only!.tenantId) ?? only!.schemaName} on ${only!.connectionName}`;
    } else summary.subject = only!.connectionName;
  }
  const order = new Map(catalog.migrations.map((m, i) => [m.id, i]));
  const distinct = new Map<string, MigrationRef>();
  for (const t of targets) for (const m of t.migrations ?? []) if (m.id) distinct.set(m.id, { id: m.id, tier: m.tier, version: m.version });
  const refs = [...distinct.values()].sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity) || a.id.localeCompare(b.id));
  if (refs.length > 0) summary.migrations = { count: refs.length, first: refs[0]!, last: refs.at(-1)! };
  return summary;
}
