/**
 * Cross-origin access to /api/* for browsers on other origins (CORS_ALLOW_ORIGINS,
 * CORS_ALLOW_CREDENTIALS). Pure functions of the request and the policy; proxy.ts applies them.
 * Cookie-authenticated writes stay same-origin whatever this allows (see route.ts): a cross-origin
 * caller is expected to send a bearer token.
 */

export interface CorsPolicy {
  allowOrigins: readonly string[];
  allowCredentials: boolean;
}

export const CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
export const CORS_REQUEST_HEADERS = ["authorization", "content-type", "x-request-id", "last-event-id"];
export const CORS_EXPOSED_HEADERS = [
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "RateLimit-Policy",
  "Retry-After",
  "X-Request-Id",
  "Location",
];
/** Browsers cache a successful preflight this long (seconds). */
const PREFLIGHT_MAX_AGE = 600;

const normalize = (origin: string) => origin.trim().replace(/\/+$/, "").toLowerCase();

/** The Access-Control-Allow-Origin value for this origin, or null when it may not call. */
export function allowedOrigin(origin: string | null, policy: CorsPolicy): string | null {
  if (!origin || origin === "null") return null;
  const wanted = normalize(origin);
  if (policy.allowOrigins.some((o) => o !== "*" && normalize(o) === wanted)) return origin;
  // With credentials a browser refuses `*`: echo the origin instead (settings refuse this in production).
  if (policy.allowOrigins.includes("*")) return policy.allowCredentials ? origin : "*";
  return null;
}

/** Headers for an actual (non-preflight) response; empty when the origin may not call. */
export function corsHeaders(request: Request, policy: CorsPolicy): Record<string, string> {
  const allow = allowedOrigin(request.headers.get("origin"), policy);
  const vary: Record<string, string> = policy.allowOrigins.length > 0 ? { Vary: "Origin" } : {};
  if (!allow) return vary;
  return {
    ...vary,
    "Access-Control-Allow-Origin": allow,
    ...(policy.allowCredentials && allow !== "*" ? { "Access-Control-Allow-Credentials": "true" } : {}),
    "Access-Control-Expose-Headers": CORS_EXPOSED_HEADERS.join(", "),
  };
}

export const isPreflight = (request: Request) =>
  request.method === "OPTIONS" && request.headers.has("origin") && request.headers.has("access-control-request-method");

/**
 * The answer to a CORS preflight: 204 with what the origin may send, or 403 when the origin,
 * method or a requested header is not allowed (the browser then blocks the real request).
 */
export function preflightResponse(request: Request, policy: CorsPolicy): Response {
  const origin = request.headers.get("origin");
  const allow = allowedOrigin(origin, policy);
  const method = (request.headers.get("access-control-request-method") ?? "").toUpperCase();
  const headers = (request.headers.get("access-control-request-headers") ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const refused = !allow
    ? `origin ${origin} is not allowed`
    : !CORS_METHODS.includes(method)
      ? `method ${method} is not allowed`
      : headers.find((h) => !CORS_REQUEST_HEADERS.includes(h))
        ? `header ${headers.find((h) => !CORS_REQUEST_HEADERS.includes(h))} is not allowed`
        : null;
  const vary = { Vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers" };
  if (refused || !allow) {
    return Response.json(
      { error: "forbidden", message: `CORS preflight refused: ${refused}`, details: { origin } },
      { status: 403, headers: vary },
    );
  }
  return new Response(null, {
    status: 204,
    headers: {
      ...vary,
      "Access-Control-Allow-Origin": allow,
      ...(policy.allowCredentials && allow !== "*" ? { "Access-Control-Allow-Credentials": "true" } : {}),
      "Access-Control-Allow-Methods": CORS_METHODS.join(", "),
      "Access-Control-Allow-Headers": CORS_REQUEST_HEADERS.join(", "),
      "Access-Control-Max-Age": String(PREFLIGHT_MAX_AGE),
    },
  });
}
