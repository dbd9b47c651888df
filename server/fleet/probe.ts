import { getSettings } from "../config/settings";
import { AppError } from "../errors/app-error";
import { describeConnectionError, type ConnectionErrorInfo } from "./connection-error";
import type { ConnectionDetails, ResolvedConnection } from "./connection-target";
import { withDirectClient } from "./direct-client";
import { type FleetPoolManager, FleetPoolTimeoutError, getFleetPools } from "./pool-manager";
import { readServerVersion } from "./server-repository";

/** The outcome of connecting to a database and asking its version: what tests and health record. */
export interface ProbeResult {
  success: boolean;
  serverVersion: string | null;
  /** Connect + query round trip, in milliseconds. */
  latencyMs: number;
  error: ConnectionErrorInfo | null;
  checkedAt: Date;
}

/**
 * Tests connection details with a fresh session (what a form submits, or a saved connection's
 * details): proves the host answers and the credentials are accepted now. Throws only when the host
 * is not allowed (no traffic was sent); every other failure is a result with success=false.
 */
export async function probeDetails(details: ConnectionDetails): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const serverVersion = await withDirectClient(details, (client) => readServerVersion(client));
    return ok(serverVersion, started);
  } catch (error) {
    if (error instanceof AppError) throw error;
    return failed(error, started, details.password);
  }
}

/**
 * Health probe through the shared pools (bounded sessions per database). Throws for a refused host
 * and for FleetPoolTimeoutError (the pool is saturated by other work: says nothing about health).
 */
export async function probePooled(connection: ResolvedConnection, pools: FleetPoolManager = getFleetPools()): Promise<ProbeResult> {
  const started = performance.now();
  const timeoutMs = getSettings().fleet.connectTimeoutSeconds * 1000;
  try {
    const serverVersion = await pools.withClient(connection, (client) => withTimeout(readServerVersion(client), timeoutMs), {
      acquireTimeoutMs: timeoutMs * 2,
    });
    return ok(serverVersion, started);
  } catch (error) {
    if (error instanceof AppError || error instanceof FleetPoolTimeoutError) throw error;
    return failed(error, started, connection.password);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: "timeout" })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const elapsed = (started: number) => Math.max(0, Math.round(performance.now() - started));

const ok = (serverVersion: string | null, started: number): ProbeResult => ({
  success: true,
  serverVersion,
  latencyMs: elapsed(started),
  error: null,
  checkedAt: new Date(),
});

const failed = (error: unknown, started: number, password: string | null): ProbeResult => ({
  success: false,
  serverVersion: null,
  latencyMs: elapsed(started),
  error: describeConnectionError(error, password),
  checkedAt: new Date(),
});
