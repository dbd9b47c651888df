import * as audit from "../audit/api";
import * as auth from "../auth/api";
import * as databases from "../databases/api";
import * as health from "../health/api";
import * as maintenanceWindows from "../maintenance-windows/api";
import type { Endpoint } from "../contracts/endpoint";
import * as metrics from "../metrics/api";
import * as migrations from "../migrations/api";
import * as historyEdits from "../migrations/history-edits/api";
import * as schedules from "../schedules/api";
import * as tenants from "../tenants/api";
import * as webhooks from "../webhooks/api";
import * as openapi from "./api";

/**
 * Every feature's endpoint contracts (its `api.ts`), listed by hand so the document is explicit about
 * what it publishes. A test discovers every api.ts file under server/ and fails when one is missing.
 * `file` is the module's path from the repository root (the typed client's generator imports it).
 */
export const API_MODULES: ReadonlyArray<{ file: string; module: Record<string, unknown> }> = [
  { file: "server/health/api", module: health },
  { file: "server/auth/api", module: auth },
  { file: "server/databases/api", module: databases },
  { file: "server/tenants/api", module: tenants },
  { file: "server/migrations/api", module: migrations },
  { file: "server/migrations/history-edits/api", module: historyEdits },
  { file: "server/schedules/api", module: schedules },
  { file: "server/webhooks/api", module: webhooks },
  { file: "server/maintenance-windows/api", module: maintenanceWindows },
  { file: "server/audit/api", module: audit },
  { file: "server/metrics/api", module: metrics },
  { file: "server/openapi/api", module: openapi },
];

export interface NamedEndpoint {
  /** The export's name without an `Endpoint` suffix: the OpenAPI operationId and the client's method. */
  operationId: string;
  /** The export's own name. */
  exportName: string;
  /** The api.ts module that defines it (path from the repository root, no extension). */
  file: string;
  endpoint: Endpoint;
}

export function isEndpoint(value: unknown): value is Endpoint {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<Endpoint>;
  return typeof v.method === "string" && typeof v.path === "string" && typeof v.access === "string" && Array.isArray(v.tags);
}

/** The endpoints of the given modules, each named after its export. */
export function endpointsOf(modules = API_MODULES): NamedEndpoint[] {
  const out: NamedEndpoint[] = [];
  for (const { file, module } of modules) {
    for (const [exportName, value] of Object.entries(module)) {
      if (isEndpoint(value)) out.push({ operationId: exportName.replace(/Endpoint$/, ""), exportName, file, endpoint: value });
    }
  }
  return out;
}
