import { operations, type OperationId } from "./operations";
import type { ApiErrorBody, CallInput, ContractOf, Operation, OperationCall } from "./types";

/**
 * A small typed client of the console's REST API, for scripts, benchmarks and tests (and any
 * TypeScript automation). One method per operation, named by its operationId in /api/openapi.json;
 * inputs and results are typed by the same zod contracts the server validates with.
 * The console's own pages do not use it: they read and write through the hooks in components/api.
 *
 *   const api = createApiClient({ baseUrl: "https://console.example.com", token: () => getToken() });
 *   const { items } = await api.listDatabases({ query: { connection_type: "tenant", limit: 100 } });
 *
 * A non-2xx answer throws ApiError with the status and the server's {error, message, details}.
 */

export interface ApiClientOptions {
  baseUrl: string;
  /** A Keycloak access token, or a function returning one (called per request, so it can refresh). */
  token?: string | (() => string | Promise<string>);
  /** Another fetch (tests route requests straight to handlers; defaults to the global one). */
  fetch?: (request: Request) => Promise<Response>;
  /** Sent with every request. */
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
    readonly headers: Headers,
    readonly operationId: string,
  ) {
    super(`${operationId}: ${status} ${body ? `${body.error}: ${body.message}` : "(no error body)"}`);
    this.name = "ApiError";
  }
}

export type ApiClient = { [K in OperationId]: OperationCall<(typeof operations)[K]> } & {
  /** The raw Response of an operation (status and headers included), never throwing on a status. */
  raw<K extends OperationId>(operationId: K, input?: CallInput<ContractOf<(typeof operations)[K]>>): Promise<Response>;
};

type AnyInput = {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

/** The URL of an operation: path parameters filled in (encoded), query parameters appended. */
export function operationUrl(baseUrl: string, operation: Operation, input: AnyInput = {}): URL {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = input.params?.[name];
    if (value === undefined || value === null) throw new Error(`${operation.path}: missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const url = new URL(path, baseUrl);
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
  return url;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const send = options.fetch ?? ((request: Request) => fetch(request));

  async function raw(operationId: OperationId, input: AnyInput = {}): Promise<Response> {
    const operation: Operation = operations[operationId];
    const headers = new Headers({ accept: "application/json, text/plain;q=0.9", ...options.headers, ...input.headers });
    const token = typeof options.token === "function" ? await options.token() : options.token;
    if (token) headers.set("authorization", `Bearer ${token}`);
    let body: string | undefined;
    if (input.body !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(input.body);
    }
    const url = operationUrl(options.baseUrl, operation, input);
    return send(new Request(url, { method: operation.method, headers, body, signal: input.signal }));
  }

  async function call(operationId: OperationId, input: AnyInput = {}): Promise<unknown> {
    const response = await raw(operationId, input);
    const text = await response.text();
    const json = (response.headers.get("content-type") ?? "").includes("json") && text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) throw new ApiError(response.status, isErrorBody(json) ? json : null, response.headers, operationId);
    if (response.status === 204) return null;
    return json === undefined ? text : json;
  }

  const client: Record<string, unknown> = { raw };
  for (const operationId of Object.keys(operations) as OperationId[]) {
    client[operationId] = (input?: AnyInput) => call(operationId, input);
  }
  return client as ApiClient;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === "object" && value !== null && typeof (value as ApiErrorBody).error === "string";
}
