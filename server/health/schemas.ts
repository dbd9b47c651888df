import { z } from "zod";
import { EXECUTION_STATUSES } from "../domain/executions";

export const ZBasicHealth = z.object({
  status: z.enum(["healthy", "degraded", "unhealthy"]),
  timestamp: z.string(),
  version: z.string(),
  environment: z.string(),
});
export type BasicHealth = z.infer<typeof ZBasicHealth>;

export const SERVICE_NAMES = ["control_plane", "keycloak", "worker", "fleet", "catalog"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const ZServiceStatus = z.enum(["healthy", "degraded", "unhealthy", "unknown"]);
export type ServiceStatus = z.infer<typeof ZServiceStatus>;

export const ZServiceHealth = z.object({
  name: z.enum(SERVICE_NAMES),
  status: ZServiceStatus,
  is_healthy: z.boolean().describe("true for healthy and degraded: the service does its job"),
  response_time_ms: z.number().int().nullable().describe("how long the check took"),
  checked_at: z.string(),
  message: z.string().describe("what was found, in a sentence"),
  details: z.record(z.string(), z.unknown()),
});
export type ServiceHealth = z.infer<typeof ZServiceHealth>;

export const ZServiceNameParams = z.strictObject({
  name: z.string().min(1).max(50).describe(`one of ${SERVICE_NAMES.join(", ")}`),
});

export const ZDetailedHealth = z.object({
  overall_status: z.enum(["healthy", "degraded", "unhealthy"]),
  timestamp: z.string(),
  version: z.string(),
  environment: z.string(),
  services: z.array(ZServiceHealth),
  summary: z.object({
    total_services: z.number().int(),
    healthy_services: z.number().int(),
    degraded_services: z.number().int(),
    unhealthy_services: z.number().int(),
    unknown_services: z.number().int(),
  }),
});
export type DetailedHealth = z.infer<typeof ZDetailedHealth>;

export const ZLiveness = z.object({
  status: z.literal("alive"),
  uptime_seconds: z.number(),
});

export const ZReadiness = z.object({
  status: z.literal("ready"),
  checks: z.object({ control_plane: z.boolean(), schema_migrated: z.boolean() }),
});
export type Readiness = z.infer<typeof ZReadiness>;

const ZPoolStats = z.object({
  total: z.number().int().describe("open sessions, idle or in use"),
  idle: z.number().int(),
  waiting: z.number().int().describe("callers waiting for a session"),
  max: z.number().int(),
});

export const ZQueueDepth = z.object({
  available: z.boolean().describe("false until the job queue's tables exist (no worker has started yet)"),
  ready: z.number().int().describe("jobs due now, waiting for a worker"),
  scheduled: z.number().int().describe("jobs due later (retries with backoff, run-at schedules)"),
  running: z.number().int(),
  failed: z.number().int().describe("jobs that used up their attempts"),
  oldest_ready_age_seconds: z.number().nullable(),
});
export type QueueDepth = z.infer<typeof ZQueueDepth>;

export const ZSystemMetrics = z.object({
  timestamp: z.string(),
  process: z.object({
    pid: z.number().int(),
    node_version: z.string(),
    uptime_seconds: z.number(),
    memory: z.object({
      rss_bytes: z.number().int(),
      heap_used_bytes: z.number().int(),
      heap_total_bytes: z.number().int(),
      external_bytes: z.number().int(),
    }),
    cpu: z.object({
      user_seconds: z.number(),
      system_seconds: z.number(),
      percent_since_start: z.number().describe("share of one core used on average since the process started"),
      load_average: z.array(z.number()).describe("1, 5 and 15 minute load averages of the machine"),
      cores: z.number().int(),
    }),
  }),
  control_plane_pool: ZPoolStats.nullable(),
  fleet_pools: z.object({
    pools: z.number().int(),
    max_pools: z.number().int(),
    total: z.number().int(),
    idle: z.number().int(),
    active: z.number().int(),
    waiting: z.number().int(),
    evictions: z.number().int(),
  }),
  executions: z
    .object({ by_status: z.record(z.enum(EXECUTION_STATUSES), z.number().int()) })
    .nullable()
    .describe("null when the control plane cannot be read"),
  queue: ZQueueDepth.nullable(),
});
export type SystemMetrics = z.infer<typeof ZSystemMetrics>;
