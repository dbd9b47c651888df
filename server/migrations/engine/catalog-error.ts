import type { Tier } from "../../domain/fleet";

export type CatalogErrorCode =
  | "bad_file_name"
  | "unknown_tier"
  | "unknown_directive"
  | "malformed_directive"
  | "malformed_section"
  | "missing_up"
  | "duplicate_version"
  | "unknown_requirement"
  | "broken_requirement"
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

/**
 * One file's problem in a catalog that loaded the rest: what the console shows on the catalog page
 * and in health, and which tiers it keeps from being planned (the file's own; every tier on a
 * dependency cycle; all of them for a folder outside every tier, which could hide any tier's files).
 */
export interface CatalogProblem {
  code: CatalogErrorCode;
  file: string;
  line: number;
  reason: string;
  /** `<file>:<line>: <reason>` */
  message: string;
  tiers: Tier[];
}

export function problemOf(error: CatalogLoadError, tiers: Tier[]): CatalogProblem {
  return { code: error.code, file: error.file, line: error.line, reason: error.reason, message: error.message, tiers };
}
