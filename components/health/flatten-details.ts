/**
 * A service's `details` object as label/value rows: nested objects become dotted paths
 * ("pool · idle"), a small object of plain values below the top level reads as one row
 * ("admin: total 1, healthy 1"), arrays of plain values are joined, anything deeper is compact JSON.
 */
export function flattenDetails(details: Record<string, unknown>, maxDepth = 3): Array<{ label: string; value: string }> {
  const rows: Array<{ label: string; value: string }> = [];
  const walk = (value: unknown, path: string[], depth: number) => {
    if (depth >= 2 && isFlatRecord(value)) {
      rows.push({ label: label(path), value: Object.entries(value).map(([k, v]) => `${k.replace(/_/g, " ")} ${show(v)}`).join(", ") });
      return;
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value) && depth < maxDepth) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) rows.push({ label: label(path), value: "—" });
      for (const [k, v] of entries) walk(v, [...path, k], depth + 1);
      return;
    }
    rows.push({ label: label(path), value: show(value) });
  };
  walk(details, [], 0);
  return rows;
}

function isFlatRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.values(value);
  return entries.length > 0 && entries.length <= 6 && entries.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v));
}

function label(path: string[]): string {
  return path.map((p) => p.replace(/_/g, " ")).join(" · ");
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v))) return value.length ? value.join(", ") : "none";
    return JSON.stringify(value);
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
