import type pg from "pg";
import type { TargetError } from "../../domain/executions";
import { getSettings } from "../../config/settings";
import { ensureHistoryTable, historyInsertSql, readTargetHistory } from "./history-repository";
import { runInOneMessage } from "./migration-message";
import { elapsedMs } from "./run-statements";
import { describeConnectFailure, describeError, isTransientError, MigrationError } from "./target-errors";
import { acquireTargetLock, DEFAULT_LOCK_WAIT_MS, releaseTargetLock } from "./target-lock";
import {
  blockingProblem,
  emit,
  outcomeOf,
  selectTargetMigrations,
  type EventHook,
  type MigrationOutcome,
  type WithClient,
} from "./target-run";
import { targetKey, type Catalog, type Migration, type Target } from "./types";
import { VersionSet } from "../../domain/versions";
import {
  begin,
  localSettingsSql,
  RELEASE_REHEARSAL_SAVEPOINT_SQL,
  REHEARSAL_SAVEPOINT_SQL,
  resetTargetSettings,
  rollbackQuietly,
  rollbackToRehearsalSavepoint,
} from "./session-repository";
import { relationFilenodes, relationLocksHeld, relationsIn, tableSizesIn } from "./schema-objects-repository";
import { lockStrength, type RelationMeasure } from "../../domain/review";

export interface RehearseTargetOptions {
  catalog: Catalog;
  target: Target;
  withClient: WithClient;
  /** The migrations to rehearse (a plan's pending list); default: all pending of its tier. */
  migrationIds?: readonly string[];
  /**
   * Pending migrations of other targets in the same database that the target's migrations require
   * (the region's shared target for a tenant schema). They are rehearsed first, inside the same
   * transaction, so the target's migrations see them.
   */
  providers?: readonly { target: Target; migrationIds: readonly string[] }[];
  timeoutSeconds?: number;
  lockWaitMs?: number;
  onEvent?: EventHook;
}

export interface RehearsalTargetResult {
  target: Target;
  migrations: MigrationOutcome[];
}

export interface RehearsalResult extends RehearsalTargetResult {
  /** `would_fail` when any migration would fail; `blocked` (drift, interrupted) and `failed` ran nothing. */
  status: "would_apply" | "would_fail" | "blocked" | "failed";
  providers: RehearsalTargetResult[];
  error?: TargetError;
  durationMs: number;
}

/**
 * Dry-run on the real target: every pending migration runs, in order, inside ONE transaction that
 * is always rolled back. Each migration gets a savepoint, so a failure is pinned to its file and
 * the migrations after it still run against everything before it. Per migration: would_apply (with
 * the locks it took on existing tables), would_fail (the real PostgreSQL error), or not_rehearsable
 * (`transaction: false` files cannot run in a transaction).
 */
export async function rehearseTarget(options: RehearseTargetOptions): Promise<RehearsalResult> {
  const { catalog, target } = options;
  const started = performance.now();
  const defaultTimeoutMs = (options.timeoutSeconds ?? getSettings().migrations.timeoutSeconds) * 1000;
  const parts = [...(options.providers ?? []), { target, migrationIds: options.migrationIds }].map((p) => {
    if (p.target.databaseName !== target.databaseName || p.target.connectionId !== target.connectionId) {
      throw new Error(`provider ${targetKey(p.target)} is not in the same database as ${targetKey(target)}`);
    }
    const selected = selectTargetMigrations(catalog, p.target, p.migrationIds);
    return { target: p.target, selected, outcomes: selected.map((m) => outcomeOf(m, "pending")) };
  });
  const own = parts[parts.length - 1]!;
  const result: RehearsalResult = {
    target,
    status: "would_apply",
    migrations: own.outcomes,
    providers: parts.slice(0, -1).map((p) => ({ target: p.target, migrations: p.outcomes })),
    durationMs: 0,
  };

  let connected = false;
  try {
    await options.withClient(async (client) => {
      connected = true;
      const locked: Target[] = [];
      try {
        for (const p of parts) {
          await acquireTargetLock(client, p.target, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
          locked.push(p.target);
        }
        for (const p of parts) {
          const history = await readTargetHistory(client, p.target.schemaName);
          const problem = blockingProblem(catalog, p.target, history);
          if (problem) {
            result.status = "blocked";
            result.error = problem;
            return;
          }
          const applied = new VersionSet(history.map((r) => r.version));
          p.outcomes.forEach((o, i) => {
            if (applied.has(p.selected[i]!.version)) o.status = "skipped";
          });
        }
        await begin(client);
        try {
          const schemas = [...new Set(["public", ...parts.map((p) => p.target.schemaName)])];
          const existing = await existingRelations(client, schemas);
          const tables = await tableSizes(client, schemas);
          const held = new Set<string>();
          for (const p of parts) {
            await ensureHistoryTable(client, p.target.schemaName);
            for (const [i, migration] of p.selected.entries()) {
              const outcome = p.outcomes[i]!;
              if (outcome.status === "skipped") continue;
              await rehearseOne(client, p.target, migration, outcome, migration.timeoutMs ?? defaultTimeoutMs, existing, held, tables, options.onEvent);
              if (outcome.status === "would_fail") result.status = "would_fail";
            }
          }
        } finally {
          await rollbackQuietly(client);
        }
      } finally {
        for (const t of locked) await releaseTargetLock(client, t).catch(() => {});
        await resetTargetSettings(client).catch(() => {});
      }
    });
  } catch (error) {
    result.status = "failed";
    result.error =
      error instanceof MigrationError ? error.targetError : connected ? describeError(error) : describeConnectFailure(error);
  }
  result.durationMs = elapsedMs(started);
  return result;
}

async function rehearseOne(
  client: pg.ClientBase,
  target: Target,
  migration: Migration,
  outcome: MigrationOutcome,
  timeoutMs: number,
  existing: ReadonlyMap<number, string>,
  held: Set<string>,
  tables: TableSizes,
  onEvent: EventHook | undefined,
) {
  if (!migration.transactional) {
    outcome.status = "not_rehearsable";
    outcome.error = {
      code: "not_rehearsable",
      message: `${migration.file} runs outside a transaction ("transaction: false"), so it cannot be rehearsed and rolled back`,
      file: migration.file,
      transient: false,
    };
    return;
  }
  await emit(onEvent, { type: "migration_started", target, migrationId: migration.id, mode: "rehearse" });
  const t0 = performance.now();
  try {
    // The savepoint, the settings, the up part and the history row in one message, as when applied.
    await runInOneMessage(client, migration, migration.up, {
      before: [REHEARSAL_SAVEPOINT_SQL, ...localSettingsSql(target.schemaName, timeoutMs)],
      after: [
        historyInsertSql(target.schemaName, {
          version: migration.version,
          name: migration.name,
          checksum: migration.checksum,
          executionId: null,
          durationMs: null,
          appliedBy: null,
          state: "applied",
        }),
        RELEASE_REHEARSAL_SAVEPOINT_SQL,
      ],
    });
    outcome.status = "would_apply";
    outcome.durationMs = elapsedMs(t0);
    outcome.locks = await newLocks(client, existing, held);
    outcome.relations = await measureRelations(client, tables);
  } catch (error) {
    const detail = error instanceof MigrationError ? error.targetError : describeError(error, { migration });
    // A lost connection or a lock conflict says nothing about the migration: the rehearsal failed.
    if (detail.transient || isTransientError(error)) throw new MigrationError(detail);
    await rollbackToRehearsalSavepoint(client);
    outcome.status = "would_fail";
    outcome.durationMs = elapsedMs(t0);
    outcome.error = detail;
  }
  await emit(onEvent, {
    type: "migration_finished",
    target,
    migrationId: migration.id,
    mode: "rehearse",
    status: outcome.status,
    durationMs: outcome.durationMs ?? 0,
    error: outcome.error,
  });
}

/**
 * Relations that existed before the rehearsal, in the schemas it can touch. Locks on them are what
 * an execution would make other sessions wait for; locks on tables the migration itself creates
 * block nobody and are left out.
 */
export async function existingRelations(client: pg.ClientBase, schemas: readonly string[]): Promise<Map<number, string>> {
  const rows = await relationsIn(client, schemas);
  return new Map(rows.map((r) => [r.oid, r.name]));
}

/** The relation locks this backend holds now and did not hold before the current migration. */
export async function newLocks(client: pg.ClientBase, existing: ReadonlyMap<number, string>, held: Set<string>): Promise<string[]> {
  const rows = await relationLocksHeld(client);
  const fresh: string[] = [];
  for (const row of rows) {
    const name = existing.get(row.relation);
    if (!name || name.endsWith("._schema_migrations")) continue;
    const lock = `${row.mode} on ${name}`;
    if (!held.has(lock)) {
      held.add(lock);
      fresh.push(lock);
    }
  }
  return fresh.sort();
}

/**
 * The tables of a rehearsal's schemas as they were before it ran anything (sizes), with what the
 * rehearsal has done to them so far: the lock modes it holds and the file behind each (a rewrite
 * gives a table a new one).
 */
export interface TableSizes {
  byOid: Map<number, { name: string; rows: number | null; bytes: number; filenode: number; modes: Set<string> }>;
}

export async function tableSizes(client: pg.ClientBase, schemas: readonly string[]): Promise<TableSizes> {
  const rows = await tableSizesIn(client, schemas);
  return {
    byOid: new Map(
      rows
        .filter((r) => !r.name.endsWith("._schema_migrations"))
        .map((r) => [r.oid, { name: r.name, rows: r.rows, bytes: r.bytes, filenode: r.filenode, modes: new Set<string>() }]),
    ),
  };
}

/**
 * What the migration that just ran did to existing tables: each table it took a new lock on or
 * rewrote, with its size before the rehearsal, the strongest mode it took and whether it rewrote it.
 * What a plan's size review judges (large table × blocking lock).
 */
export async function measureRelations(client: pg.ClientBase, tables: TableSizes): Promise<RelationMeasure[]> {
  const locks = await relationLocksHeld(client);
  const fresh = new Map<number, string>();
  const locked = new Set<number>();
  for (const { relation, mode } of locks) {
    const table = tables.byOid.get(relation);
    if (!table) continue;
    locked.add(relation);
    if (table.modes.has(mode)) continue;
    table.modes.add(mode);
    const before = fresh.get(relation);
    if (!before || lockStrength(mode) > lockStrength(before)) fresh.set(relation, mode);
  }
  const files = await relationFilenodes(client, [...locked]);
  const out: RelationMeasure[] = [];
  for (const oid of locked) {
    const table = tables.byOid.get(oid)!;
    const file = files.get(oid);
    const rewritten = file !== undefined && file !== table.filenode;
    if (rewritten) table.filenode = file;
    const mode = fresh.get(oid) ?? (rewritten ? strongest(table.modes) : undefined);
    if (!mode) continue;
    out.push({ name: table.name, lock: mode, rows: table.rows, bytes: table.bytes, rewritten });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function strongest(modes: ReadonlySet<string>): string {
  return [...modes].reduce((a, b) => (lockStrength(b) > lockStrength(a) ? b : a));
}
