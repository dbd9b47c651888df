import type { Tier } from "../../domain/fleet";
import type { CatalogProblem } from "./catalog-error";
import type { HistoryState } from "../../domain/history";

export type { HistoryState, Tier };

/** One SQL statement of a migration, as PostgreSQL's parser split it. */
export interface Statement {
  /** The statement's text, without its terminating semicolon. */
  sql: string;
  /** 1-based line of the file where the statement starts. */
  line: number;
  /** Parse-tree node type, e.g. `CreateStmt`, `IndexStmt`. */
  kind: string;
  /** The relations the statement names, unqualified (what a rehearsal's measured lock is matched to). */
  relations: string[];
}

/** The up or the down part of a migration file. */
export interface MigrationPart {
  /** 1-based line of the `-- migrate:up` / `-- migrate:down` marker. */
  line: number;
  statements: Statement[];
}

/** A lint finding on a migration: destructive or lock-heavy SQL. Shown on plans; never blocks. */
export interface PlanWarning {
  code: string;
  message: string;
  migrationId: string;
  file: string;
  line: number;
}

/** One migration file of the catalog. */
export interface Migration {
  /** `<tier>/<version>_<name>`, e.g. `tenant/0002_orders`: what `-- requires:` names. */
  id: string;
  tier: Tier;
  version: string;
  name: string;
  /** Path relative to the catalog folder, e.g. `tenant/0002_orders.sql`. */
  file: string;
  /** sha256 (hex) of the file's bytes. */
  checksum: string;
  /** Ids this migration needs applied first, possibly in other tiers. */
  requires: string[];
  /** False for `-- transaction: false` files (CREATE INDEX CONCURRENTLY and the like). */
  transactional: boolean;
  /** The file's `-- timeout:` in milliseconds, or null for MIGRATION_TIMEOUT. */
  timeoutMs: number | null;
  up: MigrationPart;
  /** Null when the file has no down part: rolling this migration back is refused. */
  down: MigrationPart | null;
  warnings: PlanWarning[];
}

/** Every migration file that loaded, checked and in dependency order, and the ones that did not. */
export interface Catalog {
  /** The folder the catalog was read from. */
  dir: string;
  /** All migrations in one deterministic dependency order (see resolve-order.ts). */
  migrations: Migration[];
  byId: ReadonlyMap<string, Migration>;
  /** Per tier, in the same order (which is version order inside a tier). */
  byTier: Readonly<Record<Tier, readonly Migration[]>>;
  /** sha256 over every id and checksum: changes whenever any file is added, removed or edited. */
  checksum: string;
  /** Files that could not be loaded, each with its line and reason (empty for a sound catalog). */
  problems: CatalogProblem[];
  /** Tiers with a problem: their targets are not planned (the other tiers are). */
  brokenTiers: ReadonlySet<Tier>;
}

/** One place migrations are applied: a schema of a registered database. */
export interface Target {
  connectionId: string;
  connectionName: string;
  databaseName: string;
  schemaName: string;
  tier: Tier;
  region: string | null;
  tenantId?: string | null;
}

/** The key plans and history maps use for a target. */
export function targetKey(target: Pick<Target, "connectionId" | "schemaName">): string {
  return `${target.connectionId}/${target.schemaName}`;
}

/** One row of a target's `_schema_migrations` table. */
export interface HistoryRow {
  version: string;
  name: string;
  checksum: string;
  /**
   * When it was applied, in milliseconds since the epoch (fractions kept): a number, not a Date, since
   * a console remembers the rows of every target it planned (600,000 at 100,000 tenants) and a Date
   * costs about six times a number there.
   */
  appliedAtMs: number;
  executionId: string | null;
  durationMs: number | null;
  appliedBy: string | null;
  state: HistoryState;
}
