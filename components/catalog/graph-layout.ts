/**
 * A layered drawing of the migration dependency graph, computed without a graph library:
 *  - one horizontal lane per tier (admin, shared, analytics, tenant), so a file's tier reads from its row;
 *  - a node's column is the longest path to it from a migration with no predecessor (the classic
 *    longest-path layering), counting both the implicit version order inside a tier and `requires`,
 *    so every edge points rightwards and a file always sits right of everything it needs.
 * Inside a tier the implicit order is a chain, so two files of one lane never share a column.
 */

import { compareVersions } from "@/server/domain/versions";

export interface GraphInput {
  id: string;
  tier: string;
  /** Orders the tier as numbers (server/domain/versions): the implicit order. */
  version: string;
  requires: readonly string[];
}

export interface GraphNode {
  id: string;
  tier: string;
  layer: number;
  lane: number;
  x: number;
  y: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** `order`: the previous version of the same tier; `requires`: a `-- requires:` header. */
  kind: "order" | "requires";
  /** SVG path data from the right edge of `from` to the left edge of `to`. */
  path: string;
}

export interface GraphLane {
  tier: string;
  y: number;
  height: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  lanes: GraphLane[];
  node: { width: number; height: number };
}

export const GRAPH_METRICS = {
  nodeWidth: 176,
  nodeHeight: 44,
  columnGap: 56,
  laneGap: 20,
  lanePadding: 14,
  labelWidth: 96,
  margin: 12,
} as const;

const TIER_ORDER = ["admin", "shared", "analytics", "tenant"];

export function layoutGraph(migrations: readonly GraphInput[], metrics = GRAPH_METRICS): GraphLayout {
  const byId = new Map(migrations.map((m) => [m.id, m]));
  const tiers = [...new Set(migrations.map((m) => m.tier))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

  const edges: Array<Omit<GraphEdge, "path">> = [];
  const previousInTier = new Map<string, string>();
  for (const tier of tiers) {
    const chain = migrations.filter((m) => m.tier === tier).sort((a, b) => compareVersions(a.version, b.version));
    for (let i = 1; i < chain.length; i++) {
      previousInTier.set(chain[i]!.id, chain[i - 1]!.id);
      edges.push({ from: chain[i - 1]!.id, to: chain[i]!.id, kind: "order" });
    }
  }
  for (const m of migrations) {
    const previous = previousInTier.get(m.id);
    for (const required of m.requires) {
      // Requiring the previous file of one's own tier says nothing the order edge does not.
      if (byId.has(required) && required !== previous) edges.push({ from: required, to: m.id, kind: "requires" });
    }
  }

  const predecessors = new Map<string, string[]>();
  for (const e of edges) predecessors.set(e.to, [...(predecessors.get(e.to) ?? []), e.from]);

  const layers = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (id: string): number => {
    const known = layers.get(id);
    if (known !== undefined) return known;
    // The catalog loader refuses cycles; should one slip through, it must not hang the page.
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const layer = Math.max(-1, ...(predecessors.get(id) ?? []).map(layerOf)) + 1;
    visiting.delete(id);
    layers.set(id, layer);
    return layer;
  };

  const { nodeWidth, nodeHeight, columnGap, laneGap, lanePadding, labelWidth, margin } = metrics;
  const laneHeight = nodeHeight + lanePadding * 2;
  const lanes: GraphLane[] = tiers.map((tier, i) => ({ tier, y: margin + i * (laneHeight + laneGap), height: laneHeight }));
  const laneOf = new Map(tiers.map((tier, i) => [tier, i]));

  const nodes: GraphNode[] = migrations.map((m) => {
    const layer = layerOf(m.id);
    const lane = laneOf.get(m.tier)!;
    return {
      id: m.id,
      tier: m.tier,
      layer,
      lane,
      x: margin + labelWidth + layer * (nodeWidth + columnGap),
      y: lanes[lane]!.y + lanePadding,
    };
  });
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const columns = Math.max(0, ...nodes.map((n) => n.layer + 1));

  return {
    width: margin * 2 + labelWidth + columns * nodeWidth + Math.max(0, columns - 1) * columnGap,
    height: tiers.length ? margin * 2 + tiers.length * laneHeight + (tiers.length - 1) * laneGap : 0,
    nodes,
    edges: edges.map((e) => ({ ...e, path: edgePath(nodeById.get(e.from)!, nodeById.get(e.to)!, nodeWidth, nodeHeight) })),
    lanes,
    node: { width: nodeWidth, height: nodeHeight },
  };
}

function rank(tier: string): number {
  const i = TIER_ORDER.indexOf(tier);
  return i === -1 ? TIER_ORDER.length : i;
}

function edgePath(from: GraphNode, to: GraphNode, width: number, height: number): string {
  const x1 = from.x + width;
  const y1 = from.y + height / 2;
  const x2 = to.x;
  const y2 = to.y + height / 2;
  if (y1 === y2) return `M ${x1} ${y1} L ${x2} ${y2}`;
  // A horizontal S-curve: leaves and enters its nodes level, so arrowheads stay readable.
  const bend = Math.max(24, (x2 - x1) / 2);
  return `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
}
