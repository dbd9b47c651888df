import type { SchemaDropPreview } from "@/server/tenants/schemas";

/** `0 B`, `8.0 kB`, `1.5 MB`: sizes in the preview of dropping a schema (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** "5 tables and views (1,234 rows, 96.0 kB), 1 sequence, 2 types, 1 function" — what the drop removes. */
export function dropSummary(p: Pick<SchemaDropPreview, "relations" | "sequences" | "types" | "functions" | "total_rows" | "total_bytes">): string {
  const parts = [
    `${plural(p.relations.length, "table or view", "tables and views")} (${plural(p.total_rows, "row")}, ${formatBytes(p.total_bytes)})`,
    plural(p.sequences.length, "sequence"),
    plural(p.types.length, "type"),
    plural(p.functions.length, "function"),
  ];
  return parts.join(", ");
}

/** A relation's rows as the preview knows them: counted, estimated, or neither. */
export function rowsLabel(r: SchemaDropPreview["relations"][number]): string {
  if (r.rows !== null) return r.rows.toLocaleString("en-US");
  if (r.kind === "view" || r.kind === "foreign table") return "—";
  return r.rows_estimate !== null ? `≈ ${r.rows_estimate.toLocaleString("en-US")}` : "not counted";
}
