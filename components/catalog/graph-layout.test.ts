import { describe, expect, it } from "vitest";
import { GRAPH_METRICS, layoutGraph, type GraphInput } from "./graph-layout";

const m = (id: string, requires: string[] = []): GraphInput => {
  const [tier, rest] = id.split("/") as [string, string];
  return { id, tier, version: rest.slice(0, 4), requires };
};

// The demo catalog's shape: tenant files that need a shared and an admin file.
const catalog = [
  m("admin/0001_plans"),
  m("admin/0002_flags"),
  m("shared/0001_currencies"),
  m("tenant/0001_accounts"),
  m("tenant/0002_contacts"),
  m("tenant/0003_invoices", ["shared/0001_currencies"]),
  m("tenant/0004_plan", ["admin/0001_plans"]),
];

describe("layoutGraph", () => {
  const layout = layoutGraph(catalog);
  const node = (id: string) => layout.nodes.find((n) => n.id === id)!;

  it("puts each tier on its own lane in tier order", () => {
    expect(layout.lanes.map((l) => l.tier)).toEqual(["admin", "shared", "tenant"]);
    expect(node("tenant/0003_invoices").lane).toBe(2);
    expect(new Set(layout.nodes.filter((n) => n.tier === "tenant").map((n) => n.y)).size).toBe(1);
  });

  it("draws every edge left to right: a file sits right of everything it needs", () => {
    for (const e of layout.edges) expect(node(e.to).layer).toBeGreaterThan(node(e.from).layer);
    expect(node("tenant/0003_invoices").x).toBeGreaterThan(node("shared/0001_currencies").x);
  });

  it("keeps the implicit version order of a tier as edges, and requires as their own kind", () => {
    const kinds = layout.edges.map((e) => `${e.kind}:${e.from}->${e.to}`);
    expect(kinds).toContain("order:tenant/0002_contacts->tenant/0003_invoices");
    expect(kinds).toContain("requires:shared/0001_currencies->tenant/0003_invoices");
    expect(kinds).toContain("requires:admin/0001_plans->tenant/0004_plan");
    expect(kinds).toHaveLength(6);
  });

  it("pushes a file right when its requirement sits later than its own tier's chain", () => {
    const layout2 = layoutGraph([m("shared/0001_a"), m("shared/0002_b"), m("shared/0003_c"), m("tenant/0001_x", ["shared/0003_c"])]);
    expect(layout2.nodes.find((n) => n.id === "tenant/0001_x")!.layer).toBe(3);
  });

  it("sizes the drawing to its columns and lanes", () => {
    const { nodeWidth, columnGap, labelWidth, margin } = GRAPH_METRICS;
    const columns = Math.max(...layout.nodes.map((n) => n.layer)) + 1;
    expect(layout.width).toBe(margin * 2 + labelWidth + columns * nodeWidth + (columns - 1) * columnGap);
    for (const n of layout.nodes) expect(n.x + nodeWidth).toBeLessThanOrEqual(layout.width);
  });

  it("survives a cycle instead of hanging the page", () => {
    const cyclic = layoutGraph([m("shared/0001_a", ["tenant/0001_b"]), m("tenant/0001_b", ["shared/0001_a"])]);
    expect(cyclic.nodes).toHaveLength(2);
  });

  it("draws nothing for an empty catalog", () => {
    expect(layoutGraph([])).toMatchObject({ width: GRAPH_METRICS.margin * 2 + GRAPH_METRICS.labelWidth, height: 0, nodes: [] });
  });

  it("chains a tier in numeric version order: 9 before 10", () => {
    const numbered = layoutGraph([
      { id: "tenant/10_b", tier: "tenant", version: "10", requires: [] },
      { id: "tenant/9_a", tier: "tenant", version: "9", requires: [] },
    ]);
    expect(numbered.edges.map((e) => [e.from, e.to])).toEqual([["tenant/9_a", "tenant/10_b"]]);
  });
});
