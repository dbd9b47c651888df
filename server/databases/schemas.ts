import { z } from "zod";
import { zMetadata } from "../contracts/metadata";
import { SSL_MODES, TIERS } from "../domain/fleet";
import { zSchemaName } from "../fleet/identifiers";

/**
 * Registered databases ("connections"): request and response shapes shared by the REST routes,
 * the OpenAPI document, the server actions and the forms. Field names are the original service's
 * (snake_case). A response never carries the password: `has_password` says whether one is stored.
 */

export const CONNECTION_FIELDS = ["host", "port", "database_name", "username", "password", "ssl_mode"] as const;

const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]?$/;
const NO_CONTROL = /^[^\u0000-\u001f\u007f]+$/;

export const zConnectionName = z
  .string()
  .trim()
  .min(1, "name must not be empty")
  .max(100, "name must be at most 100 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "name may contain letters, digits, spaces, dots, dashes and underscores");

export const zHost = z
  .string()
  .trim()
  .min(1, "host must not be empty")
  .max(253, "host must be at most 253 characters")
  .refine((h) => HOST_NAME.test(h) || IPV6.test(h), "host must be a host name or an IP address");

/** A number, or a string of digits (form fields); `true`, "" or "12abc" are refused, not coerced. */
export const zPort = z.preprocess(
  (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z
    .number({ message: "port must be a number" })
    .int("port must be a whole number")
    .min(1, "port must be between 1 and 65535")
    .max(65535, "port must be between 1 and 65535"),
);

/**
 * Checked like an identifier whether or not the connection is tested: the name is stored, shown,
 * logged and handed to tools, so a name like `x"; drop schema public; --` is refused at the door
 * rather than trusted to every later use quoting it right. Upper case and dashes, common in real
 * database names, are allowed; PostgreSQL's limit is 63 bytes.
 */
const zDatabaseName = z
  .string()
  .min(1, "database_name must not be empty")
  .max(63, "database_name must be at most 63 characters")
  .regex(
    /^[A-Za-z_][A-Za-z0-9_$-]*$/,
    "database_name must start with a letter or underscore and contain only letters, digits, underscores, dashes and $",
  );

const zUsername = z
  .string()
  .min(1, "username must not be empty")
  .max(63, "username must be at most 63 characters")
  .regex(NO_CONTROL, "username must not contain control characters");

const zPassword = z.string().max(1024, "password must be at most 1024 characters");

export const zRegion = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, "region must be lowercase letters, digits and dashes (e.g. eu-west-1)");

export const zTier = z.enum(TIERS, { message: `connection_type must be one of ${TIERS.join(", ")}` });
export const zSslMode = z.enum(SSL_MODES, { message: `ssl_mode must be one of ${SSL_MODES.join(", ")}` });
/** Metadata as stored and returned (inputs are bounded: zMetadata). */
const zStoredMetadata = z.record(z.string(), z.unknown());

/** Tiers whose databases belong to a region: the shared database of a region, a tenant's own database. */
export const REGIONAL_TIERS = ["shared", "tenant"] as const;

/** What it takes to open a session: tested on its own by the form's "Test connection". */
export const ZConnectionDetails = z.strictObject({
  host: zHost,
  port: zPort.default(5432),
  database_name: zDatabaseName,
  username: zUsername,
  password: zPassword.nullish(),
  ssl_mode: zSslMode.default("prefer"),
});
export type ConnectionDetailsInput = z.input<typeof ZConnectionDetails>;

export const ZConnectionCreate = ZConnectionDetails.extend({
  name: zConnectionName,
  connection_type: zTier,
  region: zRegion.nullish(),
  schema_name: zSchemaName.default("public"),
  is_active: z.boolean().default(true),
  metadata: zMetadata.default({}),
  skip_test: z.boolean().default(false).describe("register without testing the connection first"),
}).superRefine((v, ctx) => {
  if ((REGIONAL_TIERS as readonly string[]).includes(v.connection_type) && !v.region) {
    ctx.addIssue({ code: "custom", path: ["region"], message: `region is required for ${v.connection_type} databases` });
  }
});
export type ConnectionCreate = z.infer<typeof ZConnectionCreate>;
export type ConnectionCreateInput = z.input<typeof ZConnectionCreate>;

export const ZConnectionUpdate = z
  .strictObject({
    name: zConnectionName.optional(),
    host: zHost.optional(),
    port: zPort.optional(),
    database_name: zDatabaseName.optional(),
    username: zUsername.optional(),
    password: zPassword.nullable().optional().describe("null removes the stored password"),
    ssl_mode: zSslMode.optional(),
    connection_type: zTier.optional(),
    region: zRegion.nullable().optional(),
    schema_name: zSchemaName.optional(),
    is_active: z.boolean().optional(),
    metadata: zMetadata.optional(),
    skip_test: z.boolean().default(false),
  })
  .refine((v) => Object.keys(v).some((k) => k !== "skip_test"), { message: "nothing to change", path: [] });
export type ConnectionUpdate = z.infer<typeof ZConnectionUpdate>;
export type ConnectionUpdateInput = z.input<typeof ZConnectionUpdate>;

const zBooleanQuery = z.enum(["true", "false"], { message: "must be true or false" }).transform((v) => v === "true");

export const ZConnectionListQuery = z.strictObject({
  region: zRegion.optional(),
  connection_type: zTier.optional(),
  is_active: zBooleanQuery.optional(),
  is_healthy: zBooleanQuery.optional(),
  search: z.string().trim().min(1).max(100).optional().describe("matches name, host or database name"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type ConnectionListQuery = z.infer<typeof ZConnectionListQuery>;

export const ZIdParams = z.strictObject({ id: z.uuid({ message: "id must be a UUID" }) });

/** The form's test of typed details; with `connection_id` and no password, the stored one is used. */
export const ZTestDetails = ZConnectionDetails.extend({ connection_id: z.uuid().optional() });
export type TestDetails = z.infer<typeof ZTestDetails>;

export const ZConnection = z.object({
  id: z.uuid(),
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  database_name: z.string(),
  username: z.string(),
  has_password: z.boolean(),
  ssl_mode: zSslMode,
  connection_type: zTier,
  region: z.string().nullable(),
  schema_name: z.string(),
  is_active: z.boolean(),
  metadata: zStoredMetadata,
  is_healthy: z.boolean().nullable(),
  last_health_check: z.string().nullable(),
  response_time_ms: z.number().int().nullable(),
  server_version: z.string().nullable(),
  health_error: z.string().nullable(),
  created_by: z.string(),
  updated_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Connection = z.infer<typeof ZConnection>;

export const ZConnectionList = z.object({
  items: z.array(ZConnection),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type ConnectionList = z.infer<typeof ZConnectionList>;

export const ZConnectionTestResult = z.object({
  connection_id: z.uuid().nullable(),
  success: z.boolean(),
  server_version: z.string().nullable(),
  latency_ms: z.number().int(),
  error_code: z.string().nullable().describe("PostgreSQL SQLSTATE (e.g. 28P01) or socket error code"),
  error_message: z.string().nullable(),
  checked_at: z.string(),
});
export type ConnectionTestResult = z.infer<typeof ZConnectionTestResult>;

export const ZHealthCheck = z.object({
  checked_at: z.string(),
  is_healthy: z.boolean(),
  response_time_ms: z.number().int().nullable(),
  server_version: z.string().nullable(),
  error: z.string().nullable(),
});
export type HealthCheck = z.infer<typeof ZHealthCheck>;

export const ZConnectionHealth = z.object({
  connection_id: z.uuid(),
  name: z.string(),
  status: z.enum(["healthy", "unhealthy", "unknown"]),
  is_healthy: z.boolean().nullable(),
  response_time_ms: z.number().int().nullable(),
  server_version: z.string().nullable(),
  last_health_check: z.string().nullable(),
  health_error: z.string().nullable(),
  history: z.array(ZHealthCheck),
});
export type ConnectionHealth = z.infer<typeof ZConnectionHealth>;

export const ZConnectionHealthQuery = z.strictObject({
  history_limit: z.coerce.number().int().min(0).max(1000).default(50),
});
