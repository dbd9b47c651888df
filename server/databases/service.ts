import { getSettings } from "../config/settings";
import { getDb } from "../db/client";
import type { Tier } from "../domain/fleet";
import type { ConnectionDetails, ResolvedConnection } from "../fleet/connection-target";
import { assertHostAllowed } from "../fleet/host-guard";
import { getFleetPools } from "../fleet/pool-manager";
import { probeDetails, type ProbeResult } from "../fleet/probe";
import { AppError, conflict, notFound } from "../errors/app-error";
import { assertNoTargetClash, type Candidate, connectionTargets, writeWithoutTargetClash } from "./target-overlaps";
import { recordProbe } from "./health-service";
import { getPasswordBox } from "./password-box";
import { openPassword, resolveRow } from "./resolve";
import { violatedUniqueConstraint } from "./pg-constraint";
import * as repo from "./repository";
import {
  CONNECTION_FIELDS,
  type Connection,
  type ConnectionCreate,
  type ConnectionList,
  type ConnectionListQuery,
  type ConnectionTestResult,
  type ConnectionUpdate,
  type TestDetails,
} from "./schemas";

/**
 * Registered databases: create (tested first, as the original service did), read, list, update
 * (tested again when the connection details change), soft delete, test. Shared by the REST routes,
 * the server actions and the migration engine. No `server-only` import here: the worker and the
 * key-rotation command run this code outside Next.
 */

export async function createConnection(input: ConnectionCreate, actor: string): Promise<Connection> {
  const db = getDb();
  // Input that can never be accepted is refused before conflicts with other rows are looked at.
  assertHostAllowed(input.host, getSettings().allowedDatabaseHosts);
  await assertNameFree(input.name);
  if (input.is_active) await assertTierSlotFree(input.connection_type, input.region ?? null);
  const targets: Candidate[] =
    input.connection_type === "tenant" || !input.is_active
      ? []
      : [{ host: input.host, port: input.port, databaseName: input.database_name, schemaName: input.schema_name, field: "schema_name" }];
  await assertNoTargetClash(targets);
  const details: ConnectionDetails = {
    host: input.host,
    port: input.port,
    databaseName: input.database_name,
    username: input.username,
    sslMode: input.ssl_mode,
    password: input.password || null,
  };
  const probe = input.skip_test ? null : await testOrThrow(details);

  const sealed = details.password ? getPasswordBox().seal(details.password) : null;
  const values: repo.NewConnectionRow = {
    name: input.name,
    host: input.host,
    port: input.port,
    databaseName: input.database_name,
    username: input.username,
    passwordEncrypted: sealed?.ciphertext ?? null,
    passwordKeyId: sealed?.keyId ?? null,
    sslMode: input.ssl_mode,
    connectionType: input.connection_type,
    region: input.region ?? null,
    schemaName: input.schema_name,
    isActive: input.is_active,
    metadata: input.metadata,
    createdBy: actor,
    updatedBy: actor,
  };
  const row = await writeOrConflict(() => writeWithoutTargetClash(targets, {}, (tx) => repo.insertConnection(tx, values)));
  if (probe) await recordProbe(row.id, probe);
  return toConnection(probe ? ((await repo.findLiveConnection(db, row.id)) ?? row) : row);
}

export async function listConnections(query: ConnectionListQuery): Promise<ConnectionList> {
  const { rows, total } = await repo.listConnections(getDb(), query);
  return { items: rows.map(toConnection), total, limit: query.limit, offset: query.offset };
}

export async function getConnectionOrThrow(id: string): Promise<Connection> {
  return toConnection(await getRowOrThrow(id));
}

export async function updateConnection(id: string, input: ConnectionUpdate, actor: string): Promise<Connection> {
  const db = getDb();
  const current = await getRowOrThrow(id);
  const next = {
    name: input.name ?? current.name,
    connectionType: input.connection_type ?? current.connectionType,
    isActive: input.is_active ?? current.isActive,
    region: input.region === undefined ? current.region : input.region,
  };
  if ((next.connectionType === "shared" || next.connectionType === "tenant") && !next.region) {
    throw new AppError("validation_error", `region is required for ${next.connectionType} databases`, {
      location: "body",
      fields: [{ field: "region", message: `region is required for ${next.connectionType} databases`, code: "custom" }],
    });
  }
  if (next.name !== current.name) await assertNameFree(next.name, id);
  if (next.isActive) await assertTierSlotFree(next.connectionType, next.region, id);

  const movesHost =
    (input.host !== undefined && input.host !== current.host) || (input.port !== undefined && input.port !== current.port);
  if (movesHost && current.passwordEncrypted && input.password === undefined) {
    // The stored password was given for the old server; never hand it to another one unasked.
    const message = "password must be entered again when host or port changes";
    throw new AppError("validation_error", message, {
      location: "body",
      fields: [{ field: "password", message, code: "custom" }],
    });
  }
  const detailsChanged = changedDetailFields(current, input).length > 0;
  const mustTest = detailsChanged && !input.skip_test;
  const details: ConnectionDetails = {
    host: input.host ?? current.host,
    port: input.port ?? current.port,
    databaseName: input.database_name ?? current.databaseName,
    username: input.username ?? current.username,
    sslMode: input.ssl_mode ?? current.sslMode,
    // Decrypt the stored password only when a test needs it.
    password: input.password !== undefined ? input.password || null : mustTest ? openPassword(current) : null,
  };
  if (detailsChanged) assertHostAllowed(details.host, getSettings().allowedDatabaseHosts);
  // Where the connection's targets (its own schema, its tenants') are after the change.
  const schemaName = input.schema_name ?? current.schemaName;
  const movesTargets =
    details.host !== current.host ||
    details.port !== current.port ||
    details.databaseName !== current.databaseName ||
    schemaName !== current.schemaName ||
    (next.connectionType === "tenant") !== (current.connectionType === "tenant") ||
    !current.isActive;
  const targets = next.isActive && movesTargets
    ? await connectionTargets(id, details, next.connectionType === "tenant" ? null : schemaName)
    : [];
  await assertNoTargetClash(targets, { connectionId: id });
  const probe = mustTest ? await testOrThrow(details) : null;

  const patch: repo.ConnectionPatch = {
    name: next.name,
    connectionType: next.connectionType,
    isActive: next.isActive,
    region: next.region,
    host: details.host,
    port: details.port,
    databaseName: details.databaseName,
    username: details.username,
    sslMode: details.sslMode,
    updatedBy: actor,
  };
  if (input.schema_name !== undefined) patch.schemaName = input.schema_name;
  if (input.metadata !== undefined) patch.metadata = input.metadata;
  if (input.password !== undefined) {
    const sealed = details.password ? getPasswordBox().seal(details.password) : null;
    patch.passwordEncrypted = sealed?.ciphertext ?? null;
    patch.passwordKeyId = sealed?.keyId ?? null;
  }
  if (detailsChanged && !probe) {
    // The recorded health described the old details; unknown until the next probe.
    Object.assign(patch, { isHealthy: null, healthError: null, responseTimeMs: null, lastHealthCheck: null });
  }
  const row = await writeOrConflict(() =>
    writeWithoutTargetClash(targets, { connectionId: id }, (tx) => repo.updateLiveConnection(tx, id, patch)),
  );
  if (!row) throw notFound("connection", id);
  if (detailsChanged) getFleetPools().evict(id);
  if (probe) await recordProbe(id, probe);
  return toConnection(probe ? ((await repo.findLiveConnection(db, id)) ?? row) : row);
}

/**
 * Soft delete: the row stays for history (executions name it) but leaves lists, plans and health.
 * Refused while tenants that are not archived live on it: they would silently drop out of plans.
 */
export async function deleteConnection(id: string, actor: string): Promise<void> {
  const db = getDb();
  await getRowOrThrow(id);
  const hosted = await repo.countHostedTenants(db, id);
  if (hosted > 0) {
    throw conflict(`connection hosts ${hosted} tenant(s) that are not archived: move or archive them first`, {
      connection_id: id,
      tenants: hosted,
    });
  }
  const row = await repo.softDeleteConnection(db, id, actor);
  if (!row) throw notFound("connection", id);
  getFleetPools().evict(id);
}

/** Connects to a saved connection now with a fresh session and records the outcome as a health check. */
export async function testConnection(id: string): Promise<ConnectionTestResult> {
  const resolved = resolveRow(await getRowOrThrow(id));
  const probe = await probeDetails(resolved);
  await recordProbe(id, probe);
  return toTestResult(id, probe);
}

/**
 * Tests typed connection details without saving anything (the form's "Test connection"). Editing a
 * saved connection, the stored password stands in for an empty password field, as long as host and
 * port are still the saved ones.
 */
export async function testConnectionDetails(input: TestDetails): Promise<ConnectionTestResult> {
  let password = input.password || null;
  if (!password && input.connection_id) {
    const saved = await getRowOrThrow(input.connection_id);
    // The stored password only ever goes to the server it was saved for.
    if (saved.host === input.host && saved.port === input.port) password = openPassword(saved);
  }
  const probe = await probeDetails({
    host: input.host,
    port: input.port,
    databaseName: input.database_name,
    username: input.username,
    sslMode: input.ssl_mode,
    password,
  });
  return toTestResult(input.connection_id ?? null, probe);
}

/**
 * A live connection with its password decrypted, for the fleet pools and the migration engine.
 * The password is hidden from serialisation (see ResolvedConnection).
 */
export async function resolveConnectionOrThrow(id: string): Promise<ResolvedConnection> {
  return resolveRow(await getRowOrThrow(id));
}

export interface FleetConnectionFilter {
  activeOnly?: boolean;
  tiers?: readonly Tier[];
  region?: string;
  ids?: readonly string[];
}

/** Live connections (for plans and target discovery), passwords decrypted but hidden. */
export async function listFleetConnections(filter: FleetConnectionFilter = {}): Promise<ResolvedConnection[]> {
  const rows = await repo.listLiveConnections(getDb(), filter);
  return rows.map(resolveRow);
}

/** Connection fields the update really changes (a form sends them all back); a given password always counts. */
function changedDetailFields(current: repo.ConnectionRow, input: ConnectionUpdate): string[] {
  const before: Record<(typeof CONNECTION_FIELDS)[number], unknown> = {
    host: current.host,
    port: current.port,
    database_name: current.databaseName,
    username: current.username,
    password: Symbol("stored password"),
    ssl_mode: current.sslMode,
  };
  return CONNECTION_FIELDS.filter((field) => input[field] !== undefined && input[field] !== before[field]);
}

async function getRowOrThrow(id: string): Promise<repo.ConnectionRow> {
  const row = await repo.findLiveConnection(getDb(), id);
  if (!row) throw notFound("connection", id);
  return row;
}

async function testOrThrow(details: ConnectionDetails): Promise<ProbeResult> {
  const probe = await probeDetails(details);
  if (probe.success) return probe;
  const reason = probe.error?.message ?? "connection failed";
  throw new AppError("connection_failed", `connection test failed: ${reason}`, {
    code: probe.error?.code ?? null,
    message: reason,
    latency_ms: probe.latencyMs,
    hint: "fix the connection details, or send skip_test: true to save them untested",
  });
}

async function assertNameFree(name: string, exceptId?: string) {
  if (await repo.findLiveConnectionByName(getDb(), name, exceptId)) throw nameTaken(name);
}

/** One active admin connection in the fleet, one active shared connection per region. */
async function assertTierSlotFree(tier: Tier, region: string | null, exceptId?: string) {
  if (tier !== "admin" && tier !== "shared") return;
  const existing = await repo.findActiveSingleton(getDb(), tier, region, exceptId);
  if (existing) throw tier === "admin" ? adminTaken(existing.name) : sharedTaken(region, existing.name);
}

const nameTaken = (name: string) =>
  conflict(`a connection named ${name} already exists`, { field: "name", name });

const adminTaken = (name?: string) =>
  conflict(
    `only one active admin connection is allowed${name ? ` (${name} is active)` : ""}: deactivate it first, or register this one with is_active: false`,
    { field: "connection_type", existing: name ?? null },
  );

const sharedTaken = (region: string | null, name?: string) =>
  conflict(
    `only one active shared connection is allowed per region${name ? ` (${name} is active in ${region})` : ""}: tenants of a region rely on one shared database`,
    { field: "region", existing: name ?? null },
  );

/** Races past the pre-checks end at the unique indexes; report them the same way. */
async function writeOrConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const constraint = violatedUniqueConstraint(error);
    if (constraint === "connections_name_live_uq") throw conflict("a connection with this name already exists", { field: "name" });
    if (constraint === "connections_one_active_admin_uq") throw adminTaken();
    if (constraint === "connections_one_active_shared_per_region_uq") throw sharedTaken(null);
    throw error;
  }
}

export function toConnection(row: repo.ConnectionRow): Connection {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    database_name: row.databaseName,
    username: row.username,
    has_password: row.passwordEncrypted !== null,
    ssl_mode: row.sslMode,
    connection_type: row.connectionType,
    region: row.region,
    schema_name: row.schemaName,
    is_active: row.isActive,
    metadata: row.metadata,
    is_healthy: row.isHealthy,
    last_health_check: row.lastHealthCheck?.toISOString() ?? null,
    response_time_ms: row.responseTimeMs,
    server_version: row.serverVersion,
    health_error: row.healthError,
    created_by: row.createdBy,
    updated_by: row.updatedBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function toTestResult(connectionId: string | null, probe: ProbeResult): ConnectionTestResult {
  return {
    connection_id: connectionId,
    success: probe.success,
    server_version: probe.serverVersion,
    latency_ms: probe.latencyMs,
    error_code: probe.error?.code ?? null,
    error_message: probe.error?.message ?? null,
    checked_at: probe.checkedAt.toISOString(),
  };
}
