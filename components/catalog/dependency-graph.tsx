"use client";

import { useMemo, type KeyboardEvent } from "react";
import type { CatalogMigration } from "@/components/api/get-catalog";
import { cn } from "@/components/ui/cn";
import { layoutGraph } from "./graph-layout";

const TIER_LABELS: Record<string, string> = { admin: "Admin", shared: "Shared", analytics: "Analytics", tenant: "Tenant" };

/**
 * The catalog's dependency graph as an SVG: one lane per tier, files left to right in the order
 * they can run, grey lines for the version order inside a tier and blue curves for `requires`.
 * Each file is a focusable button; choosing one highlights what it needs and what needs it.
 */
export function DependencyGraph({
  migrations,
  selected,
  onSelect,
}: {
  migrations: readonly CatalogMigration[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const layout = useMemo(() => layoutGraph(migrations), [migrations]);
  const byId = useMemo(() => new Map(migrations.map((m) => [m.id, m])), [migrations]);
  const related = useMemo(() => {
    const set = new Set<string>();
    if (!selected) return set;
    for (const e of layout.edges) {
      if (e.from === selected) set.add(e.to);
      if (e.to === selected) set.add(e.from);
    }
    return set;
  }, [layout, selected]);

  const { width: w, height: h } = layout.node;
  const onKey = (id: string) => (event: KeyboardEvent) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onSelect(id);
    }
  };

  const requiresCount = layout.edges.filter((e) => e.kind === "requires").length;
  return (
    <div className="overflow-x-auto rounded-md border bg-background" role="region" aria-label="Dependency graph (scrolls sideways)" tabIndex={0}>
      <svg
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="group"
        aria-label={`${migrations.length} migrations in ${layout.lanes.length} tiers, ${requiresCount} cross-file requirements`}
        className="block"
      >
        <defs>
          <marker id="graph-arrow-order" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0 0 L8 4 L0 8 z" className="fill-muted-foreground/60" />
          </marker>
          <marker id="graph-arrow-requires" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0 0 L8 4 L0 8 z" className="fill-primary" />
          </marker>
        </defs>

        {layout.lanes.map((lane) => (
          <g key={lane.tier}>
            <rect x={4} y={lane.y} width={layout.width - 8} height={lane.height} rx={8} className="fill-muted/50" />
            <text x={16} y={lane.y + lane.height / 2} dominantBaseline="middle" className="fill-muted-foreground text-xs font-medium">
              {TIER_LABELS[lane.tier] ?? lane.tier}
            </text>
          </g>
        ))}

        {layout.edges.map((e) => {
          const lit = selected !== null && (e.from === selected || e.to === selected);
          return (
            <path
              key={`${e.kind}:${e.from}:${e.to}`}
              d={e.path}
              fill="none"
              markerEnd={`url(#graph-arrow-${e.kind})`}
              className={cn(
                e.kind === "requires" ? "stroke-primary" : "stroke-muted-foreground/50",
                e.kind === "requires" ? "[stroke-dasharray:0]" : "[stroke-dasharray:4_3]",
                selected !== null && !lit && "opacity-35",
              )}
              strokeWidth={lit ? 2.25 : 1.5}
            />
          );
        })}

        {layout.nodes.map((n) => {
          const m = byId.get(n.id)!;
          const isSelected = n.id === selected;
          const dimmed = selected !== null && !isSelected && !related.has(n.id);
          const flags = [
            m.warnings.length ? `${m.warnings.length} warning${m.warnings.length === 1 ? "" : "s"}` : null,
            m.has_down ? null : "no down part",
            m.transactional ? null : "runs outside a transaction",
          ].filter(Boolean);
          return (
            <g
              key={n.id}
              transform={`translate(${n.x} ${n.y})`}
              role="button"
              tabIndex={0}
              aria-pressed={isSelected}
              aria-label={[
                n.id,
                m.requires.length ? `requires ${m.requires.join(", ")}` : null,
                ...flags,
              ]
                .filter(Boolean)
                .join("; ")}
              onClick={() => onSelect(n.id)}
              onKeyDown={onKey(n.id)}
              className={cn("cursor-pointer outline-none [&:focus-visible>rect]:stroke-ring [&:focus-visible>rect]:stroke-[3]", dimmed && "opacity-60")}
            >
              <rect
                width={w}
                height={h}
                rx={6}
                className={cn(
                  "stroke-border",
                  isSelected ? "fill-primary stroke-primary" : "fill-card hover:fill-accent",
                )}
                strokeWidth={1.25}
              />
              <text x={10} y={17} className={cn("font-mono text-[11px]", isSelected ? "fill-primary-foreground" : "fill-muted-foreground")}>
                {m.version}
                {m.warnings.length ? " · ⚠" : ""}
                {m.has_down ? "" : " · no down"}
              </text>
              <text x={10} y={33} className={cn("text-[12.5px] font-medium", isSelected ? "fill-primary-foreground" : "fill-foreground")}>
                {truncate(m.name, 22)}
              </text>
              <title>{m.id}</title>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
