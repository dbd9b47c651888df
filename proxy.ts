import { randomBytes } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { themeScript } from "./components/theme/theme-script";
import { getSettings } from "./server/config/settings";
import { corsHeaders, isPreflight, preflightResponse } from "./server/http/cors";
import { contentSecurityPolicy, HSTS, STATIC_SECURITY_HEADERS } from "./server/http/security-headers";

/**
 * Runs before every page, API route and Swagger UI request: CORS for /api/* (preflights answered
 * here), and the security headers, with a fresh CSP nonce that Next.js applies to its own scripts.
 * Static files under /_next/static get the static headers from next.config.ts instead.
 */
export function proxy(request: NextRequest) {
  const settings = getSettings();
  const api = request.nextUrl.pathname.startsWith("/api/");
  const nonce = randomBytes(16).toString("base64");
  const csp = contentSecurityPolicy({
    nonce,
    development: process.env.NODE_ENV === "development",
    production: settings.isProduction,
    formTargets: [new URL(settings.keycloak.url).origin],
    inlineScripts: [themeScript],
  });

  let response: Response;
  if (api && isPreflight(request)) {
    response = preflightResponse(request, settings.cors);
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
    if (api) for (const [name, value] of Object.entries(corsHeaders(request, settings.cors))) response.headers.set(name, value);
  }
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  if (settings.isProduction) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
