export type CatalogErrorCode =
  | "bad_file_name"
  | "unknown_tier"
  | "unknown_directive"
  | "malformed_directive"
  | "malformed_section"
  | "missing_up"
  | "duplicate_version"
  | "unknown_requirement"
  | "dependency_cycle"
  | "syntax_error"
  | "non_transactional_statement"
  | "transaction_control"
  | "escapes_target"
  | "unreadable";

/**
 * A catalog that cannot be loaded. `file` is relative to the catalog folder and `line` is 1-based,
 * so the message reads like a compiler's: `tenant/0002_orders.sql:3: unknown directive "require"`.
 */
export class CatalogLoadError extends Error {
  constructor(
    readonly code: CatalogErrorCode,
    readonly reason: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = "CatalogLoadError";
  }
}
