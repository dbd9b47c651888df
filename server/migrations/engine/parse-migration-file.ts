import { createHash } from "node:crypto";
import { TIERS } from "../../domain/fleet";
import { CatalogLoadError } from "./catalog-error";
import { classifyStatement } from "./classify-statement";
import { splitStatements, SqlSyntaxError } from "./sql-parser";
import type { Migration, MigrationPart, PlanWarning, Tier } from "./types";

/**
 * Reads one migration file (DESIGN.md, "Migration files"):
 *
 *   -- requires: shared/0001_currencies, tenant/0001_accounts
 *   -- transaction: false
 *   -- timeout: 600s
 *   -- migrate:up
 *   …
 *   -- migrate:down
 *   …
 *
 * In the header (before `-- migrate:up`), a comment shaped `-- word: value` with a lowercase word is
 * a directive, so a typo such as `-- require:` is reported instead of silently ignored; any other
 * comment is free text. Requires the SQL parser to be loaded (loadSqlParser).
 */

export interface ParsedMigrationFile {
  migration: Migration;
  /** Where each `requires` entry was written, for errors about it. */
  requireLines: ReadonlyMap<string, number>;
}

const FILE_NAME = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\.sql$/;
const MARKER = /^--\s*migrate:\s*(\S*)\s*$/i;
const DIRECTIVE = /^--\s*([a-z][a-z0-9_-]*)\s*:(.*)$/;
const MIGRATION_ID = /^[a-z]+\/\d+_[A-Za-z0-9][A-Za-z0-9_-]*$/;
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

export function parseMigrationFile(file: string, content: string | Uint8Array): ParsedMigrationFile {
  const fail = (code: ConstructorParameters<typeof CatalogLoadError>[0], reason: string, line = 1): never => {
    throw new CatalogLoadError(code, reason, file, line);
  };

  const [tierDir, base, ...deeper] = file.split("/");
  if (!tierDir || !base || deeper.length > 0) fail("bad_file_name", "migration files live in <tier>/<version>_<name>.sql");
  if (!(TIERS as readonly string[]).includes(tierDir!)) {
    fail("unknown_tier", `"${tierDir}" is not a tier (expected one of ${TIERS.join(", ")})`);
  }
  const nameMatch = FILE_NAME.exec(base!);
  if (!nameMatch) fail("bad_file_name", `"${base}" is not named <version>_<name>.sql (e.g. 0002_orders.sql)`);
  const tier = tierDir as Tier;
  const version = nameMatch![1]!;
  const name = nameMatch![2]!;
  const id = `${tier}/${version}_${name}`;

  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  const checksum = createHash("sha256").update(bytes).digest("hex");
  let text = bytes.toString("utf8");
  if (text.startsWith("\uFEFF")) text = text.slice(1);

  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const requires: string[] = [];
  const requireLines = new Map<string, number>();
  const seen = new Set<string>();
  let transactional = true;
  let timeoutMs: number | null = null;

  const directive = (key: string, value: string, line: number) => {
    if (key !== "requires" && seen.has(key)) fail("malformed_directive", `"${key}" is set twice`, line);
    seen.add(key);
    if (key === "requires") {
      const ids = value.split(",").map((s) => s.trim());
      for (const req of ids) {
        if (!MIGRATION_ID.test(req)) {
          fail("malformed_directive", `requires: "${req}" is not a migration id such as shared/0001_currencies`, line);
        }
        if (!requireLines.has(req)) {
          requires.push(req);
          requireLines.set(req, line);
        }
      }
    } else if (key === "transaction") {
      const v = value.toLowerCase();
      if (v !== "true" && v !== "false") fail("malformed_directive", `transaction: expected true or false, got "${value}"`, line);
      transactional = v === "true";
    } else if (key === "timeout") {
      const m = DURATION.exec(value);
      const ms = m ? Math.ceil(Number(m[1]) * UNIT_MS[(m[2] ?? "s").toLowerCase()]!) : 0;
      if (!m || ms <= 0) fail("malformed_directive", `timeout: expected a duration such as 600s, 10m or 1h, got "${value}"`, line);
      timeoutMs = ms;
    } else {
      fail("unknown_directive", `unknown directive "${key}" (known: requires, transaction, timeout)`, line);
    }
  };

  // One pass over the lines: header directives, then the two section markers.
  let upLine = 0;
  let downLine = 0;
  let upStart = 0;
  let upEnd = text.length;
  let downStart = text.length;
  let strayLine = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const trimmed = lines[i]!.trim();
    const marker = MARKER.exec(trimmed);
    if (marker) {
      const kind = marker[1]!.toLowerCase();
      const after = (lineStarts[i + 1] ?? text.length);
      if (kind === "up") {
        if (upLine) fail("malformed_section", `second "-- migrate:up" (the first is on line ${upLine})`, line);
        upLine = line;
        upStart = after;
      } else if (kind === "down") {
        if (!upLine) fail("malformed_section", `"-- migrate:down" comes before "-- migrate:up"`, line);
        if (downLine) fail("malformed_section", `second "-- migrate:down" (the first is on line ${downLine})`, line);
        downLine = line;
        upEnd = lineStarts[i]!;
        downStart = after;
      } else {
        fail("malformed_section", `unknown section "-- migrate:${marker[1]}" (expected up or down)`, line);
      }
      continue;
    }
    if (upLine || trimmed === "") continue;
    if (trimmed.startsWith("--")) {
      const d = DIRECTIVE.exec(trimmed);
      if (d) directive(d[1]!, d[2]!.trim(), line);
    } else if (!strayLine) strayLine = line;
  }
  if (!upLine) fail("missing_up", `no "-- migrate:up" section: every migration needs an up part`);
  if (strayLine) fail("malformed_section", `SQL before "-- migrate:up": statements belong in the up or down part`, strayLine);

  const warnings: PlanWarning[] = [];
  const newTables = new Set<string>();
  const part = (marker: number, start: number, end: number, lint: boolean): MigrationPart => {
    let parsed;
    try {
      parsed = splitStatements(text.slice(start, end));
    } catch (error) {
      if (error instanceof SqlSyntaxError) fail("syntax_error", error.message, lineOf(start + error.index));
      throw error;
    }
    const statements = parsed.map((s) => {
      const line = lineOf(start + s.start);
      const cls = classifyStatement(s.node, newTables);
      if (transactional && cls.nonTransactional) {
        fail(
          "non_transactional_statement",
          `${cls.nonTransactional} cannot run inside a transaction: add "-- transaction: false" to the file's header`,
          line,
        );
      }
      if (transactional && cls.transactionControl) {
        fail(
          "transaction_control",
          `transaction control (BEGIN, COMMIT, SAVEPOINT…) is not allowed here: each migration already runs in its own transaction`,
          line,
        );
      }
      if (cls.escapesTarget) {
        fail(
          "escapes_target",
          `${cls.escapesTarget}; every migration runs with search_path set to the target's schema (then public) as the connection's role: name other schemas explicitly instead`,
          line,
        );
      }
      for (const t of cls.createsTables) newTables.add(t);
      if (lint) for (const w of cls.warnings) warnings.push({ ...w, migrationId: id, file, line });
      return { sql: s.sql, line, kind: s.kind, relations: cls.relations };
    });
    return { line: marker, statements };
  };

  const up = part(upLine, upStart, upEnd, true);
  if (up.statements.length === 0) fail("missing_up", "the up part has no statements", upLine);
  const down = downLine ? part(downLine, downStart, text.length, false) : null;

  return {
    migration: {
      id,
      tier,
      version,
      name,
      file,
      checksum,
      requires,
      transactional,
      timeoutMs,
      up,
      // An empty down part is treated as missing: rolling back must never silently do nothing.
      down: down && down.statements.length > 0 ? down : null,
      warnings,
    },
    requireLines,
  };
}
