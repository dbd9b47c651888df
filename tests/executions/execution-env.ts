import { startMigrationWorker, type MigrationWorker } from "../../server/jobs/start-worker";
import { stopEventHub } from "../../server/migrations/executions/event-hub";
import { startRealmWithTokens, type Tokens } from "../support/realm-tokens";
import { setUpFleet, type Fleet, type FleetOptions } from "./fleet-env";

/**
 * What an execution suite runs against: a fleet, the development realm with real tokens and,
 * unless a suite brings its own workers, an in-process migration worker. One start and one stop
 * so every suite sets up and tears down in the same order.
 */

export interface ExecutionEnv {
  fleet: Fleet;
  tokens: Tokens;
  /** The in-process worker; null with `worker: false`. A suite may stop it and start another. */
  worker: MigrationWorker | null;
}

export interface ExecutionEnvOptions extends FleetOptions {
  /** Start an in-process migration worker (default true). */
  worker?: boolean;
}

/** Fleet, then realm and tokens, then the worker. If a step fails, what already started is stopped. */
export async function startExecutionEnv(opts: ExecutionEnvOptions = {}): Promise<ExecutionEnv> {
  const { worker: withWorker = true, ...fleetOptions } = opts;
  const env: Partial<ExecutionEnv> = {};
  try {
    env.fleet = await setUpFleet(fleetOptions);
    env.tokens = await startRealmWithTokens();
    env.worker = withWorker ? await startMigrationWorker({ kind: "in-process" }) : null;
    return env as ExecutionEnv;
  } catch (error) {
    // The set-up error is the one worth reporting, not a follow-on failure while stopping.
    await stopExecutionEnv(env).catch(() => {});
    throw error;
  }
}

/**
 * The reverse order: the worker (so no job is mid-run on a closing fleet), the event hub, the
 * realm, then the fleet. Tolerates a missing or partly started env (a `beforeAll` that failed).
 */
export async function stopExecutionEnv(env: Partial<ExecutionEnv> | undefined): Promise<void> {
  await env?.worker?.stop();
  await stopEventHub();
  await env?.tokens?.realm.stop();
  await env?.fleet?.close();
}
