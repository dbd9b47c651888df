import { sql } from "drizzle-orm";
import {
  EXECUTION_KINDS,
  EXECUTION_STATUSES,
  type ExecutionParams,
  SCOPES,
  TARGET_STATUSES,
  type TargetError,
  type TargetMigrationResult,
} from "../domain/executions";
import { SSL_MODES, TENANT_STATUSES, TIERS } from "../domain/fleet";
import type { Rollout, RolloutRequest } from "../domain/rollouts";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_FORMATS } from "../domain/webhooks";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * The control plane's own tables. They live in schema `console` of the control-plane database (the
 * fleet's admin database in production) so they never mix with what the admin tier's migrations
 * create in `public`. The job queue keeps its tables in `graphile_worker`.
 */
export const consoleSchema = pgSchema("console");

export const tierEnum = consoleSchema.enum("tier", TIERS);
export const sslModeEnum = consoleSchema.enum("ssl_mode", SSL_MODES);
export const tenantStatusEnum = consoleSchema.enum("tenant_status", TENANT_STATUSES);
export const executionStatusEnum = consoleSchema.enum("execution_status", EXECUTION_STATUSES);
export const targetStatusEnum = consoleSchema.enum("target_status", TARGET_STATUSES);
export const scopeEnum = consoleSchema.enum("scope", SCOPES);
export const executionKindEnum = consoleSchema.enum("execution_kind", EXECUTION_KINDS);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** A registered PostgreSQL database of the fleet (the original service's DatabaseConnection). */
export const connections = consoleSchema.table(
  "connections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    host: text("host").notNull(),
    port: integer("port").notNull().default(5432),
    databaseName: text("database_name").notNull(),
    username: text("username").notNull(),
    /** AES-256-GCM ciphertext (base64 of iv | tag | data); never the password itself. */
    passwordEncrypted: text("password_encrypted"),
    /** Which key encrypted the password, so older keys can still decrypt during a rotation. */
    passwordKeyId: text("password_key_id"),
    sslMode: sslModeEnum("ssl_mode").notNull().default("prefer"),
    connectionType: tierEnum("connection_type").notNull(),
    region: text("region"),
    /** Schema that migrations of this connection's own target use (admin/shared/analytics tiers). */
    schemaName: text("schema_name").notNull().default("public"),
    isActive: boolean("is_active").notNull().default(true),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    isHealthy: boolean("is_healthy"),
    lastHealthCheck: timestamp("last_health_check", { withTimezone: true }),
    responseTimeMs: integer("response_time_ms"),
    serverVersion: text("server_version"),
    healthError: text("health_error"),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    deletedBy: text("deleted_by"),
  },
  (t) => [
    uniqueIndex("connections_name_live_uq").on(t.name).where(sql`${t.deletedAt} is null`),
    // The fleet has one admin database: at most one live, active admin connection.
    uniqueIndex("connections_one_active_admin_uq")
      .on(t.connectionType)
      .where(sql`${t.connectionType} = 'admin' and ${t.isActive} and ${t.deletedAt} is null`),
    // Tenants rely on "their region's shared database" (schemas live there, cross-tier requirements
    // bind to it): two active ones in a region would make that ambiguous.
    uniqueIndex("connections_one_active_shared_per_region_uq")
      .on(t.region)
      .where(sql`${t.connectionType} = 'shared' and ${t.isActive} and ${t.deletedAt} is null`),
    index("connections_type_region_idx").on(t.connectionType, t.region),
    check("connections_port_range", sql`${t.port} between 1 and 65535`),
  ],
);

/** Health probe history per connection (the detail page's chart; pruned by age). */
export const connectionHealthChecks = consoleSchema.table(
  "connection_health_checks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
    isHealthy: boolean("is_healthy").notNull(),
    responseTimeMs: integer("response_time_ms"),
    serverVersion: text("server_version"),
    error: text("error"),
  },
  (t) => [index("connection_health_checks_conn_idx").on(t.connectionId, t.checkedAt.desc())],
);

/**
 * One row counting changes to `tenants`: a statement-level trigger (migration 0009) adds one in the
 * same transaction as any insert, update, delete or truncate there. Plans keep the registry's
 * tenant list in memory while the counter reads the same (server/tenants/service.ts): at 100,000
 * tenants reading the list is most of a plan's discovery.
 */
export const tenantsChanges = consoleSchema.table("tenants_changes", {
  id: smallint("id").primaryKey(),
  changes: bigint("changes", { mode: "number" }).notNull(),
});

/** A customer, hosted in one schema of one connection. */
export const tenants = consoleSchema.table(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    region: text("region").notNull(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id),
    schemaName: text("schema_name").notNull(),
    status: tenantStatusEnum("status").notNull().default("active"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("tenants_slug_uq").on(t.slug),
    uniqueIndex("tenants_connection_schema_uq").on(t.connectionId, t.schemaName),
    index("tenants_region_status_idx").on(t.region, t.status),
    // The Tenants list's order (region, then slug): its first page, a region's pages and a deep
    // offset walk this index instead of sorting the registry.
    index("tenants_region_slug_idx").on(t.region, t.slug),
    // The list's search is a substring of slug, name or schema name (ILIKE '%…%'): trigrams
    // (pg_trgm, created by the migration) find the few matching rows without reading every one.
    index("tenants_search_trgm_idx").using(
      "gin",
      t.slug.op("gin_trgm_ops"),
      t.name.op("gin_trgm_ops"),
      t.schemaName.op("gin_trgm_ops"),
    ),
    check("tenants_schema_name_len", sql`octet_length(${t.schemaName}) between 1 and 63`),
  ],
);


/** One run of a plan, a rehearsal of one, or a rollback (the original MigrationExecution). */
export const executions = consoleSchema.table(
  "executions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    batchId: text("batch_id"),
    kind: executionKindEnum("kind").notNull().default("migrate"),
    scope: scopeEnum("scope").notNull(),
    params: jsonb("params").$type<ExecutionParams>().notNull().default({}),
    status: executionStatusEnum("status").notNull().default("pending"),
    dryRun: boolean("dry_run").notNull().default(false),
    planFingerprint: text("plan_fingerprint"),
    totalTargets: integer("total_targets").notNull().default(0),
    completedTargets: integer("completed_targets").notNull().default(0),
    failedTargets: integer("failed_targets").notNull().default(0),
    skippedTargets: integer("skipped_targets").notNull().default(0),
    currentTarget: text("current_target"),
    estimatedCompletion: timestamp("estimated_completion", { withTimezone: true }),
    executedBy: text("executed_by").notNull(),
    approvedBy: text("approved_by"),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true }),
    cancelRequestedBy: text("cancel_requested_by"),
    errorMessage: text("error_message"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    /** A waved rollout: its waves with their counters and states, the halt rule, a halt and resumes (null: all at once). */
    rollout: jsonb("rollout").$type<Rollout>(),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("executions_created_idx").on(t.createdAt.desc()),
    index("executions_status_created_idx").on(t.status, t.createdAt.desc()),
    index("executions_rollback_of_idx").on(sql`(${t.metadata} ->> 'rollback_of')`),
  ],
);



/** One (connection, schema) of an execution, with its own result. */
export const executionTargets = consoleSchema.table(
  "execution_targets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    executionId: uuid("execution_id")
      .notNull()
      .references(() => executions.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    connectionId: uuid("connection_id").notNull(),
    connectionName: text("connection_name").notNull(),
    databaseName: text("database_name").notNull(),
    schemaName: text("schema_name").notNull(),
    tier: tierEnum("tier").notNull(),
    region: text("region"),
    tenantId: uuid("tenant_id"),
    status: targetStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    migrations: jsonb("migrations").$type<TargetMigrationResult[]>().notNull().default([]),
    error: jsonb("error").$type<TargetError>(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    durationMs: integer("duration_ms"),
    /**
     * Targets of the same execution that must succeed first: a tenant's region's shared target when
     * a tenant migration requires a shared one (or, in a rollback, the other way round).
     */
    dependsOn: uuid("depends_on").array().notNull().default(sql`'{}'::uuid[]`),
    /** When a retry after a transient failure is due (null unless one is scheduled). */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    /** Since when the target has been waiting for `dependsOn` (bounded by MIGRATION_TIMEOUT). */
    waitingSince: timestamp("waiting_since", { withTimezone: true }),
    /** The wave of a waved rollout the target belongs to (0 when the execution has no waves): its job is queued when the wave starts. */
    wave: integer("wave").notNull().default(0),
  },
  (t) => [
    uniqueIndex("execution_targets_uq").on(t.executionId, t.connectionId, t.schemaName),
    index("execution_targets_exec_status_idx").on(t.executionId, t.status),
    index("execution_targets_exec_pos_idx").on(t.executionId, t.position),
  ],
);

/**
 * What the console last knew of each target's migrations, kept current by whatever reads or writes
 * a target's history: a plan (every target it read), a target's job when it finishes, a baseline
 * and a resolve. Keyed like the targets themselves (connection, schema), so a tenant moved to
 * another schema simply has no row until the console reads it there. The catalog's head is not
 * stored: pages compare `applied_count` with the catalog's count for the tier when they read, so a
 * new file makes targets behind without a write. See server/fleet-state/README.md.
 */
export const targetStates = consoleSchema.table(
  "target_states",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    schemaName: text("schema_name").notNull(),
    tier: tierEnum("tier").notNull(),
    /** The highest version the history counts as applied (as the file writes it), null when none. */
    version: text("version"),
    /** `version` without leading zeros: ordered by (length, text) it sorts like the catalog. */
    versionKey: text("version_key"),
    /** Migrations of the tier's catalog that the history counts as applied (run or baselined). */
    appliedCount: integer("applied_count").notNull().default(0),
    /** What stops the target until an operator acts (drift, needs_attention), null when nothing. */
    blockedCode: text("blocked_code"),
    blockedMessage: text("blocked_message"),
    /** When a read of the history last changed the figures above; null when it was never read. */
    checkedAt: timestamp("checked_at", { withTimezone: true }),
    /** The last execution (not a rehearsal) that ran on the target, and how it ended there. */
    lastExecutionId: uuid("last_execution_id"),
    lastRunKind: executionKindEnum("last_run_kind"),
    lastRunStatus: targetStatusEnum("last_run_status"),
    lastRunAt: timestamp("last_run_at", { withTimezone: true }),
    lastError: jsonb("last_error").$type<TargetError>(),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.schemaName], name: "target_states_pk" }),
    // "Behind" is applied_count below the tier's catalog count: a range on this index.
    index("target_states_tier_applied_idx").on(t.tier, t.appliedCount),
    // The Tenants list by version: the versions present (a loose scan), and a rare version's targets.
    index("target_states_version_idx").on(t.versionKey),
    // The Tenants list by last run: the targets that ran, in the order they ran.
    index("target_states_last_run_idx").on(t.lastRunAt),
    index("target_states_failed_idx").on(t.connectionId, t.schemaName).where(sql`${t.lastRunStatus} = 'failed'`),
    index("target_states_blocked_idx").on(t.connectionId, t.schemaName).where(sql`${t.blockedCode} is not null`),
  ],
);

/**
 * The history rows plans last read from each target, with the marker they were read under
 * (migrations/engine/history-tracking-repository.ts): what a console's memory keeps
 * (migrations/plans/history-cache.ts), kept here too so that a console just started, or another
 * instance, need not read every history table of the fleet again. An entry is used only while the
 * database (`database_key`: where the connection points), its change log (`log_id`) and the table
 * (`table_oid`, `changes`) read the same as when it was written; anything else reads the table.
 */
export const rememberedHistories = consoleSchema.table(
  "remembered_histories",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    schemaName: text("schema_name").notNull(),
    /** A hash of the host, port, database and user the connection pointed at. */
    databaseKey: text("database_key").notNull(),
    logId: text("log_id").notNull(),
    tableOid: bigint("table_oid", { mode: "number" }).notNull(),
    changes: text("changes").notNull(),
    /** The rows as the bulk read returns them: a JSON array of [version, name, checksum, applied at (ms), …]. */
    history: text("history").notNull(),
    rememberedAt: timestamp("remembered_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.schemaName], name: "remembered_histories_pk" })],
);

/** Every state change of an execution, in order; the SSE stream replays from these ids. */
export const executionEvents = consoleSchema.table(
  "execution_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    executionId: uuid("execution_id")
      .notNull()
      .references(() => executions.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("execution_events_exec_id_idx").on(t.executionId, t.id)],
);

/**
 * What a previewed plan contained, by fingerprint, so an execution pinned to an older fingerprint
 * can be told what changed since. Compact and gzipped (a 10,000-target plan is a few tens of kB);
 * pruned after a day.
 */
export const planSnapshots = consoleSchema.table(
  "plan_snapshots",
  {
    fingerprint: text("fingerprint").primaryKey(),
    createdAt: createdAt(),
    /** base64 of gzip(JSON of PlanSnapshot). */
    snapshot: text("snapshot").notNull(),
  },
  (t) => [index("plan_snapshots_created_idx").on(t.createdAt)],
);

/**
 * Migration worker processes, each refreshing its row every few seconds. A row that stops being
 * refreshed is a dead worker: live workers release the jobs it held (see server/jobs/heartbeat.ts).
 */
export const workers = consoleSchema.table("workers", {
  id: text("id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  /** In-process (the console) or standalone (`npm run worker`). */
  kind: text("kind").notNull(),
  concurrency: integer("concurrency").notNull(),
  /** The job queue's ids for this process's workers: what its job locks are recorded under. */
  queueWorkerIds: text("queue_worker_ids").array().notNull().default(sql`'{}'::text[]`),
  runningJobs: integer("running_jobs").notNull().default(0),
  version: text("version").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A plan to execute later (the original MigrationSchedule). */
export const schedules = consoleSchema.table(
  "schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    scope: scopeEnum("scope").notNull(),
    params: jsonb("params").$type<ExecutionParams>().notNull().default({}),
    cronExpression: text("cron_expression"),
    timezone: text("timezone").notNull().default("UTC"),
    runAt: timestamp("run_at", { withTimezone: true }),
    enabled: boolean("enabled").notNull().default(true),
    dryRun: boolean("dry_run").notNull().default(false),
    nextRunAt: timestamp("next_run_at", { withTimezone: true }),
    lastRunAt: timestamp("last_run_at", { withTimezone: true }),
    lastExecutionId: uuid("last_execution_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    /** The waves and halt rule each firing's execution rolls out with (the request's shape; null: all at once). */
    rollout: jsonb("rollout").$type<RolloutRequest>(),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("schedules_name_uq").on(t.name),
    index("schedules_due_idx").on(t.nextRunAt).where(sql`${t.enabled}`),
    check(
      "schedules_cron_or_run_at",
      sql`(${t.cronExpression} is not null) <> (${t.runAt} is not null)`,
    ),
  ],
);

export const webhookFormatEnum = consoleSchema.enum("webhook_format", WEBHOOK_FORMATS);
export const webhookDeliveryStatusEnum = consoleSchema.enum("webhook_delivery_status", WEBHOOK_DELIVERY_STATUSES);

/** An outbound webhook endpoint: where execution and schedule events are sent, signed with its secret. */
export const webhookEndpoints = consoleSchema.table(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    url: text("url").notNull(),
    format: webhookFormatEnum("format").notNull().default("standard"),
    /** Subscribed event types (server/domain/webhooks.ts). */
    events: text("events").array().notNull(),
    /** AES-256-GCM ciphertext of the signing secret, like connection passwords; never returned. */
    secretEncrypted: text("secret_encrypted").notNull(),
    secretKeyId: text("secret_key_id").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("webhook_endpoints_name_uq").on(t.name)],
);

/** One event sent to one endpoint: the exact body, and how its attempts went (the delivery log). */
export const webhookDeliveries = consoleSchema.table(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** The event's id, the same at every endpoint it went to: what a receiver de-duplicates on. */
    eventId: uuid("event_id").notNull(),
    eventType: text("event_type").notNull(),
    executionId: uuid("execution_id"),
    /** The request body exactly as signed and sent, every attempt. */
    body: text("body").notNull(),
    status: webhookDeliveryStatusEnum("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastDurationMs: integer("last_duration_ms"),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_deliveries_endpoint_created_idx").on(t.endpointId, t.createdAt.desc()),
    index("webhook_deliveries_created_idx").on(t.createdAt),
  ],
);

/** Who did what to which resource, and how it ended. Written for every mutating call. */
export const auditLog = consoleSchema.table(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name"),
    actorType: text("actor_type").notNull(),
    action: text("action").notNull(),
    resourceType: text("resource_type"),
    resourceId: text("resource_id"),
    outcome: text("outcome").notNull(),
    errorCode: text("error_code"),
    requestId: text("request_id"),
    ip: text("ip"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at.desc()),
    index("audit_log_actor_idx").on(t.actorId, t.at.desc()),
    index("audit_log_resource_idx").on(t.resourceType, t.resourceId),
  ],
);

/** Fixed-window request counters shared by every console instance (rate limits). */
export const rateLimitCounters = consoleSchema.table("rate_limit_counters", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});

/**
 * A weekly maintenance window of one database (`connection_id`) or of a region (`region`): when
 * migrations may start there (server/domain/maintenance-windows.ts). A database with windows of
 * its own ignores its region's.
 */
export const maintenanceWindows = consoleSchema.table(
  "maintenance_windows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id").references(() => connections.id, { onDelete: "cascade" }),
    region: text("region"),
    /** Weekdays it opens on: sun … sat. */
    days: text("days").array().notNull(),
    /** Local start time, HH:MM or HH:MM:SS, in `timezone`. */
    startTime: text("start_time").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    timezone: text("timezone").notNull(),
    label: text("label"),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("maintenance_windows_connection_idx").on(t.connectionId),
    index("maintenance_windows_region_idx").on(t.region),
    check("maintenance_windows_one_subject", sql`(${t.connectionId} is null) <> (${t.region} is null)`),
    check("maintenance_windows_duration", sql`${t.durationMinutes} between 1 and 10080`),
  ],
);

/**
 * A queued target held back because its database's maintenance window is closed: until when (the
 * next opening). Removed when the target starts.
 */
export const targetWindowWaits = consoleSchema.table(
  "target_window_waits",
  {
    targetId: uuid("target_id")
      .primaryKey()
      .references(() => executionTargets.id, { onDelete: "cascade" }),
    executionId: uuid("execution_id").notNull(),
    opensAt: timestamp("opens_at", { withTimezone: true }),
    since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("target_window_waits_execution_idx").on(t.executionId)],
);
