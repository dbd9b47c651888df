import "server-only";
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { Logger } from "pino";
import type { z } from "zod";
import { authenticate } from "../auth/authenticate";
import { hasPermission } from "../domain/permissions";
import type { Principal } from "../auth/principal";
import { recordAudit } from "../audit/service";
import { getSettings } from "../config/settings";
import { getLogger } from "../logging/logger";
import { DETAIL_ITEMS, MESSAGE_ITEMS, firstOf, listSome } from "../errors/list-some";
import { AppError, type ErrorBody } from "../errors/app-error";
import { type Access, type Endpoint, isMutating } from "../contracts/endpoint";
import { httpStatusOf } from "./error-status";
import { enforceRateLimit } from "./rate-limit";
import { observeRequest } from "../telemetry/request-metrics";
import { crossSiteProblem } from "./same-origin";

/** Bodies above this size are refused before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : unknown;

export interface RouteContext<P, Q, B, A extends Access> {
  request: Request;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  principal: A extends "public" ? Principal | null : Principal;
  requestId: string;
  log: Logger;
  /** Filled by the handler when the audited resource is not the `id` path parameter. */
  audit: { resourceId?: string; details?: Record<string, unknown> };
}

type NextContext = { params: Promise<Record<string, string | string[] | undefined>> };

export interface RouteOptions {
  /**
   * A shared secret also accepted as `Authorization: Bearer <secret>` instead of a Keycloak token
   * (Prometheus scrapers cannot fetch tokens). Undefined or empty: not accepted.
   */
  serviceToken?: () => string | undefined;
}

/** A route handler that carries its contract, so tests and tools can tell what a route requires. */
export type RouteHandler<E extends Endpoint = Endpoint> = ((request: Request, next?: NextContext) => Promise<Response>) & {
  readonly endpoint: E;
};

/**
 * The one wrapper every route handler goes through: request id, authentication, permission,
 * rate limit, zod parsing of params/query/body, audit of mutating calls, error → HTTP mapping.
 * The handler returns the response body (validated type) or a ready Response (streams, text).
 */
export function route<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
  A extends Access,
>(
  endpoint: Endpoint<P, Q, B, R, A>,
  handler: (ctx: RouteContext<P, Q, B, A>) => Promise<In<R> | Response> | In<R> | Response,
  options: RouteOptions = {},
): RouteHandler<Endpoint<P, Q, B, R, A>> {
  async function handle(request: Request, next?: NextContext): Promise<Response> {
    const started = performance.now();
    const requestId = requestIdOf(request);
    const log = getLogger().child({ requestId });
    const url = new URL(request.url);
    let principal: Principal | null = null;
    const audit: RouteContext<P, Q, B, A>["audit"] = {};
    let rawParams: Record<string, string | string[] | undefined> = {};
    let response: Response;
    let errorCode: string | null = null;
    let limitHeaders: Record<string, string> = {};

    try {
      rawParams = (await next?.params) ?? {};
      const limited = endpoint.rateLimited !== false;
      if (endpoint.access !== "public") {
        const service = serviceCaller(request, options);
        if (service) {
          principal = service;
        } else {
          try {
            principal = await authenticateOrThrow(request, log);
          } catch (error) {
            // A caller without valid credentials is anonymous: it counts against its address, so
            // guessing tokens is limited like any other anonymous traffic.
            if (limited && error instanceof AppError && error.code === "unauthorized") {
              limitHeaders = await enforceRateLimit(anonymousKey(request));
            }
            throw error;
          }
          // Cross-site first: a forged write learns nothing, not even which permission it lacked.
          if (principal.via === "session" && isMutating(endpoint.method)) assertSameOrigin(request);
          if (endpoint.access !== "authenticated" && !hasPermission(principal.permissions, endpoint.access)) {
            throw new AppError("forbidden", `missing permission: ${endpoint.access}`, {
              required_permission: endpoint.access,
            });
          }
        }
      }
      if (limited) {
        limitHeaders = principal
          ? await enforceRateLimit(`${principal.type}:${principal.id}`, principal.via === "session" ? "session" : "api")
          : await enforceRateLimit(anonymousKey(request));
      }
      const params = parsePart(endpoint.params, rawParams, "path") as Out<P>;
      const query = parsePart(endpoint.query, queryObject(url.searchParams), "query") as Out<Q>;
      const body = (endpoint.body ? parsePart(endpoint.body, await readJson(request), "body") : undefined) as Out<B>;

      const result = await handler({
        request,
        params,
        query,
        body,
        principal: principal as RouteContext<P, Q, B, A>["principal"],
        requestId,
        log,
        audit,
      });
      response = result instanceof Response ? result : Response.json(result ?? null, { status: endpoint.status ?? 200 });
    } catch (error) {
      const { status, body, headers } = toErrorResponse(error, requestId, log);
      response = Response.json(body, { status, headers });
      errorCode = body.error;
    }
    // Every mutating call by a known caller is audited, whether it succeeded or not.
    if (principal && isMutating(endpoint.method)) {
      await recordAudit({
        principal,
        action: endpoint.action ?? `${endpoint.method} ${endpoint.path}`,
        resourceType: endpoint.resourceType,
        resourceId: audit.resourceId ?? stringParam(rawParams.id),
        outcome: errorCode === null ? "success" : "error",
        errorCode: errorCode ?? undefined,
        requestId,
        ip: clientIp(request),
        details: audit.details,
      });
    }

    response.headers.set("x-request-id", requestId);
    for (const [name, value] of Object.entries(limitHeaders)) response.headers.set(name, value);
    const durationMs = performance.now() - started;
    observeRequest(endpoint.method, endpoint.path, response.status, durationMs / 1000);
    log[response.status >= 500 ? "error" : "info"](
      { method: endpoint.method, path: url.pathname, status: response.status, ms: Math.round(durationMs), actor: principal?.username },
      "request",
    );
    return response;
  }
  return Object.assign(handle, { endpoint });
}

const anonymousKey = (request: Request) => `ip:${clientIp(request) ?? "unknown"}`;

/** The principal of a caller presenting the route's service token, or null. */
function serviceCaller(request: Request, options: RouteOptions): Principal | null {
  const expected = options.serviceToken?.();
  if (!expected) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization")?.trim() ?? "")?.[1];
  if (!bearer || !sameSecret(bearer, expected)) return null;
  return { id: "service-token", username: "service-token", type: "client", permissions: [], via: "bearer" };
}

/** Constant-time comparison that does not reveal the secret's length either. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

async function authenticateOrThrow(request: Request, log: Logger): Promise<Principal> {
  let principal: Principal | null;
  try {
    principal = await authenticate(request);
  } catch (error) {
    if (error instanceof AppError && error.code === "service_unavailable") throw error;
    // The reason stays in the debug log; the caller learns only that the credential was refused.
    log.debug({ reason: error instanceof Error ? error.message : String(error) }, "authentication failed");
    throw unauthorized("invalid or expired credentials");
  }
  if (!principal) throw unauthorized("authentication required");
  return principal;
}

const unauthorized = (message: string) =>
  new AppError("unauthorized", message, {}, { "WWW-Authenticate": 'Bearer realm="infrastructure-console"' });

/** Cookie-authenticated writes must come from the console's own pages (defence against CSRF). */
function assertSameOrigin(request: Request) {
  const { authUrl, trustProxy } = getSettings();
  const problem = crossSiteProblem(request.headers, { publicUrl: authUrl, trustProxy });
  if (problem) throw new AppError("forbidden", problem, { reason: "cross_site" });
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: "path" | "query" | "body"): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join(".") : where,
    message: issue.message,
    code: issue.code,
  }));
  // 10,000 malformed ids are 10,000 issues: name the first few, count the rest.
  const summary = listSome(fields.map((f) => `${f.field}: ${f.message}`), MESSAGE_ITEMS, "; ");
  throw new AppError("validation_error", `invalid ${where}: ${summary}`, {
    location: where,
    fields: firstOf(fields),
    ...(fields.length > DETAIL_ITEMS ? { field_count: fields.length } : {}),
  });
}

async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    throw new AppError("payload_too_large", `request body exceeds ${MAX_BODY_BYTES} bytes`, { limit: MAX_BODY_BYTES });
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new AppError("payload_too_large", `request body exceeds ${MAX_BODY_BYTES} bytes`, { limit: MAX_BODY_BYTES });
  }
  if (text.trim() === "") return {};
  const type = request.headers.get("content-type") ?? "";
  if (type && !/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new AppError("bad_request", `request body must be application/json (got ${type.split(";")[0]})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("bad_request", `request body is not valid JSON: ${error instanceof Error ? error.message : "parse error"}`);
  }
}

/** Repeated keys become arrays; `a=1,2` stays a string for the schema to split. */
function queryObject(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

export function toErrorResponse(
  error: unknown,
  requestId: string,
  log: Logger,
): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (error instanceof AppError) {
    // A dependency being down is expected operation (probes ask until it is back): no stack trace.
    if (error.code === "service_unavailable") log.warn({ code: error.code, details: error.details }, error.message);
    else if (httpStatusOf(error) >= 500) log.error({ err: error }, error.message);
    return {
      status: httpStatusOf(error),
      body: { error: error.code, message: error.message, details: error.details },
      headers: error.headers,
    };
  }
  log.error({ err: error }, "unhandled error");
  return {
    status: 500,
    body: { error: "internal_error", message: `internal error (request ${requestId})`, details: { request_id: requestId } },
    headers: {},
  };
}

function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && /^[\w.-]{8,128}$/.test(given) ? given : randomUUID();
}

/**
 * The caller's address as the nearest proxy saw it: the last X-Forwarded-For entry. Earlier entries
 * are whatever the client chose to send (a proxy appends, it does not replace), so the first entry
 * would let an anonymous caller pick a fresh rate-limit bucket per request.
 */
export function clientIp(request: Request): string | undefined {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
  return forwarded || request.headers.get("x-real-ip") || undefined;
}

const stringParam = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
