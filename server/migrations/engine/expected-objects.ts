import type { Node, RangeVar } from "libpg-query";
import { splitStatements } from "./sql-parser";
import type { Migration } from "./types";

/**
 * What a target must hold once some migrations have run: the objects their up parts create that
 * the parser can name (tables, views, sequences, columns, named indexes, types, functions), after
 * what later statements of the same set drop or rename. Used to check a target before marking those
 * migrations as applied without running them (baselining). Pure: no database, no clock.
 *
 * Not named, so not checked: objects made inside DO blocks or functions, indexes without a name,
 * constraints, data. The check is a guard against baselining the wrong schema or the wrong
 * version, not a proof that the schema matches the files.
 */

export const OBJECT_KINDS = ["table", "view", "sequence", "column", "index", "type", "function"] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export interface ExpectedObject {
  kind: ObjectKind;
  /** The schema the statement named, or null for the target's own schema (search_path). */
  schema: string | null;
  /** The relation, index, type or function; for a column, its table. */
  name: string;
  /** For a column, its name. */
  column: string | null;
  /** For an index, the table it is on (dropping the table drops it). */
  on: string | null;
  /** The migration (and line) whose statement made the object what it is. */
  migrationId: string;
  file: string;
  line: number;
}

const RELATION_KINDS: Partial<Record<string, ObjectKind>> = {
  OBJECT_TABLE: "table",
  OBJECT_FOREIGN_TABLE: "table",
  OBJECT_VIEW: "view",
  OBJECT_MATVIEW: "view",
  OBJECT_SEQUENCE: "sequence",
  OBJECT_INDEX: "index",
};
const TYPE_OBJECTS = new Set(["OBJECT_TYPE", "OBJECT_DOMAIN"]);
const FUNCTION_OBJECTS = new Set(["OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE"]);

/** The objects `migrations` (in the order they run) leave behind, in the order they were made. */
export function expectedObjects(migrations: readonly Migration[]): ExpectedObject[] {
  const objects = new Map<string, ExpectedObject>();
  for (const m of migrations) {
    for (const statement of m.up.statements) {
      let parsed;
      try {
        parsed = splitStatements(statement.sql);
      } catch {
        continue; // The catalog parsed it once already; a statement that does not parse alone names nothing.
      }
      const at = { migrationId: m.id, file: m.file, line: statement.line };
      for (const { node } of parsed) apply(objects, node, at);
    }
  }
  return [...objects.values()];
}

type Origin = Pick<ExpectedObject, "migrationId" | "file" | "line">;

const keyOf = (o: Pick<ExpectedObject, "kind" | "schema" | "name" | "column">) =>
  `${o.kind}\0${o.schema ?? ""}\0${o.name}\0${o.column ?? ""}`;

function add(
  objects: Map<string, ExpectedObject>,
  o: Omit<ExpectedObject, "column" | "on"> & { column?: string | null; on?: string | null },
) {
  const object = { ...o, column: o.column ?? null, on: o.on ?? null };
  objects.set(keyOf(object), object);
}

function remove(objects: Map<string, ExpectedObject>, match: (o: ExpectedObject) => boolean) {
  for (const [key, o] of objects) if (match(o)) objects.delete(key);
}

const sameRelation = (o: ExpectedObject, schema: string | null, name: string) => o.schema === schema && o.name === name;

/** `[schema?, name]` from a list of String nodes (type, domain and function names). */
function qualified(names: Node[] | undefined): { schema: string | null; name: string } | null {
  const parts = (names ?? []).map((n) => ("String" in n ? n.String.sval : undefined));
  if (parts.length === 0 || parts.some((p) => !p)) return null;
  const name = parts.at(-1)!;
  return { schema: parts.length > 1 ? parts.at(-2)! : null, name };
}

function relation(rel: RangeVar | undefined): { schema: string | null; name: string } | null {
  return rel?.relname ? { schema: rel.schemaname ?? null, name: rel.relname } : null;
}

function apply(objects: Map<string, ExpectedObject>, node: Node, at: Origin): void {
  if ("CreateStmt" in node) {
    const rel = relation(node.CreateStmt.relation);
    if (!rel) return;
    add(objects, { kind: "table", ...rel, ...at });
    for (const element of node.CreateStmt.tableElts ?? []) {
      if ("ColumnDef" in element && element.ColumnDef.colname) add(objects, { kind: "column", ...rel, column: element.ColumnDef.colname, ...at });
    }
  } else if ("CreateTableAsStmt" in node) {
    const rel = relation(node.CreateTableAsStmt.into?.rel);
    if (rel) add(objects, { kind: node.CreateTableAsStmt.objtype === "OBJECT_MATVIEW" ? "view" : "table", ...rel, ...at });
  } else if ("ViewStmt" in node) {
    const rel = relation(node.ViewStmt.view);
    if (rel) add(objects, { kind: "view", ...rel, ...at });
  } else if ("CreateSeqStmt" in node) {
    const rel = relation(node.CreateSeqStmt.sequence);
    if (rel) add(objects, { kind: "sequence", ...rel, ...at });
  } else if ("IndexStmt" in node) {
    const stmt = node.IndexStmt;
    // An index lives in its table's schema; one without a name gets a generated one: not checked.
    if (stmt.idxname) {
      add(objects, { kind: "index", schema: stmt.relation?.schemaname ?? null, name: stmt.idxname, on: stmt.relation?.relname ?? null, ...at });
    }
  } else if ("CreateEnumStmt" in node || "CreateDomainStmt" in node || "CreateRangeStmt" in node) {
    const names =
      "CreateEnumStmt" in node
        ? node.CreateEnumStmt.typeName
        : "CreateDomainStmt" in node
          ? node.CreateDomainStmt.domainname
          : node.CreateRangeStmt.typeName;
    const type = qualified(names);
    if (type) add(objects, { kind: "type", ...type, ...at });
  } else if ("CompositeTypeStmt" in node) {
    const type = relation(node.CompositeTypeStmt.typevar);
    if (type) add(objects, { kind: "type", ...type, ...at });
  } else if ("CreateFunctionStmt" in node) {
    const fn = qualified(node.CreateFunctionStmt.funcname);
    if (fn) add(objects, { kind: "function", ...fn, ...at });
  } else if ("AlterTableStmt" in node) {
    alterTable(objects, node, at);
  } else if ("RenameStmt" in node) {
    rename(objects, node, at);
  } else if ("DropStmt" in node) {
    drop(objects, node);
  }
}

function alterTable(objects: Map<string, ExpectedObject>, node: Extract<Node, { AlterTableStmt: unknown }>, at: Origin) {
  const stmt = node.AlterTableStmt;
  const rel = relation(stmt.relation);
  if (!rel || (stmt.objtype && stmt.objtype !== "OBJECT_TABLE" && stmt.objtype !== "OBJECT_FOREIGN_TABLE")) return;
  for (const item of stmt.cmds ?? []) {
    if (!("AlterTableCmd" in item)) continue;
    const cmd = item.AlterTableCmd;
    if (cmd.subtype === "AT_AddColumn" && cmd.def && "ColumnDef" in cmd.def && cmd.def.ColumnDef.colname) {
      add(objects, { kind: "column", ...rel, column: cmd.def.ColumnDef.colname, ...at });
    } else if (cmd.subtype === "AT_DropColumn" && cmd.name) {
      remove(objects, (o) => o.kind === "column" && sameRelation(o, rel.schema, rel.name) && o.column === cmd.name);
    }
  }
}

function rename(objects: Map<string, ExpectedObject>, node: Extract<Node, { RenameStmt: unknown }>, at: Origin) {
  const stmt = node.RenameStmt;
  const to = stmt.newname;
  if (!to || !stmt.renameType) return;
  if (stmt.renameType === "OBJECT_COLUMN") {
    const rel = relation(stmt.relation);
    if (!rel || !stmt.subname) return;
    remove(objects, (o) => o.kind === "column" && sameRelation(o, rel.schema, rel.name) && o.column === stmt.subname);
    add(objects, { kind: "column", ...rel, column: to, ...at });
    return;
  }
  const relationKind = RELATION_KINDS[stmt.renameType];
  if (relationKind) {
    const rel = relation(stmt.relation);
    if (!rel) return;
    const moved: ExpectedObject[] = [];
    remove(objects, (o) => {
      const hit = sameRelation(o, rel.schema, rel.name) && (o.kind === relationKind || (relationKind !== "index" && o.kind === "column"));
      if (hit && o.kind === "column") moved.push(o);
      return hit;
    });
    add(objects, { kind: relationKind, schema: rel.schema, name: to, ...at });
    for (const c of moved) add(objects, { ...c, name: to });
    if (relationKind === "table") {
      for (const [key, o] of objects) if (o.kind === "index" && o.schema === rel.schema && o.on === rel.name) objects.set(key, { ...o, on: to });
    }
    return;
  }
  if (TYPE_OBJECTS.has(stmt.renameType) || FUNCTION_OBJECTS.has(stmt.renameType)) {
    const kind: ObjectKind = TYPE_OBJECTS.has(stmt.renameType) ? "type" : "function";
    const object = stmt.object;
    const from =
      object && "List" in object
        ? qualified(object.List.items)
        : object && "ObjectWithArgs" in object
          ? qualified(object.ObjectWithArgs.objname)
          : null;
    if (!from) return;
    remove(objects, (o) => o.kind === kind && sameRelation(o, from.schema, from.name));
    add(objects, { kind, schema: from.schema, name: to, ...at });
  }
}

function drop(objects: Map<string, ExpectedObject>, node: Extract<Node, { DropStmt: unknown }>) {
  const stmt = node.DropStmt;
  const type = stmt.removeType ?? "";
  for (const object of stmt.objects ?? []) {
    const name =
      "List" in object
        ? qualified(object.List.items)
        : "TypeName" in object
          ? qualified(object.TypeName.names)
          : "ObjectWithArgs" in object
            ? qualified(object.ObjectWithArgs.objname)
            : "String" in object
              ? { schema: null, name: object.String.sval ?? "" }
              : null;
    if (!name?.name) continue;
    const kind = RELATION_KINDS[type] ?? (TYPE_OBJECTS.has(type) ? "type" : FUNCTION_OBJECTS.has(type) ? "function" : null);
    if (!kind) continue;
    // Dropping a table takes its columns and indexes with it.
    remove(
      objects,
      (o) =>
        (sameRelation(o, name.schema, name.name) && (o.kind === kind || (kind !== "index" && o.kind === "column"))) ||
        (kind === "table" && o.kind === "index" && o.schema === name.schema && o.on === name.name),
    );
  }
}

/** How an object reads in a list for an operator: `table accounts`, `column accounts.plan_id`. */
export function describeObject(o: Pick<ExpectedObject, "kind" | "schema" | "name" | "column">): string {
  const name = `${o.schema ? `${o.schema}.` : ""}${o.name}${o.column ? `.${o.column}` : ""}`;
  return `${o.kind} ${name}`;
}
