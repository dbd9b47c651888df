import { createHash } from "node:crypto";

/**
 * Security headers of every response. No imports beyond node:crypto: next.config.ts reads
 * STATIC_SECURITY_HEADERS for the static files proxy.ts does not see.
 */

export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  // For browsers without CSP frame-ancestors.
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** Two years, subdomains included: sent in production only (development runs on plain http). */
export const HSTS = "max-age=63072000; includeSubDomains";

/** The CSP source that allows one exact inline script (ours, written by the root layout). */
export function scriptHash(script: string): string {
  return `'sha256-${createHash("sha256").update(script).digest("base64")}'`;
}

export interface CspOptions {
  /** Fresh per request; Next.js puts it on its own scripts when it finds it in the request's CSP. */
  nonce: string;
  /** `next dev` needs eval for its error overlay and fast refresh. */
  development: boolean;
  production: boolean;
  /** Origins a form may post or redirect to besides this one (the identity provider's sign-in). */
  formTargets: readonly string[];
  /** Inline scripts the pages write themselves (the no-flash theme script), allowed by their hash. */
  inlineScripts: readonly string[];
}

/**
 * Scripts: only those carrying the request's nonce (Next's and Swagger UI's) or the hash of one of
 * our own inline scripts, plus what they load ('strict-dynamic'); no inline handlers, no eval in production.
 * Styles: 'unsafe-inline', because Radix and the toaster set styles at run time; injected CSS cannot
 * run code, so this is the trade-off taken. Nothing may frame the console.
 */
export function contentSecurityPolicy(options: CspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' ${options.inlineScripts.map(scriptHash).join(" ")} 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${options.formTargets.map((o) => ` ${o}`).join("")}`,
    "frame-ancestors 'none'",
    ...(options.production ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}
