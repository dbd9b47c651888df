/**
 * The states of a row in a target's own history table (`<schema>._schema_migrations`), shared by
 * the engine, the API and the dashboard. No imports: anything may depend on this file.
 *
 *  - `applied`: the console ran the migration and it finished;
 *  - `baselined`: an operator marked it as applied without running it (the target was adopted
 *    with its objects already in place); it counts as applied, and the console never rolls it back;
 *  - `started`: a `transaction: false` migration began and never reported back (interrupted);
 *  - `failed`: a `transaction: false` migration failed part-way.
 * The last two block the target until an operator resolves them.
 */
export const HISTORY_STATES = ["applied", "baselined", "started", "failed"] as const;
export type HistoryState = (typeof HISTORY_STATES)[number];

/** The states that need an operator before anything else runs on the target. */
export type InterruptedState = Extract<HistoryState, "started" | "failed">;

/** True for rows that count as done: applied by the console, or baselined by an operator. */
export function countsAsApplied(state: HistoryState): boolean {
  return state === "applied" || state === "baselined";
}

export function isInterrupted(state: HistoryState): state is InterruptedState {
  return state === "started" || state === "failed";
}

/**
 * The schema the console keeps in each fleet database it runs migrations in: the log of which
 * history tables changed (server/migrations/engine/history-tracking-repository.ts). It is not a
 * tenant's schema: lists of a database's schemas leave it out.
 */
export const TRACKING_SCHEMA = "_neomt";
