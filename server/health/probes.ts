import "server-only";
import { AppError } from "../errors/app-error";
import { getLogger } from "../logging/logger";
import { controlPlaneSchemaState } from "./control-plane";
import type { Readiness } from "./schemas";
import { describeFailure } from "./timeout";

/** Liveness: the process answers. Touches nothing else, so a database outage never restarts the console. */
export function liveness() {
  return { status: "alive" as const, uptime_seconds: Math.round(process.uptime()) };
}

/**
 * Readiness: this instance can serve requests, i.e. the control-plane database answers and its
 * schema is fully migrated. Not ready is a 503 (service_unavailable) saying which check failed.
 */
export async function readinessOrThrow(): Promise<Readiness> {
  let schema;
  try {
    schema = await controlPlaneSchemaState();
  } catch (error) {
    // This answer is public: the reason (addresses, codes) goes to the log only.
    getLogger().warn({ reason: describeFailure(error) }, "readiness: control-plane database unreachable");
    throw new AppError("service_unavailable", "not ready: control-plane database unreachable", {
      checks: { control_plane: false, schema_migrated: false },
    });
  }
  if (schema.pending > 0) {
    throw new AppError("service_unavailable", `not ready: ${schema.pending} control-plane migration(s) not applied`, {
      checks: { control_plane: true, schema_migrated: false },
      schema,
    });
  }
  return { status: "ready", checks: { control_plane: true, schema_migrated: true } };
}
