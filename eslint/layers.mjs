/**
 * The console's layers, bottom to top, and the one lint rule that holds the code to them
 * (ARCHITECTURE.md explains each layer). A file belongs to the element whose path is the longest
 * prefix of its own; it may import
 *  - anything in its own element,
 *  - anything in a lower layer,
 *  - a sibling element of its own layer only when SIBLINGS says so (one feature building on another),
 * and never from a higher layer. Files outside every element (tests, benchmarks, e2e, tooling) are
 * not checked.
 */

export const LAYERS = [
  { name: "settings", elements: ["server/config"] },
  { name: "base", elements: ["server/logging", "server/crypto", "server/lifecycle", "server/telemetry"] },
  { name: "domain", elements: ["server/domain"] },
  { name: "tables and contracts", elements: ["server/db", "server/contracts"] },
  { name: "errors", elements: ["server/errors"] },
  { name: "adapters", elements: ["server/fleet", "server/queue"] },
  {
    name: "registry and engine",
    elements: [
      "server/databases",
      "server/tenants",
      "server/auth",
      "server/audit",
      "server/fleet-state",
      "server/migrations/engine",
      "server/webhooks",
      "server/maintenance-windows",
    ],
  },
  { name: "plans", elements: ["server/migrations/plans"] },
  { name: "executions", elements: ["server/migrations/executions", "server/migrations/history-edits"] },
  {
    name: "operations",
    elements: ["server/jobs", "server/schedules", "server/retention", "server/health", "server/metrics", "server/tenant-lifecycle"],
  },
  { name: "http", elements: ["server/http", "server/openapi", "server/migrations/api", "server actions"] },
  { name: "clients", elements: ["components", "api-client"] },
  { name: "app", elements: ["app", "proxy", "next.config", "instrumentation"] },
  { name: "runtime", elements: ["server/runtime"] },
];

/** Same-layer imports that are part of the design: importer element → elements it may use. */
export const SIBLINGS = {
  // A tenant lives on a registered connection; the registry's databases know nothing of tenants.
  "server/tenants": ["server/databases"],
  // Audit records name the principal that acted.
  "server/audit": ["server/auth"],
  // The Prometheus scrape reads the control plane's health figures.
  "server/metrics": ["server/health"],
  // The OpenAPI document is built from the route contracts and the error-status table.
  "server/openapi": ["server/http", "server/migrations/api"],
  "server/migrations/api": ["server/http"],
  "server actions": ["server/http"],
};

/**
 * Never, whatever the layers say: the browser side never sees the table file; route handlers and
 * pages call services, never SQL; the engine runs one target handed to it and knows no registry.
 */
export const NEVER = [
  { from: "components", to: "server/db", why: "the browser side never imports the table file" },
  { from: "app", to: "server/db", why: "routes and pages call services, never SQL" },
  { from: "server/migrations/engine", to: "server/databases", why: "the engine runs one target handed to it" },
  { from: "server/migrations/engine", to: "server/tenants", why: "the engine runs one target handed to it" },
  { from: "server/databases", to: "server/migrations/engine", why: "the registry knows no engine" },
  { from: "server/tenants", to: "server/migrations/engine", why: "the registry knows no engine" },
];

/**
 * What browser code may import from server/ as values (everything else only with `import type`):
 * the shared words and rules (server/domain) and server actions ("use server" modules named
 * *actions), the latter only from the client data layer in components/api.
 */
export const CLIENT_VALUE_IMPORTS = [
  { path: /^server\/domain\//, from: /^components\// },
  { path: /^server\/.*actions$/, from: /^components\/api\// },
  // Signing out is the shell's form post to Auth.js, not a read or write of data.
  { path: /^server\/auth\/session-actions$/, from: /^components\/shell\// },
];

/**
 * A feature's server actions (`server/actions/<feature>-actions.ts`, `server/auth/session-actions.ts`) are
 * its web surface, like its route handlers: they sit with the http layer, whatever their folder.
 */
const SERVER_ACTIONS = /^server\/.+actions$/;

const ELEMENTS = LAYERS.flatMap((layer, level) => layer.elements.map((element) => ({ element, level, layer: layer.name }))).sort(
  (a, b) => b.element.length - a.element.length,
);

/** The element of a repository-relative path without its extension, or null when unchecked. */
export function elementOf(path) {
  const bare = path.replace(/\.(d\.)?(tsx?|mjs|js)$/, "");
  if (SERVER_ACTIONS.test(bare)) return ELEMENTS.find(({ element }) => element === "server actions");
  return ELEMENTS.find(({ element }) => bare === element || bare.startsWith(`${element}/`)) ?? null;
}

/** Why `from` may not import `to` (repository-relative paths), or null when it may. */
export function layerViolation(from, to, { typeOnly = false } = {}) {
  const a = elementOf(from);
  const b = elementOf(to);
  if (!a || !b) return null;
  const bare = to.replace(/\.(d\.)?(tsx?|mjs|js)$/, "");
  for (const rule of NEVER) {
    if (a.element === rule.from && (bare === rule.to || bare.startsWith(`${rule.to}/`))) {
      return `${from} may not import ${to}: ${rule.why}`;
    }
  }
  if (a.element === "components" && bare.startsWith("server/") && !typeOnly) {
    const allowed = CLIENT_VALUE_IMPORTS.some((r) => r.path.test(bare) && r.from.test(from));
    if (!allowed) {
      return `${from} may not import values from ${to}: browser code imports server modules as types only (values: server/domain, and server actions through components/api)`;
    }
  }
  if (a.element === b.element) return null;
  if (b.level > a.level) {
    return `${from} (layer ${a.layer}) may not import ${to} (layer ${b.layer}): imports run downward only`;
  }
  if (b.level === a.level && !(SIBLINGS[a.element] ?? []).includes(b.element)) {
    return `${from} (${a.element}) may not import ${to} (${b.element}): elements of one layer stay apart unless SIBLINGS in eslint/layers.mjs allows it`;
  }
  return null;
}
