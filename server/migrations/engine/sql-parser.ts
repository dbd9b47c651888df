import { hasSqlDetails, loadModule, parseSync, type Node } from "libpg-query";

/**
 * Statement splitting with PostgreSQL's own parser (libpg_query compiled to WASM), so dollar-quoted
 * bodies, nested comments and `E'...'` strings split exactly as the server would read them.
 */

let ready: Promise<void> | undefined;

/** Loads the WASM parser once per process; every later call returns the same promise. */
export function loadSqlParser(): Promise<void> {
  ready ??= loadModule();
  return ready;
}

export interface ParsedStatement {
  /** The statement's parse tree: one key, the node type (e.g. `IndexStmt`). */
  node: Node;
  kind: string;
  /** Statement text without its terminating semicolon. */
  sql: string;
  /** Index (in UTF-16 units) of the statement's first character in the parsed text. */
  start: number;
}

export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    /** Index (in UTF-16 units) of the offending character in the parsed text. */
    readonly index: number,
  ) {
    super(message);
    this.name = "SqlSyntaxError";
  }
}

/**
 * Splits `text` into its statements. Requires `loadSqlParser()` to have resolved. Throws
 * SqlSyntaxError with the position of the error when the text does not parse.
 */
export function splitStatements(text: string): ParsedStatement[] {
  // libpg_query refuses an empty string ("Query cannot be empty"); an empty part has no statements.
  if (text.trim() === "") return [];
  let result;
  try {
    result = parseSync(text);
  } catch (error) {
    if (hasSqlDetails(error) && error.sqlDetails) {
      throw new SqlSyntaxError(error.message, codePointsToIndex(text, error.sqlDetails.cursorPosition));
    }
    if (error instanceof Error && /not initialized/i.test(error.message)) {
      throw new Error("the SQL parser is not loaded: await loadSqlParser() first");
    }
    throw error;
  }
  // libpg_query reports statement locations in UTF-8 bytes; JavaScript strings index UTF-16 units.
  const bytes = Buffer.from(text, "utf8");
  const ascii = bytes.length === text.length;
  const toIndex = (byteOffset: number) => (ascii ? byteOffset : bytes.subarray(0, byteOffset).toString("utf8").length);

  const statements: ParsedStatement[] = [];
  for (const raw of result.stmts ?? []) {
    if (!raw.stmt) continue;
    const startByte = raw.stmt_location ?? 0;
    // A missing length means "to the end of the text" (the last statement without a semicolon).
    const endByte = raw.stmt_len ? startByte + raw.stmt_len : bytes.length;
    const start = toIndex(startByte);
    const sql = text.slice(start, toIndex(endByte));
    const leading = sql.length - sql.trimStart().length;
    statements.push({
      node: raw.stmt,
      kind: Object.keys(raw.stmt)[0] ?? "Unknown",
      sql: sql.trim(),
      start: start + leading,
    });
  }
  return statements;
}

/** The parser's cursor counts characters (code points) from 0; map that to a string index. */
function codePointsToIndex(text: string, codePoints: number): number {
  let index = 0;
  for (let seen = 0; seen < codePoints && index < text.length; seen++) {
    const code = text.codePointAt(index) ?? 0;
    index += code > 0xffff ? 2 : 1;
  }
  return index;
}
