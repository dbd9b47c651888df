import ts from "typescript";

/**
 * Finds data access in a TypeScript source: what may appear only in repository files. It parses the
 * file (comments and prose in comments never count) and reports five shapes:
 *  - drizzle-import: a value import from drizzle-orm (`import type` is fine: types carry no SQL);
 *  - sql-template: drizzle's `sql` tag, or `sql.raw(…)` / `sql.param(…)` / `sql.join(…)`;
 *  - sql-text: a string or template literal that is an SQL statement (`select … from`, `insert
 *    into`, `create schema`, `listen …`), wherever it is: passed to `.query(`, kept in a constant, or
 *    handed to a helper;
 *  - query-builder: drizzle's `.select(` / `.insert(` / `.update(` / `.delete(` / `.execute(` on the
 *    control-plane handle (`db`, `tx`, `getDb()`, `something.db`);
 *  - pg-query: node-postgres' `.query(` on any receiver (a pool, a client, graphile-worker's helpers).
 */

export type SqlFindingKind = "drizzle-import" | "sql-template" | "sql-text" | "query-builder" | "pg-query";

export interface SqlFinding {
  kind: SqlFindingKind;
  line: number;
  text: string;
}

const BUILDER_METHODS = new Set(["select", "selectDistinct", "insert", "update", "delete", "execute"]);
const DRIZZLE_HANDLE = /(^|\.)(db|tx|trx)$|\bgetDb\(\)$/;
const SQL_HELPERS = new Set(["raw", "param", "join", "identifier", "placeholder"]);

/**
 * Statements, recognised by how they start. `select` needs a second sign of SQL — a parameter ($1),
 * a cast (::), a function call, or a `from` naming a schema-qualified table, a catalog (pg_*) or a
 * table followed by `where` — so that prose such as "select a database from the list" is not taken
 * for a query. Words that are also the product's (`rollback`, `truncate` as a CSS class) need the
 * rest of a statement after them.
 */
const SQL_STATEMENT = new RegExp(
  [
    String.raw`^select\s[\s\S]*?(\$\d|::|\w\(|\bfrom\s+("?\w+"?\.\w|pg_\w|information_schema\b|\w+(\s+\w+)?\s+where\b))`,
    String.raw`^select\s+\d+\s*$`,
    String.raw`^insert\s+into\s`,
    String.raw`^update\s+[\w."?]+\s+(as\s+\w+\s+)?set\s`,
    String.raw`^delete\s+from\s`,
    String.raw`^with\s+(recursive\s+)?\w+\s+as\s*\(`,
    String.raw`^(create|drop|alter)\s+(or\s+replace\s+)?(unique\s+)?(schema|table|index|database|role|user|extension|type|function|procedure|view|materialized\s+view|sequence|trigger|policy)\s+\S`,
    String.raw`^truncate\s+(table\s+[\w."?]+|[\w."?]+\s*(;|,|$|\s(cascade|restrict|restart|continue)\b))`,
    String.raw`^(listen|unlisten|notify)\s+[\w"?*]+\s*(,|;|$)`,
    String.raw`^lock\s+(table\s+)?[\w."?]+\s+in\s`,
    String.raw`^set\s+(local\s+|session\s+)?[\w.]+\s*(=|\bto\b)\s`,
    String.raw`^(grant|revoke)\s[\w\s,]+\son\s`,
    String.raw`^(begin|commit|rollback|start)\s+(transaction|work)\b`,
  ].join("|"),
  "i",
);

export function looksLikeSql(text: string): boolean {
  return SQL_STATEMENT.test(text.trim());
}

/** Every finding in `source` (a file's text); `fileName` only decides how TypeScript parses it. */
export function findSql(source: string, fileName = "file.ts"): SqlFinding[] {
  const scriptKind = fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, scriptKind);
  const findings: SqlFinding[] = [];
  const report = (kind: SqlFindingKind, node: ts.Node) => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    const text = node.getText(file).replace(/\s+/g, " ").trim().slice(0, 120);
    findings.push({ kind, line: line + 1, text });
  };

  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && isDrizzleValueImport(node)) {
      report("drizzle-import", node);
    } else if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === "sql") {
      report("sql-template", node);
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const { expression: receiver, name } = node.expression;
      if (ts.isIdentifier(receiver) && receiver.text === "sql" && SQL_HELPERS.has(name.text)) report("sql-template", node);
      else if (name.text === "query") report("pg-query", node);
      else if (BUILDER_METHODS.has(name.text) && DRIZZLE_HANDLE.test(receiver.getText(file).replace(/\s+/g, ""))) {
        report("query-builder", node);
      }
    } else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && looksLikeSql(node.text)) {
      if (!isModuleSpecifier(node)) report("sql-text", node);
    } else if (ts.isTemplateExpression(node) && looksLikeSql(templateText(node))) {
      report("sql-text", node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}

function isDrizzleValueImport(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  const spec = node.moduleSpecifier;
  if (!spec || !ts.isStringLiteral(spec) || !/^drizzle-orm(\/|$)/.test(spec.text)) return false;
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return false;
    const clause = node.exportClause;
    return !(clause && ts.isNamedExports(clause) && clause.elements.every((e) => e.isTypeOnly));
  }
  const clause = node.importClause;
  if (!clause) return true; // a side-effect import
  if (clause.isTypeOnly) return false;
  if (clause.name) return true; // a default import
  const bindings = clause.namedBindings;
  if (!bindings) return false;
  if (ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.some((e) => !e.isTypeOnly);
}

function isModuleSpecifier(node: ts.Node): boolean {
  const parent = node.parent;
  return !!parent && (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) && parent.moduleSpecifier === node;
}

/** A template's text with every `${…}` as `?`, so `create schema ${name}` reads as SQL. */
function templateText(node: ts.TemplateExpression): string {
  return node.head.text + node.templateSpans.map((s) => `?${s.literal.text}`).join("");
}
