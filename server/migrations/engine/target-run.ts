import pg from "pg";
import type { TargetError, TargetMigrationResult } from "../../domain/executions";
import { isInterrupted } from "../../domain/history";
import { getLogger } from "../../logging/logger";
import type { Catalog, HistoryRow, Migration, Target } from "./types";
import { versionKey } from "../../domain/versions";

/**
 * Pieces shared by executing, rehearsing and reverting one target: how to get a connection, the
 * per-migration result, progress events, and the checks that stop a target before anything runs.
 */

/**
 * Lends a client connected to the target's database for the duration of `work`. The engine leaves
 * the session as it found it (lock released, settings reset), so a pooled client may be reused.
 */
export type WithClient = <T>(work: (client: pg.ClientBase) => Promise<T>) => Promise<T>;

/**
 * A WithClient that opens a fresh connection per call and closes it afterwards. Migrating many
 * schemas over one long-lived session is about 2× slower (DESIGN.md: the backend's catalog cache
 * grows with every schema it touches), so a connection per target is the default.
 */
export function withNewClient(config: pg.ClientConfig): WithClient {
  return async (work) => {
    const client = new pg.Client({ application_name: "infrastructure-console:migrate", ...config });
    // A connection the server drops while idle emits 'error'; the failing query reports it instead.
    client.on("error", () => {});
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => {});
    }
  };
}

/** One migration's result on one target: the stored TargetMigrationResult plus its catalog id. */
export interface MigrationOutcome extends TargetMigrationResult {
  id: string;
}

export type MigrationEvent =
  | { type: "migration_started"; target: Target; migrationId: string; mode: RunMode }
  | {
      type: "migration_finished";
      target: Target;
      migrationId: string;
      mode: RunMode;
      status: MigrationOutcome["status"];
      durationMs: number;
      error?: TargetError;
    };

export type RunMode = "apply" | "rehearse" | "revert";

export type EventHook = (event: MigrationEvent) => void | Promise<void>;

/**
 * Progress reporting must never change what gets applied: a failing hook is logged and the run
 * goes on (the final result still carries every outcome).
 */
export async function emit(hook: EventHook | undefined, event: MigrationEvent): Promise<void> {
  if (!hook) return;
  try {
    await hook(event);
  } catch (error) {
    getLogger().warn({ err: error, migrationId: event.migrationId, type: event.type }, "migration event hook failed");
  }
}

export function outcomeOf(m: Migration, status: MigrationOutcome["status"]): MigrationOutcome {
  return { id: m.id, version: m.version, name: m.name, tier: m.tier, checksum: m.checksum, status };
}

/**
 * The target's tier migrations, in catalog order, limited to `ids` when given (a plan's pending
 * list). Ids outside the catalog or of another tier are a caller's mistake and throw.
 */
export function selectTargetMigrations(catalog: Catalog, target: Target, ids?: readonly string[]): Migration[] {
  const tierMigrations = catalog.byTier[target.tier];
  if (!ids) return [...tierMigrations];
  const wanted = new Set(ids);
  for (const id of wanted) {
    const m = catalog.byId.get(id);
    if (!m) throw new Error(`migration ${id} is not in the catalog`);
    if (m.tier !== target.tier) throw new Error(`migration ${id} is not a ${target.tier} migration`);
  }
  return tierMigrations.filter((m) => wanted.has(m.id));
}

/**
 * Why nothing may run on the target right now: a non-transactional migration that never finished
 * (`needs_attention`), or an applied file that changed since (`drift`). Null when clear.
 * `only` limits the drift check to some migrations (a rollback cares about the ones it reverts).
 */
export function blockingProblem(
  catalog: Catalog,
  target: Target,
  history: readonly HistoryRow[],
  only?: ReadonlySet<string>,
): TargetError | null {
  const interrupted = history.filter((r) => isInterrupted(r.state));
  if (interrupted.length > 0) {
    const names = interrupted.map((r) => `${target.tier}/${r.version}_${r.name} (${r.state})`).join(", ");
    return {
      code: "needs_attention",
      message: `${names} ran outside a transaction and did not finish; check the target, then mark it completed or retry`,
      transient: false,
    };
  }
  const byVersion = new Map(catalog.byTier[target.tier].map((m) => [versionKey(m.version), m]));
  const drifted = history
    .map((r) => ({ row: r, m: byVersion.get(versionKey(r.version)) }))
    .filter(({ row, m }) => m && m.checksum !== row.checksum && (!only || only.has(m.id)))
    .map(({ m }) => m!.file);
  if (drifted.length > 0) {
    return {
      code: "drift",
      message: `applied migrations changed since they ran: ${drifted.join(", ")}; accept the drift before executing`,
      file: drifted[0],
      transient: false,
    };
  }
  return null;
}
