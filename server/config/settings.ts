import { z } from "zod";
import packageJson from "../../package.json";
import { hostPatternProblem } from "./host-patterns";

/**
 * Every setting of the console, read from the environment once and validated here.
 *
 * Names follow the original service's Settings (MIGRATION_TIMEOUT, DB_POOL_MIN_SIZE, RATE_LIMIT_RPM…)
 * so an operator's existing environment keeps working. A bad value stops the process with a message
 * naming the variable, what is wrong and the allowed form (see SettingsError).
 */

const ENVIRONMENTS = ["development", "staging", "production", "testing"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const bool = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ["true", "false", "1", "0", "yes", "no", "on", "off"].includes(v), {
      message: `${name} must be true or false`,
    })
    .transform((v) => ["true", "1", "yes", "on"].includes(v));

const int = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { message: `${name} must be a whole number between ${min} and ${max}` })
    .transform((v) => Number.parseInt(v, 10))
    .refine((v) => v >= min && v <= max, { message: `${name} must be between ${min} and ${max}` });

const list = z
  .string()
  .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean));

const url = (name: string) =>
  z.string().trim().refine((v) => URL.canParse(v), { message: `${name} must be a URL, e.g. http://host:port/path` });

const postgresUrl = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), {
      message: `${name} must be a PostgreSQL URL: postgres://user:password@host:5432/database`,
    });

const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

/** Raw environment → typed settings. Every key optional here; requirements are checked below. */
const ZEnv = z.object({
  APP_NAME: z.string().min(1).default("NeoMultiTenant Infrastructure Console"),
  APP_VERSION: z.string().min(1).default(packageJson.version),
  ENVIRONMENT: z
    .enum(ENVIRONMENTS, { message: `ENVIRONMENT must be one of ${ENVIRONMENTS.join(", ")}` })
    .default("development"),
  DEBUG: bool("DEBUG").default(false),
  LOG_LEVEL: logLevel.optional(),
  HOST: z.string().min(1).optional(),
  PORT: int("PORT", 1, 65535).optional(),
  RELOAD: bool("RELOAD").default(false),
  WORKERS: int("WORKERS", 0, 64).default(1),

  DATABASE_URL: postgresUrl("DATABASE_URL").optional(),
  ADMIN_DATABASE_URL: postgresUrl("ADMIN_DATABASE_URL").optional(),
  DB_POOL_MIN_SIZE: int("DB_POOL_MIN_SIZE", 0, 1000).default(5),
  DB_POOL_MAX_SIZE: int("DB_POOL_MAX_SIZE", 1, 1000).default(20),
  DATA_DIR: z.string().min(1).default(".data"),
  EMBEDDED_PG_PORT: int("EMBEDDED_PG_PORT", 1, 65535).default(54329),
  DEMO_FLEET: bool("DEMO_FLEET").optional(),

  KEYCLOAK_URL: url("KEYCLOAK_URL").optional(),
  KEYCLOAK_REALM: z.string().min(1).optional(),
  KEYCLOAK_ADMIN_REALM: z.string().min(1).optional(),
  KEYCLOAK_CLIENT_ID: z.string().min(1).optional(),
  KEYCLOAK_CLIENT_SECRET: z.string().min(1).optional(),
  KEYCLOAK_AUDIENCES: list.optional(),
  DEV_REALM_PORT: int("DEV_REALM_PORT", 1, 65535).default(8089),
  AUTH_SECRET: z.string().min(1).optional(),
  AUTH_URL: url("AUTH_URL").optional(),

  MIGRATION_TIMEOUT: int("MIGRATION_TIMEOUT", 1, 86_400).default(300),
  MIGRATION_BATCH_SIZE: int("MIGRATION_BATCH_SIZE", 1, 1000).default(10),
  MIGRATION_RETRY_ATTEMPTS: int("MIGRATION_RETRY_ATTEMPTS", 0, 20).default(3),
  MIGRATION_DB_CONCURRENCY: int("MIGRATION_DB_CONCURRENCY", 1, 1000).default(4),
  MIGRATIONS_DIR: z.string().min(1).default("examples/migrations"),
  REQUIRE_APPROVAL: bool("REQUIRE_APPROVAL").default(false),
  REVIEW_POLICY_FILE: z.string().trim().min(1).optional(),
  MIGRATION_RETRY_DELAY_MS: int("MIGRATION_RETRY_DELAY_MS", 1, 600_000).default(2_000),
  MIGRATION_POLL_INTERVAL_MS: int("MIGRATION_POLL_INTERVAL_MS", 10, 60_000).default(1_000),
  ROLLOUT_HALT_MAX_FAILED_TARGETS: int("ROLLOUT_HALT_MAX_FAILED_TARGETS", 0, 1_000_000).default(0),
  ROLLOUT_HALT_MAX_FAILED_PERCENT: int("ROLLOUT_HALT_MAX_FAILED_PERCENT", 0, 100).optional(),
  WORKER_HEARTBEAT_INTERVAL_MS: int("WORKER_HEARTBEAT_INTERVAL_MS", 100, 60_000).default(5_000),
  WORKER_STALE_AFTER_MS: int("WORKER_STALE_AFTER_MS", 500, 3_600_000).default(30_000),
  SCHEDULES_ENABLED: bool("SCHEDULES_ENABLED").default(true),
  SCHEDULE_POLL_INTERVAL_MS: int("SCHEDULE_POLL_INTERVAL_MS", 100, 600_000).default(10_000),
  MAINTENANCE_WINDOW_RECHECK_MS: int("MAINTENANCE_WINDOW_RECHECK_MS", 100, 600_000).default(30_000),
  EXECUTION_EVENTS_RETENTION_DAYS: int("EXECUTION_EVENTS_RETENTION_DAYS", 0, 3650).default(30),
  AUDIT_RETENTION_DAYS: int("AUDIT_RETENTION_DAYS", 0, 36_500).default(0),
  RETENTION_INTERVAL_SECONDS: int("RETENTION_INTERVAL_SECONDS", 60, 86_400).default(3600),

  APP_ENCRYPTION_KEY: z.string().optional(),
  APP_ENCRYPTION_KEYS_PREVIOUS: list.default([]),
  ALLOWED_DATABASE_HOSTS: list.optional(),
  ALLOWED_WEBHOOK_HOSTS: list.optional(),
  WEBHOOK_MAX_ATTEMPTS: int("WEBHOOK_MAX_ATTEMPTS", 1, 20).default(10),
  WEBHOOK_TIMEOUT_MS: int("WEBHOOK_TIMEOUT_MS", 500, 60_000).default(10_000),
  HEALTH_CHECK_INTERVAL: int("HEALTH_CHECK_INTERVAL", 1, 86_400).default(60),
  HEALTH_CHECK_ENABLED: bool("HEALTH_CHECK_ENABLED").default(true),
  HEALTH_CHECK_CONCURRENCY: int("HEALTH_CHECK_CONCURRENCY", 1, 100).default(8),
  HEALTH_HISTORY_DAYS: int("HEALTH_HISTORY_DAYS", 1, 365).default(7),
  CONNECTION_TEST_TIMEOUT: int("CONNECTION_TEST_TIMEOUT", 1, 120).default(5),
  FLEET_POOL_MAX_PER_CONNECTION: int("FLEET_POOL_MAX_PER_CONNECTION", 1, 100).default(5),
  FLEET_POOL_MAX_POOLS: int("FLEET_POOL_MAX_POOLS", 1, 10_000).default(50),
  FLEET_POOL_IDLE_TIMEOUT: int("FLEET_POOL_IDLE_TIMEOUT", 1, 3_600).default(30),
  FLEET_POOL_MAX_USES: int("FLEET_POOL_MAX_USES", 0, 1_000_000).default(0),
  FLEET_POOL_ACQUIRE_TIMEOUT: int("FLEET_POOL_ACQUIRE_TIMEOUT", 1, 3_600).default(60),

  CORS_ALLOW_ORIGINS: list.default([]),
  CORS_ALLOW_CREDENTIALS: bool("CORS_ALLOW_CREDENTIALS").default(true),
  RATE_LIMIT_ENABLED: bool("RATE_LIMIT_ENABLED").default(true),
  RATE_LIMIT_RPM: int("RATE_LIMIT_RPM", 1, 1_000_000).default(60),
  RATE_LIMIT_SESSION_RPM: int("RATE_LIMIT_SESSION_RPM", 1, 1_000_000).default(3000),
  TRUST_PROXY: bool("TRUST_PROXY").default(false),
  METRICS_TOKEN: z.string().min(16, { message: "METRICS_TOKEN must be at least 16 characters" }).optional(),
});

export interface Settings {
  appName: string;
  appVersion: string;
  environment: Environment;
  isProduction: boolean;
  isDevelopment: boolean;
  isTesting: boolean;
  debug: boolean;
  logLevel: z.infer<typeof logLevel>;
  host: string;
  port: number;
  reload: boolean;
  workers: number;
  databaseUrl: string | undefined;
  dbPool: { min: number; max: number };
  dataDir: string;
  embeddedPgPort: number;
  demoFleet: boolean;
  keycloak: {
    /** Base URL of Keycloak; unset outside production means the development realm. */
    url: string;
    realm: string;
    clientId: string;
    clientSecret: string | undefined;
    issuer: string;
    /** Accepted `aud`/`azp` values of bearer tokens: the client id, plus KEYCLOAK_AUDIENCES. */
    audiences: string[];
    isDevRealm: boolean;
  };
  devRealmPort: number;
  authSecret: string | undefined;
  authUrl: string | undefined;
  migrations: {
    timeoutSeconds: number;
    batchSize: number;
    retryAttempts: number;
    perDatabaseConcurrency: number;
    dir: string;
    requireApproval: boolean;
    /** The review policy's JSON file (levels per finding, large-table thresholds); unset: every finding warns. */
    reviewPolicyFile: string | undefined;
    /** First retry delay after a transient failure; doubles per attempt, plus jitter. */
    retryDelayMs: number;
    /** How often workers look for due jobs, and how often a waiting target checks its dependencies. */
    pollIntervalMs: number;
    /** A waved rollout's default halt rule: halt when a wave's failures exceed this many targets or percent (null: no limit). */
    haltMaxFailedTargets: number | null;
    haltMaxFailedPercent: number | null;
  };
  /** Migration worker processes: heartbeats, and when a silent one counts as dead. */
  workerHeartbeat: { intervalMs: number; staleAfterMs: number };
  schedules: { enabled: boolean; pollIntervalMs: number };
  /** How often a target waiting for its maintenance window looks again (besides at the opening itself). */
  maintenanceWindows: { recheckMs: number };
  /** How long finished executions keep their event stream (0 = forever), and how often to prune. */
  /** Days of execution events and audit rows kept (0: forever), and how often pruning runs. */
  retention: { executionEventsDays: number; auditDays: number; intervalSeconds: number };
  encryption: { key: string | undefined; previousKeys: string[] };
  allowedDatabaseHosts: string[];
  /**
   * Outbound webhooks: the hosts deliveries may go to (same pattern syntax as the database list,
   * a list of its own), attempts per delivery, and how long one attempt may take.
   */
  webhooks: { allowedHosts: string[]; maxAttempts: number; timeoutMs: number };
  healthCheckIntervalSeconds: number;
  healthCheck: { enabled: boolean; concurrency: number; historyDays: number };
  /** Connections to fleet databases (health, tests, the migration engine). */
  fleet: {
    connectTimeoutSeconds: number;
    maxPerConnection: number;
    maxPools: number;
    idleTimeoutSeconds: number;
    /** Sessions are closed after this many checkouts; 0 = never. */
    maxUses: number;
    acquireTimeoutSeconds: number;
  };
  cors: { allowOrigins: string[]; allowCredentials: boolean };
  /**
   * `requestsPerMinute` for API callers (bearer tokens, anonymous addresses); the console's own
   * pages (session cookie) have their own, larger budget per user: a person's browser loads
   * several resources per page and must never lock itself out.
   */
  rateLimit: { enabled: boolean; requestsPerMinute: number; sessionRequestsPerMinute: number };
  metricsToken: string | undefined;
  /** Whether X-Forwarded-For/-Host from the peer are believed (the console sits behind a proxy). */
  trustProxy: boolean;
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

export const DEV_REALM_NAME = "infrastructure";
export const DEV_CLIENT_ID = "infrastructure-console";

/**
 * What the process is: the console (web server, pages, API, and its own workers) or a standalone
 * worker (`npm run worker`: no port, no tokens to check, no sessions to sign).
 */
export type ProcessRole = "console" | "worker";

/**
 * Keys that must be set explicitly in production: no development default may stand in. A standalone
 * worker only opens the control plane and the fleet's stored passwords, so the console's OpenID
 * client secret and session secret are neither asked of it nor needed on its machine.
 */
const PRODUCTION_REQUIRED = {
  console: ["DATABASE_URL", "KEYCLOAK_URL", "KEYCLOAK_REALM", "KEYCLOAK_CLIENT_ID", "KEYCLOAK_CLIENT_SECRET", "APP_ENCRYPTION_KEY", "AUTH_SECRET"],
  worker: ["DATABASE_URL", "APP_ENCRYPTION_KEY"],
} as const satisfies Record<ProcessRole, readonly string[]>;

/** Reads settings from an environment. Pure: the caller decides what environment to pass. */
export function parseSettings(env: Record<string, string | undefined>, role: ProcessRole = "console"): Settings {
  // Treat empty strings as unset, as shells and .env files commonly produce them.
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = ZEnv.safeParse(raw);
  if (!parsed.success) {
    throw new SettingsError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? "environment");
        const value = raw[key];
        const shown = value === undefined || /SECRET|KEY|PASSWORD|TOKEN|DATABASE_URL/.test(key) ? "" : ` (got "${value}")`;
        const message = issue.message.startsWith(`${key} `) ? issue.message.slice(key.length + 1) : issue.message;
        return `${key}: ${message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const isProduction = e.ENVIRONMENT === "production";
  const databaseUrl = e.DATABASE_URL ?? e.ADMIN_DATABASE_URL;
  const realm = e.KEYCLOAK_REALM ?? e.KEYCLOAK_ADMIN_REALM;

  if (isProduction) {
    const present: Record<(typeof PRODUCTION_REQUIRED)["console"][number], unknown> = {
      DATABASE_URL: databaseUrl,
      KEYCLOAK_URL: e.KEYCLOAK_URL,
      KEYCLOAK_REALM: realm,
      KEYCLOAK_CLIENT_ID: e.KEYCLOAK_CLIENT_ID,
      KEYCLOAK_CLIENT_SECRET: e.KEYCLOAK_CLIENT_SECRET,
      APP_ENCRYPTION_KEY: e.APP_ENCRYPTION_KEY,
      AUTH_SECRET: e.AUTH_SECRET,
    };
    for (const key of PRODUCTION_REQUIRED[role]) {
      if (!present[key]) problems.push(`${key}: required when ENVIRONMENT=production`);
    }
    if (e.CORS_ALLOW_CREDENTIALS && e.CORS_ALLOW_ORIGINS.includes("*")) {
      problems.push(
        "CORS_ALLOW_ORIGINS: '*' cannot be combined with CORS_ALLOW_CREDENTIALS=true in production; list the origins",
      );
    }
  }
  if (e.APP_ENCRYPTION_KEY !== undefined && e.APP_ENCRYPTION_KEY.length < 32) {
    problems.push("APP_ENCRYPTION_KEY: must be at least 32 characters (e.g. `openssl rand -base64 32`)");
  }
  if (e.AUTH_SECRET !== undefined && e.AUTH_SECRET.length < 32) {
    problems.push("AUTH_SECRET: must be at least 32 characters (e.g. `openssl rand -base64 32`)");
  }
  if (e.WORKER_STALE_AFTER_MS < 2 * e.WORKER_HEARTBEAT_INTERVAL_MS) {
    problems.push(
      `WORKER_STALE_AFTER_MS: must be at least twice WORKER_HEARTBEAT_INTERVAL_MS (${e.WORKER_STALE_AFTER_MS} < 2 × ${e.WORKER_HEARTBEAT_INTERVAL_MS}), or live workers would be taken for dead`,
    );
  }
  if (e.DB_POOL_MIN_SIZE > e.DB_POOL_MAX_SIZE) {
    problems.push(
      `DB_POOL_MIN_SIZE: must not exceed DB_POOL_MAX_SIZE (${e.DB_POOL_MIN_SIZE} > ${e.DB_POOL_MAX_SIZE})`,
    );
  }
  if (e.KEYCLOAK_AUDIENCES?.includes("account")) {
    problems.push(
      "KEYCLOAK_AUDIENCES: must not list `account`: Keycloak puts it in the audience of nearly every user token of the realm, so it would accept tokens issued to any client; give API clients the console as audience with an audience mapper instead",
    );
  }
  for (const [key, patterns] of [
    ["ALLOWED_DATABASE_HOSTS", e.ALLOWED_DATABASE_HOSTS],
    ["ALLOWED_WEBHOOK_HOSTS", e.ALLOWED_WEBHOOK_HOSTS],
  ] as const) {
    for (const pattern of patterns ?? []) {
      const problem = hostPatternProblem(pattern);
      if (problem) problems.push(`${key}: ${problem}`);
    }
  }
  if (problems.length > 0) throw new SettingsError(problems);

  const isDevRealm = !e.KEYCLOAK_URL;
  const keycloakUrl = (e.KEYCLOAK_URL ?? `http://localhost:${e.DEV_REALM_PORT}`).replace(/\/+$/, "");
  const realmName = realm ?? DEV_REALM_NAME;
  const clientId = e.KEYCLOAK_CLIENT_ID ?? DEV_CLIENT_ID;

  return {
    appName: e.APP_NAME,
    appVersion: e.APP_VERSION,
    environment: e.ENVIRONMENT,
    isProduction,
    isDevelopment: e.ENVIRONMENT === "development",
    isTesting: e.ENVIRONMENT === "testing",
    debug: e.DEBUG,
    logLevel: e.LOG_LEVEL ?? (e.DEBUG ? "debug" : "info"),
    host: e.HOST ?? (isProduction ? "0.0.0.0" : "127.0.0.1"),
    port: e.PORT ?? (isProduction ? 8000 : 3000),
    reload: e.RELOAD,
    workers: e.WORKERS,
    databaseUrl,
    dbPool: { min: e.DB_POOL_MIN_SIZE, max: e.DB_POOL_MAX_SIZE },
    dataDir: e.DATA_DIR,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    demoFleet: e.DEMO_FLEET ?? !databaseUrl,
    keycloak: {
      url: keycloakUrl,
      realm: realmName,
      clientId,
      clientSecret: e.KEYCLOAK_CLIENT_SECRET,
      issuer: `${keycloakUrl}/realms/${realmName}`,
      // The console's own client always; anything else only when an operator lists it.
      audiences: [...new Set([clientId, ...(e.KEYCLOAK_AUDIENCES ?? [])])],
      isDevRealm,
    },
    devRealmPort: e.DEV_REALM_PORT,
    authSecret: e.AUTH_SECRET,
    authUrl: e.AUTH_URL,
    migrations: {
      timeoutSeconds: e.MIGRATION_TIMEOUT,
      batchSize: e.MIGRATION_BATCH_SIZE,
      retryAttempts: e.MIGRATION_RETRY_ATTEMPTS,
      perDatabaseConcurrency: e.MIGRATION_DB_CONCURRENCY,
      dir: e.MIGRATIONS_DIR,
      requireApproval: e.REQUIRE_APPROVAL,
      reviewPolicyFile: e.REVIEW_POLICY_FILE,
      retryDelayMs: e.MIGRATION_RETRY_DELAY_MS,
      pollIntervalMs: e.MIGRATION_POLL_INTERVAL_MS,
      haltMaxFailedTargets: e.ROLLOUT_HALT_MAX_FAILED_TARGETS,
      haltMaxFailedPercent: e.ROLLOUT_HALT_MAX_FAILED_PERCENT ?? null,
    },
    workerHeartbeat: { intervalMs: e.WORKER_HEARTBEAT_INTERVAL_MS, staleAfterMs: e.WORKER_STALE_AFTER_MS },
    schedules: { enabled: e.SCHEDULES_ENABLED, pollIntervalMs: e.SCHEDULE_POLL_INTERVAL_MS },
    maintenanceWindows: { recheckMs: e.MAINTENANCE_WINDOW_RECHECK_MS },
    retention: {
      executionEventsDays: e.EXECUTION_EVENTS_RETENTION_DAYS,
      auditDays: e.AUDIT_RETENTION_DAYS,
      intervalSeconds: e.RETENTION_INTERVAL_SECONDS,
    },
    encryption: { key: e.APP_ENCRYPTION_KEY, previousKeys: e.APP_ENCRYPTION_KEYS_PREVIOUS },
    allowedDatabaseHosts:
      e.ALLOWED_DATABASE_HOSTS ?? (isProduction ? [] : ["localhost", "127.0.0.1", "::1"]),
    webhooks: {
      allowedHosts: e.ALLOWED_WEBHOOK_HOSTS ?? (isProduction ? [] : ["localhost", "127.0.0.1", "::1"]),
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    },
    healthCheckIntervalSeconds: e.HEALTH_CHECK_INTERVAL,
    healthCheck: {
      enabled: e.HEALTH_CHECK_ENABLED,
      concurrency: e.HEALTH_CHECK_CONCURRENCY,
      historyDays: e.HEALTH_HISTORY_DAYS,
    },
    fleet: {
      connectTimeoutSeconds: e.CONNECTION_TEST_TIMEOUT,
      maxPerConnection: e.FLEET_POOL_MAX_PER_CONNECTION,
      maxPools: e.FLEET_POOL_MAX_POOLS,
      idleTimeoutSeconds: e.FLEET_POOL_IDLE_TIMEOUT,
      maxUses: e.FLEET_POOL_MAX_USES,
      acquireTimeoutSeconds: e.FLEET_POOL_ACQUIRE_TIMEOUT,
    },
    cors: { allowOrigins: e.CORS_ALLOW_ORIGINS, allowCredentials: e.CORS_ALLOW_CREDENTIALS },
    rateLimit: { enabled: e.RATE_LIMIT_ENABLED, requestsPerMinute: e.RATE_LIMIT_RPM, sessionRequestsPerMinute: e.RATE_LIMIT_SESSION_RPM },
    metricsToken: e.METRICS_TOKEN,
    trustProxy: e.TRUST_PROXY,
  };
}

const cacheKey = Symbol.for("console.settings");
const roleKey = Symbol.for("console.settings.role");
type GlobalWithSettings = typeof globalThis & { [cacheKey]?: Settings; [roleKey]?: ProcessRole };

/**
 * The process's settings, parsed from process.env on first use. The start-up code fills in the
 * runtime values (embedded DATABASE_URL, generated secrets) before anything calls this.
 */
export function getSettings(): Settings {
  const g = globalThis as GlobalWithSettings;
  g[cacheKey] ??= parseSettings(process.env, g[roleKey] ?? "console");
  return g[cacheKey];
}

/** Declares what this process is before its settings are first read (worker-main.ts: "worker"). */
export function setProcessRole(role: ProcessRole) {
  const g = globalThis as GlobalWithSettings;
  g[roleKey] = role;
  delete g[cacheKey];
}

/** Forget the cached settings (tests that change the environment). */
export function resetSettingsCache() {
  delete (globalThis as GlobalWithSettings)[cacheKey];
}
