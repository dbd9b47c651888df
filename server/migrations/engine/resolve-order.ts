import { TIERS } from "../../domain/fleet";
import { CatalogLoadError } from "./catalog-error";
import type { Migration } from "./types";
import { compareVersions } from "../../domain/versions";

/**
 * One dependency graph over the whole catalog, ordered deterministically.
 *
 * Edges: inside a tier each version needs the one before it (a target applies its tier in version
 * order, so this is a hard rule; versions compare as numbers, see versions.ts), and each `requires`
 * entry is an edge. Tier order admin → shared → analytics → tenant is a preference, not an edge:
 * among the migrations whose needs are met, the earliest tier and then the lowest version goes first.
 * So a shared migration may require a tenant one and still load, while a migration requiring a later
 * version of its own tier is a cycle.
 */

interface Edge {
  /** The migration that must come first. */
  from: string;
  kind: "requires" | "version order";
  line: number;
}

export function resolveOrder(
  migrations: readonly Migration[],
  requireLines: ReadonlyMap<string, ReadonlyMap<string, number>>,
): Migration[] {
  const { ordered, cycle } = orderMigrations(migrations, requireLines);
  if (cycle) throw cycle;
  return ordered;
}

export interface OrderResult {
  /** Every migration not on or behind a cycle, in order. */
  ordered: Migration[];
  /** The first cycle found, naming its file and line; null when there is none. */
  cycle: CatalogLoadError | null;
  /** The migrations on or behind the cycle (left out of `ordered`). */
  stuck: Migration[];
}

/** resolveOrder without throwing: a cycle leaves its migrations (and what needs them) out. */
export function orderMigrations(
  migrations: readonly Migration[],
  requireLines: ReadonlyMap<string, ReadonlyMap<string, number>>,
): OrderResult {
  const byId = new Map(migrations.map((m) => [m.id, m]));
  const before = (a: Migration, b: Migration) => {
    const ta = TIERS.indexOf(a.tier);
    const tb = TIERS.indexOf(b.tier);
    if (ta !== tb) return ta < tb;
    const byVersion = compareVersions(a.version, b.version);
    if (byVersion !== 0) return byVersion < 0;
    return a.name < b.name;
  };

  const incoming = new Map<string, Edge[]>(migrations.map((m) => [m.id, []]));
  const outgoing = new Map<string, string[]>(migrations.map((m) => [m.id, []]));
  const addEdge = (to: string, edge: Edge) => {
    incoming.get(to)!.push(edge);
    outgoing.get(edge.from)!.push(to);
  };
  for (const tier of TIERS) {
    const inTier = migrations.filter((m) => m.tier === tier).sort((a, b) => (before(a, b) ? -1 : 1));
    for (let i = 1; i < inTier.length; i++) {
      addEdge(inTier[i]!.id, { from: inTier[i - 1]!.id, kind: "version order", line: 1 });
    }
  }
  for (const m of migrations) {
    for (const req of m.requires) {
      addEdge(m.id, { from: req, kind: "requires", line: requireLines.get(m.id)?.get(req) ?? 1 });
    }
  }

  // Kahn's algorithm; the ready set stays sorted so the order never depends on input order.
  const waiting = new Map(migrations.map((m) => [m.id, incoming.get(m.id)!.length]));
  const ready = migrations.filter((m) => waiting.get(m.id) === 0).sort((a, b) => (before(a, b) ? -1 : 1));
  const ordered: Migration[] = [];
  while (ready.length > 0) {
    const next = ready.shift()!;
    ordered.push(next);
    for (const to of outgoing.get(next.id)!) {
      const left = waiting.get(to)! - 1;
      waiting.set(to, left);
      if (left === 0) insertSorted(ready, byId.get(to)!, before);
    }
  }
  if (ordered.length === migrations.length) return { ordered, cycle: null, stuck: [] };
  return {
    ordered,
    cycle: cycleError(migrations, waiting, incoming, byId, before),
    stuck: migrations.filter((m) => waiting.get(m.id)! > 0),
  };
}

function insertSorted(list: Migration[], item: Migration, before: (a: Migration, b: Migration) => boolean) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid]!, item)) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

/**
 * Every migration left over sits on or behind a cycle, and each has a left-over predecessor. Walking
 * predecessors from the first one must revisit a node: that loop is the cycle to print.
 */
function cycleError(
  migrations: readonly Migration[],
  waiting: ReadonlyMap<string, number>,
  incoming: ReadonlyMap<string, Edge[]>,
  byId: ReadonlyMap<string, Migration>,
  before: (a: Migration, b: Migration) => boolean,
): CatalogLoadError {
  const stuck = migrations.filter((m) => waiting.get(m.id)! > 0).sort((a, b) => (before(a, b) ? -1 : 1));
  const path: { id: string; edge: Edge }[] = [];
  const position = new Map<string, number>();
  let current = stuck[0]!.id;
  while (!position.has(current)) {
    position.set(current, path.length);
    const edge = incoming
      .get(current)!
      .filter((e) => waiting.get(e.from)! > 0)
      .sort((a, b) => (before(byId.get(a.from)!, byId.get(b.from)!) ? -1 : 1))[0]!;
    path.push({ id: current, edge });
    current = edge.from;
  }
  const loop = path.slice(position.get(current));
  // Reads as "a → b (requires) → a (version order)": each arrow points at what the left side needs.
  const text = [loop[0]!.id, ...loop.map((step) => `${step.edge.from} (${step.edge.kind})`)].join(" → ");
  const first = loop.find((step) => step.edge.kind === "requires") ?? loop[0]!;
  const migration = byId.get(first.id)!;
  return new CatalogLoadError("dependency_cycle", `dependency cycle: ${text}`, migration.file, first.edge.line);
}
