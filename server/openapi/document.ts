import { PERMISSION_DESCRIPTIONS } from "../domain/permissions";
import { HTTP_STATUS } from "../http/error-status";
import { type Endpoint, type ErrorStatus, isMutating } from "../contracts/endpoint";
import { type JsonSchema, parametersOf, toJsonSchema } from "./json-schema";
import type { NamedEndpoint } from "./endpoints";

/**
 * The OpenAPI 3.1 document of the REST API, built from the endpoint contracts: the same zod schemas
 * the route wrapper validates with, converted by zod's own JSON Schema converter. Nothing here is
 * written twice: adding an endpoint to an api.ts file (listed in endpoints.ts) documents it.
 */

export interface DocumentInfo {
  title: string;
  version: string;
  /** Absolute base URL of this console, when known (the request's origin). */
  serverUrl?: string;
}

const ERROR_RESPONSES: Record<ErrorStatus | 500, { name: string; description: string }> = {
  400: { name: "BadRequest", description: "Malformed request: the body is not JSON, or not application/json" },
  401: { name: "Unauthorized", description: "No credentials, or a token that is invalid or expired" },
  403: { name: "Forbidden", description: "The caller lacks the permission (details.required_permission names it)" },
  404: { name: "NotFound", description: "No such resource" },
  409: { name: "Conflict", description: "Conflicts with the current state (a name in use, a busy target, a changed plan)" },
  413: { name: "PayloadTooLarge", description: "The request body exceeds 1 MiB" },
  422: { name: "ValidationError", description: "Invalid input: details.fields names each field and why" },
  429: { name: "RateLimited", description: "Too many requests this minute: retry after Retry-After seconds" },
  503: { name: "ServiceUnavailable", description: "A dependency (control-plane database, Keycloak) is unavailable" },
  500: { name: "InternalError", description: "Unexpected error; details.request_id identifies it in the server's log" },
};

const RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": { description: "Requests allowed per window", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in this window", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window resets", schema: { type: "integer" } },
  "RateLimit-Policy": { description: "limit;w=window seconds", schema: { type: "string" } },
};

const HEADER_REFS = {
  "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" },
};

const errorCodes = (status: number) =>
  Object.entries(HTTP_STATUS)
    .filter(([, s]) => s === status)
    .map(([code]) => code);

function componentsBase() {
  const responses: Record<string, unknown> = {};
  for (const [status, { name, description }] of Object.entries(ERROR_RESPONSES)) {
    const codes = errorCodes(Number(status));
    responses[name] = {
      description: codes.length ? `${description}. error: ${codes.join(" | ")}` : description,
      headers: {
        ...HEADER_REFS,
        ...(status === "429" ? { "Retry-After": { $ref: "#/components/headers/Retry-After" }, ...RATE_LIMIT_HEADERS } : {}),
        ...(status === "401" ? { "WWW-Authenticate": { schema: { type: "string" } } } : {}),
      },
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
    };
  }
  return {
    schemas: {
      ErrorBody: {
        type: "object",
        description: "Every error response: a stable code, a message safe to show, and structured details.",
        required: ["error", "message", "details"],
        properties: {
          error: { type: "string", description: "machine-readable code, e.g. validation_error, forbidden, rate_limited" },
          message: { type: "string" },
          details: { type: "object", additionalProperties: true },
        },
      },
    } as Record<string, JsonSchema>,
    responses,
    headers: {
      "X-Request-Id": { description: "Identifies the request in the server's log (send your own to correlate)", schema: { type: "string" } },
      "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } },
    },
    securitySchemes: {
      bearerAuth: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT",
        description:
          "A Keycloak access token of the console's realm (client credentials for automation). Its realm or client roles " +
          "are the permissions; see x-permission on each operation.",
      },
      sessionCookie: {
        type: "apiKey",
        in: "cookie",
        name: "authjs.session-token",
        description: "The console's browser session (sign in at /signin). Writes must come from the console's own origin.",
      },
    },
  };
}

/** The error statuses an endpoint can answer, from its shape plus what it declares. */
export function errorStatusesOf(endpoint: Endpoint): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>(endpoint.errors ?? []);
  if (endpoint.access !== "public") statuses.add(401).add(403);
  if (endpoint.params || endpoint.query || endpoint.body) statuses.add(422);
  if (endpoint.body) statuses.add(400).add(413);
  if (isMutating(endpoint.method)) statuses.add(404).add(409);
  else if (endpoint.params) statuses.add(404);
  if (endpoint.rateLimited !== false) statuses.add(429);
  statuses.add(503);
  return [...statuses].sort((a, b) => a - b);
}

function accessText(endpoint: Endpoint): string {
  if (endpoint.access === "public") return "Public: no credentials needed.";
  if (endpoint.access === "authenticated") return "Any signed-in caller.";
  return `Requires permission \`${endpoint.access}\` (${PERMISSION_DESCRIPTIONS[endpoint.access]}); \`infrastructure:admin\` implies it.`;
}

function operationOf({ operationId, endpoint }: NamedEndpoint, components: ReturnType<typeof componentsBase>) {
  const schema = (s: NonNullable<Endpoint["body"]>, io: "input" | "output", part: string) =>
    toJsonSchema(s, io, components.schemas, `${operationId}_${part}`);
  const parameters = [
    ...(endpoint.params ? parametersOf(schema(endpoint.params, "input", "params"), "path") : []),
    ...(endpoint.query ? parametersOf(schema(endpoint.query, "input", "query"), "query") : []),
  ];
  const status = endpoint.status ?? 200;
  const successHeaders = {
    ...HEADER_REFS,
    ...(endpoint.rateLimited !== false ? RATE_LIMIT_HEADERS : {}),
  };
  const success: Record<string, unknown> = { description: endpoint.summary, headers: successHeaders };
  if (endpoint.response) success.content = { "application/json": { schema: schema(endpoint.response, "output", "response") } };
  else if (endpoint.produces) success.content = { [endpoint.produces]: { schema: { type: "string" } } };

  const responses: Record<string, unknown> = { [String(status)]: success };
  for (const code of errorStatusesOf(endpoint)) responses[String(code)] = { $ref: `#/components/responses/${ERROR_RESPONSES[code].name}` };
  responses.default = { $ref: "#/components/responses/InternalError" };

  return {
    operationId,
    summary: endpoint.summary,
    description: [endpoint.description, accessText(endpoint), endpoint.rateLimited === false ? "Not rate limited." : ""]
      .filter(Boolean)
      .join("\n\n"),
    tags: endpoint.tags,
    "x-permission": endpoint.access,
    security: endpoint.access === "public" ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(endpoint.body
      ? { requestBody: { required: true, content: { "application/json": { schema: schema(endpoint.body, "input", "body") } } } }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(endpoints: readonly NamedEndpoint[], info: DocumentInfo) {
  const components = componentsBase();
  const paths: Record<string, Record<string, unknown>> = {};
  const seen = new Set<string>();
  for (const named of endpoints) {
    if (seen.has(named.operationId)) throw new Error(`two endpoints are named ${named.operationId}`);
    seen.add(named.operationId);
    const item = (paths[named.endpoint.path] ??= {});
    const method = named.endpoint.method.toLowerCase();
    if (item[method]) throw new Error(`${named.endpoint.method} ${named.endpoint.path} is defined twice`);
    item[method] = operationOf(named, components);
  }
  const tags = [...new Set(endpoints.flatMap((e) => e.endpoint.tags))].sort().map((name) => ({ name }));
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: info.title,
      version: info.version,
      description:
        "REST API of the NeoMultiTenant Infrastructure Console: the fleet registry, migrations and their executions, " +
        "health and metrics. Authenticate with a Keycloak access token (`Authorization: Bearer`); each operation's " +
        "`x-permission` names the permission it needs. Errors are JSON `{error, message, details}`. Requests are " +
        "limited per caller and minute (RateLimit-* headers; 429 with Retry-After past the limit).",
    },
    servers: [{ url: info.serverUrl ?? "/", description: "this console" }],
    tags,
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components,
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
