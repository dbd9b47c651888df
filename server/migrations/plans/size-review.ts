import type { RelationMeasure, TargetMigrationResult } from "../../domain/executions";
import { formatBytes, formatCount, formatLockTime, lockStrength, SIZE_RULE_DESCRIPTIONS, type SizeRule } from "../../domain/review";
import type { Catalog, Migration, Statement } from "../engine/types";
import type { ReviewPolicy } from "./review-policy";
import type { SizeReviewView } from "./plan-schemas";

/**
 * The size review (README, "Size-aware rehearsal"): a rehearsal measured, per target and per
 * migration, the existing tables it locked (rows, bytes, lock mode, rewritten or not). Here those
 * measures meet the policy's thresholds and the migration's statements: a statement is flagged
 * when it holds a blocking lock on a table over a threshold on some target. Flags are grouped by
 * statement and table across targets, naming the biggest targets, with the lock time estimated from
 * the measured duration per row.
 */

export interface RehearsedTarget {
  connectionId: string;
  connectionName: string;
  schemaName: string;
  executionId: string;
  migrations: readonly TargetMigrationResult[];
}

/** Statements that take a table's strongest locks or rewrite it (what an ALTER or a DROP is). */
const LOCKING_KINDS = new Set([
  "AlterTableStmt",
  "DropStmt",
  "TruncateStmt",
  "RenameStmt",
  "LockStmt",
  "ClusterStmt",
  "VacuumStmt",
  "ReindexStmt",
  "IndexStmt",
  "CreateTrigStmt",
  "RuleStmt",
]);

interface Hit {
  target: RehearsedTarget;
  measure: RelationMeasure;
  durationMs: number | null;
}

export function sizeReview(catalog: Catalog, rehearsed: readonly RehearsedTarget[], policy: ReviewPolicy): SizeReviewView {
  const t = policy.largeTable;
  const groups = new Map<string, { rule: SizeRule; migration: Migration; statement: Statement | null; relation: string; hits: Hit[] }>();
  let measured = 0;
  for (const target of rehearsed) {
    let counted = false;
    for (const result of target.migrations) {
      const migration = result.id ? catalog.byId.get(result.id) : undefined;
      // Measures of another version of the file say nothing about this one.
      if (!migration || migration.checksum !== result.checksum || !result.relations) continue;
      counted = true;
      for (const measure of result.relations) {
        const relation = unqualified(measure.name);
        const naming = migration.up.statements.filter((s) => s.relations.includes(relation));
        const rules: Array<{ rule: SizeRule; statement: Statement | null }> = [];
        const index = naming.find((s) => s.kind === "IndexStmt");
        if (index && measure.rows !== null && measure.rows > t.indexRows) rules.push({ rule: "index_build_on_large_table", statement: index });
        const locking = naming.find((s) => LOCKING_KINDS.has(s.kind) && s.kind !== "IndexStmt") ?? naming[0] ?? null;
        if (measure.lock === "AccessExclusiveLock" && measure.rows !== null && measure.rows > t.accessExclusiveRows) {
          rules.push({ rule: "access_exclusive_on_large_table", statement: locking });
        }
        if (measure.rewritten && measure.bytes > t.rewriteBytes) rules.push({ rule: "rewrite_of_large_table", statement: locking });
        for (const { rule, statement } of rules) {
          const key = `${rule}\u0000${migration.id}\u0000${statement?.line ?? 0}\u0000${relation}`;
          const group = groups.get(key) ?? { rule, migration, statement, relation, hits: [] };
          group.hits.push({ target, measure, durationMs: result.durationMs ?? null });
          groups.set(key, group);
        }
      }
    }
    if (counted) measured++;
  }

  const flags = [...groups.values()].map((g) => {
    const sized = g.hits.filter((h) => h.measure.rows !== null && h.measure.rows > 0 && h.durationMs !== null);
    const rows = sized.reduce((sum, h) => sum + h.measure.rows!, 0);
    const msPerRow = rows > 0 ? sized.reduce((sum, h) => sum + h.durationMs!, 0) / rows : null;
    const byRows = [...g.hits].sort((a, b) => (b.measure.rows ?? 0) - (a.measure.rows ?? 0) || b.measure.bytes - a.measure.bytes);
    const top = byRows[0]!;
    const lock = g.hits.map((h) => h.measure.lock).reduce((a, b) => (lockStrength(b) > lockStrength(a) ? b : a));
    const estimate = (h: Hit) => (msPerRow !== null && h.measure.rows !== null ? Math.round(h.measure.rows * msPerRow) : null);
    const line = g.statement?.line ?? g.migration.up.line;
    const where = `${g.migration.file}:${line}`;
    const size = g.rule === "rewrite_of_large_table" ? formatBytes(top.measure.bytes) : `${formatCount(top.measure.rows ?? 0)} rows`;
    const eta = estimate(top);
    return {
      rule: g.rule,
      level: policy.levels[g.rule],
      migration_id: g.migration.id,
      file: g.migration.file,
      line,
      relation: g.relation,
      lock,
      message:
        `${where}: ${g.relation} holds ${size} on ${label(top.target)}` +
        (g.hits.length > 1 ? ` (${g.hits.length} targets over the threshold)` : "") +
        `; the statement ${SIZE_RULE_DESCRIPTIONS[g.rule]}` +
        (eta !== null ? `, about ${formatLockTime(eta)} there` : ""),
      targets: g.hits.length,
      max_rows: top.measure.rows,
      max_bytes: Math.max(...g.hits.map((h) => h.measure.bytes)),
      ms_per_row: msPerRow,
      biggest: byRows.slice(0, 3).map((h) => ({
        target: label(h.target),
        database_id: h.target.connectionId,
        schema_name: h.target.schemaName,
        rows: h.measure.rows,
        bytes: h.measure.bytes,
        duration_ms: h.durationMs,
        estimated_lock_ms: estimate(h),
        execution_id: h.target.executionId,
      })),
    };
  });
  flags.sort((a, b) => (b.max_rows ?? 0) - (a.max_rows ?? 0) || a.file.localeCompare(b.file) || a.line - b.line);
  return {
    rehearsed_targets: measured,
    thresholds: { access_exclusive_rows: t.accessExclusiveRows, rewrite_bytes: t.rewriteBytes, index_rows: t.indexRows },
    flags,
  };
}

function label(t: RehearsedTarget) {
  return `${t.connectionName}/${t.schemaName}`;
}

function unqualified(name: string) {
  const dot = name.indexOf(".");
  return dot < 0 ? name : name.slice(dot + 1);
}
