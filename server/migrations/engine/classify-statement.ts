import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar } from "libpg-query";

/**
 * What a statement means for running it: whether PostgreSQL refuses it inside a transaction block,
 * and whether it is destructive or takes heavy locks on a table that already holds data.
 */
export interface StatementClass {
  /** Why PostgreSQL refuses this statement inside a transaction block, or null when it does not. */
  nonTransactional: string | null;
  /** BEGIN, COMMIT, SAVEPOINT…: they would break the transaction the engine wraps a migration in. */
  transactionControl: boolean;
  /**
   * What the statement does that would take the statements after it out of the target: another
   * search_path (so another schema), another role, or every setting reset; null when nothing.
   */
  escapesTarget: string | null;
  warnings: StatementWarning[];
  /** Tables the statement creates: later statements of the same file treat them as new and empty. */
  createsTables: string[];
  /** Every relation the statement names (unqualified), so a rehearsal's lock on one finds its statement. */
  relations: string[];
}

/** Every finding the lint raises, by code: what the review policy gives a level to. */
export const LINT_RULES = [
  "non_concurrent_index",
  "drop_table",
  "drop_schema",
  "drop_index_blocking",
  "truncate",
  "rename",
  "reindex_blocking",
  "vacuum_full",
  "cluster",
  "lock_table",
  "delete_all_rows",
  "update_all_rows",
  "drop_column",
  "alter_column_type",
  "set_not_null",
  "add_column_not_null_without_default",
  "validating_constraint",
  "constraint_builds_index",
] as const;
export type LintRule = (typeof LINT_RULES)[number];

export interface StatementWarning {
  code: LintRule;
  message: string;
}

/**
 * Classifies one parsed statement. `newTables` holds the tables created earlier in the same file:
 * rewriting, locking or indexing a table nobody else can see yet costs nothing, so those are not
 * worth a warning.
 */
export function classifyStatement(node: Node, newTables: ReadonlySet<string>): StatementClass {
  const out: StatementClass = { nonTransactional: null, transactionControl: false, escapesTarget: escapesTarget(node), warnings: [], createsTables: [], relations: namedRelations(node) };
  const warn = (code: LintRule, message: string) => out.warnings.push({ code, message });
  const existing = (rel: RangeVar | undefined) => !!rel?.relname && !newTables.has(rel.relname);

  if ("TransactionStmt" in node) out.transactionControl = true;
  else if ("CreateStmt" in node) {
    if (node.CreateStmt.relation?.relname) out.createsTables.push(node.CreateStmt.relation.relname);
  } else if ("CreateTableAsStmt" in node) {
    const rel = node.CreateTableAsStmt.into?.rel;
    if (rel?.relname) out.createsTables.push(rel.relname);
  } else if ("IndexStmt" in node) {
    const stmt = node.IndexStmt;
    if (stmt.concurrent) out.nonTransactional = "CREATE INDEX CONCURRENTLY";
    else if (existing(stmt.relation)) {
      warn(
        "non_concurrent_index",
        `CREATE INDEX on existing table ${name(stmt.relation)} blocks writes while it builds; use CREATE INDEX CONCURRENTLY in a "transaction: false" file`,
      );
    }
  } else if ("DropStmt" in node) {
    const stmt = node.DropStmt;
    const objects = (stmt.objects ?? []).map(objectName).join(", ");
    if (stmt.concurrent) out.nonTransactional = "DROP INDEX CONCURRENTLY";
    else if (stmt.removeType === "OBJECT_TABLE" || stmt.removeType === "OBJECT_MATVIEW") {
      warn("drop_table", `DROP of ${objects} deletes the table and all of its data`);
    } else if (stmt.removeType === "OBJECT_SCHEMA") {
      warn("drop_schema", `DROP SCHEMA ${objects} deletes the schema${stmt.behavior === "DROP_CASCADE" ? " and everything in it" : ""}`);
    } else if (stmt.removeType === "OBJECT_INDEX") {
      warn("drop_index_blocking", `DROP INDEX ${objects} locks its table against reads and writes; use DROP INDEX CONCURRENTLY`);
    }
  } else if ("TruncateStmt" in node) {
    const tables = (node.TruncateStmt.relations ?? []).map(objectName).join(", ");
    warn("truncate", `TRUNCATE ${tables} deletes every row`);
  } else if ("AlterTableStmt" in node) {
    const stmt = node.AlterTableStmt;
    if ((stmt.objtype ?? "OBJECT_TABLE") === "OBJECT_TABLE" && existing(stmt.relation)) {
      for (const cmd of stmt.cmds ?? []) {
        if ("AlterTableCmd" in cmd) alterTableWarnings(cmd.AlterTableCmd, name(stmt.relation), warn);
      }
    }
  } else if ("RenameStmt" in node) {
    const stmt = node.RenameStmt;
    if (stmt.renameType === "OBJECT_TABLE" || stmt.renameType === "OBJECT_COLUMN") {
      const what = stmt.renameType === "OBJECT_TABLE" ? `table ${name(stmt.relation)}` : `column ${name(stmt.relation)}.${stmt.subname}`;
      if (existing(stmt.relation)) warn("rename", `renaming ${what} breaks running code that still uses the old name`);
    }
  } else if ("ReindexStmt" in node) {
    const stmt = node.ReindexStmt;
    const concurrently = (stmt.params ?? []).some((p) => "DefElem" in p && p.DefElem.defname === "concurrently");
    if (concurrently) out.nonTransactional = "REINDEX CONCURRENTLY";
    else if (stmt.kind === "REINDEX_OBJECT_DATABASE" || stmt.kind === "REINDEX_OBJECT_SYSTEM") {
      out.nonTransactional = stmt.kind === "REINDEX_OBJECT_DATABASE" ? "REINDEX DATABASE" : "REINDEX SYSTEM";
    } else warn("reindex_blocking", "REINDEX without CONCURRENTLY locks the table against writes while it rebuilds");
  } else if ("VacuumStmt" in node) {
    const stmt = node.VacuumStmt;
    if (stmt.is_vacuumcmd) {
      out.nonTransactional = "VACUUM";
      const full = (stmt.options ?? []).some((o) => "DefElem" in o && o.DefElem.defname === "full");
      if (full) warn("vacuum_full", "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock");
    }
  } else if ("ClusterStmt" in node) {
    if (!node.ClusterStmt.relation) out.nonTransactional = "CLUSTER without a table";
    warn("cluster", "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock");
  } else if ("AlterSystemStmt" in node) out.nonTransactional = "ALTER SYSTEM";
  else if ("CreatedbStmt" in node) out.nonTransactional = "CREATE DATABASE";
  else if ("DropdbStmt" in node) out.nonTransactional = "DROP DATABASE";
  else if ("CreateTableSpaceStmt" in node) out.nonTransactional = "CREATE TABLESPACE";
  else if ("DropTableSpaceStmt" in node) out.nonTransactional = "DROP TABLESPACE";
  else if ("CreateSubscriptionStmt" in node) out.nonTransactional = "CREATE SUBSCRIPTION";
  else if ("DropSubscriptionStmt" in node) out.nonTransactional = "DROP SUBSCRIPTION";
  else if ("LockStmt" in node) {
    const tables = (node.LockStmt.relations ?? []).map(objectName).join(", ");
    warn("lock_table", `LOCK TABLE ${tables} blocks other sessions until the migration commits`);
  } else if ("DeleteStmt" in node) {
    const stmt = node.DeleteStmt;
    if (!stmt.whereClause && existing(stmt.relation)) warn("delete_all_rows", `DELETE without WHERE removes every row of ${name(stmt.relation)}`);
  } else if ("UpdateStmt" in node) {
    const stmt = node.UpdateStmt;
    if (!stmt.whereClause && existing(stmt.relation)) {
      warn("update_all_rows", `UPDATE without WHERE rewrites every row of ${name(stmt.relation)} in one transaction`);
    }
  }
  return out;
}

/** The relation names of every RangeVar in a parse tree, once each, in the order they appear. */
function namedRelations(tree: unknown, found: string[] = []): string[] {
  if (!tree || typeof tree !== "object") return found;
  if (Array.isArray(tree)) {
    for (const item of tree) namedRelations(item, found);
    return found;
  }
  const rel = (tree as { RangeVar?: RangeVar }).RangeVar;
  if (rel?.relname && !found.includes(rel.relname)) found.push(rel.relname);
  // IndexStmt, AlterTableStmt and the like hold their table as a bare RangeVar under `relation`.
  const bare = (tree as { relation?: RangeVar }).relation;
  if (bare && typeof bare === "object" && "relname" in bare && bare.relname && !found.includes(bare.relname)) found.push(bare.relname);
  for (const value of Object.values(tree)) namedRelations(value, found);
  return found;
}

/** Settings that decide where and as whom a migration's statements run, and what changing one does. */
const TARGET_SETTINGS: Record<string, { label: string; effect: string }> = {
  search_path: { label: "search_path", effect: "moves the statements after it out of the target's schema" },
  role: { label: "ROLE", effect: "runs the statements after it as another role" },
  session_authorization: { label: "SESSION AUTHORIZATION", effect: "runs the statements after it as another user" },
};

function escapesTarget(node: Node): string | null {
  if ("VariableSetStmt" in node) {
    const stmt = node.VariableSetStmt;
    if (stmt.kind === "VAR_RESET_ALL") return "RESET ALL resets search_path, and with it the target's schema";
    const setting = stmt.name ? TARGET_SETTINGS[stmt.name] : undefined;
    if (!setting) return null;
    return `${stmt.kind === "VAR_RESET" ? "RESET" : stmt.is_local ? "SET LOCAL" : "SET"} ${setting.label} ${setting.effect}`;
  }
  if ("DiscardStmt" in node && node.DiscardStmt.target === "DISCARD_ALL") return "DISCARD ALL resets search_path, and with it the target's schema";
  const name = setConfigTarget(node);
  return name ? `set_config('${name}', …) ${TARGET_SETTINGS[name]!.effect}` : null;
}

/** The first `set_config('<one of TARGET_SETTINGS>', …)` call anywhere in a parse tree. */
function setConfigTarget(tree: unknown): string | null {
  if (!tree || typeof tree !== "object") return null;
  if (Array.isArray(tree)) {
    for (const item of tree) {
      const found = setConfigTarget(item);
      if (found) return found;
    }
    return null;
  }
  const call = (tree as { FuncCall?: { funcname?: Node[]; args?: Node[] } }).FuncCall;
  if (call) {
    const fn = call.funcname?.at(-1);
    const first = call.args?.[0];
    const setting = first && "A_Const" in first ? first.A_Const.sval?.sval : undefined;
    if (fn && "String" in fn && fn.String.sval === "set_config" && setting && TARGET_SETTINGS[setting.toLowerCase()]) return setting.toLowerCase();
  }
  for (const value of Object.values(tree)) {
    const found = setConfigTarget(value);
    if (found) return found;
  }
  return null;
}

function alterTableWarnings(cmd: AlterTableCmd, table: string, warn: (code: LintRule, message: string) => void) {
  switch (cmd.subtype) {
    case "AT_DropColumn":
      warn("drop_column", `DROP COLUMN ${table}.${cmd.name} deletes the column's data`);
      break;
    case "AT_AlterColumnType":
      warn("alter_column_type", `changing the type of ${table}.${cmd.name} can rewrite the whole table under an ACCESS EXCLUSIVE lock`);
      break;
    case "AT_SetNotNull":
      warn("set_not_null", `SET NOT NULL on ${table}.${cmd.name} scans the whole table under an ACCESS EXCLUSIVE lock`);
      break;
    case "AT_AddColumn": {
      const column = cmd.def && "ColumnDef" in cmd.def ? cmd.def.ColumnDef : undefined;
      if (column && addsNotNullWithoutDefault(column)) {
        warn(
          "add_column_not_null_without_default",
          `adding NOT NULL column ${table}.${column.colname} without a DEFAULT fails as soon as the table has rows`,
        );
      }
      break;
    }
    case "AT_AddConstraint": {
      const constraint = cmd.def && "Constraint" in cmd.def ? cmd.def.Constraint : undefined;
      if (constraint) constraintWarnings(constraint, table, warn);
      break;
    }
    default:
      break;
  }
}

function constraintWarnings(c: Constraint, table: string, warn: (code: LintRule, message: string) => void) {
  const label = c.conname ? `constraint ${c.conname}` : "the constraint";
  if ((c.contype === "CONSTR_FOREIGN" || c.contype === "CONSTR_CHECK") && !c.skip_validation) {
    warn(
      "validating_constraint",
      `adding ${label} on ${table} checks every row while holding its lock; add it NOT VALID, then VALIDATE CONSTRAINT separately`,
    );
  } else if ((c.contype === "CONSTR_PRIMARY" || c.contype === "CONSTR_UNIQUE" || c.contype === "CONSTR_EXCLUSION") && !c.indexname) {
    warn(
      "constraint_builds_index",
      `adding ${label} on ${table} builds an index while blocking writes; build it CONCURRENTLY first, then add it USING INDEX`,
    );
  }
}

function addsNotNullWithoutDefault(column: ColumnDef): boolean {
  const kinds = new Set((column.constraints ?? []).map((c) => ("Constraint" in c ? c.Constraint.contype : undefined)));
  const notNull = column.is_not_null || kinds.has("CONSTR_NOTNULL") || kinds.has("CONSTR_PRIMARY");
  const filled = kinds.has("CONSTR_DEFAULT") || kinds.has("CONSTR_IDENTITY") || kinds.has("CONSTR_GENERATED") || !!column.raw_default;
  return notNull && !filled;
}

function name(rel: RangeVar | undefined): string {
  if (!rel?.relname) return "?";
  return rel.schemaname ? `${rel.schemaname}.${rel.relname}` : rel.relname;
}

/** Readable name of a DROP/TRUNCATE target: a RangeVar, a dotted list of strings, or one string. */
function objectName(node: Node): string {
  if ("RangeVar" in node) return name(node.RangeVar);
  if ("List" in node) return (node.List.items ?? []).map(objectName).join(".");
  if ("String" in node) return node.String.sval ?? "?";
  return "?";
}
