import type { Endpoint } from "../contracts/endpoint";
import type { NamedEndpoint } from "./endpoints";

/** Where the typed client's operation table lives, from the repository root. */
export const CLIENT_OPERATIONS_FILE = "api-client/operations.ts";

/** `server/migrations/executions/api` → `migrationsExecutions`: the import alias of a contracts module. */
function aliasOf(file: string): string {
  const parts = file.split("/").filter((p) => p !== "server" && p !== "api");
  return parts
    .map((p) => p.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase()))
    .map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1)))
    .join("");
}

/** JSON when the endpoint declares a response schema; nothing for 204; text otherwise (metrics, streams). */
function resultKind(endpoint: Endpoint): "json" | "text" | "empty" {
  if (endpoint.response) return "json";
  return endpoint.status === 204 ? "empty" : "text";
}

/**
 * The source of the typed client's operation table: each endpoint's method and path, typed by its
 * contract. Generated rather than written so it cannot drift from the contracts; a test compares
 * the checked-in file with this output.
 */
export function renderClientOperations(endpoints: readonly NamedEndpoint[]): string {
  const files = [...new Set(endpoints.map((e) => e.file))].sort();
  const sorted = [...endpoints].sort((a, b) => a.operationId.localeCompare(b.operationId));
  const lines = [
    "// Generated from the endpoint contracts by `npx tsx server/openapi/write-client-operations-cli.ts`.",
    "// Do not edit: tests/api/api-client.test.ts fails when this file and the contracts disagree.",
    ...files.map((file) => `import type * as ${aliasOf(file)} from "@/${file}";`),
    'import type { Operation } from "./types";',
    "",
    "export const operations = {",
    ...sorted.map(
      (e) =>
        `  ${e.operationId}: { method: "${e.endpoint.method}", path: "${e.endpoint.path}" } as Operation<typeof ${aliasOf(e.file)}.${e.exportName}, "${resultKind(e.endpoint)}">,`,
    ),
    "} as const;",
    "",
    "export type OperationId = keyof typeof operations;",
    "",
  ];
  return lines.join("\n");
}
