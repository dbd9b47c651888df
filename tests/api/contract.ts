import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import { expect } from "vitest";
import { HTTP_STATUS } from "../../server/http/error-status";
import type { Endpoint } from "../../server/contracts/endpoint";
import type { RouteHandler } from "../../server/http/route";
import { buildOpenApiDocument, errorStatusesOf } from "../../server/openapi/document";
import { endpointsOf } from "../../server/openapi/endpoints";
import { fillTemplate } from "./routes";

/**
 * Contract checks for any test that calls a route handler: the answer's status must be one the
 * endpoint documents, and its body must validate against the declared schema twice over, with the
 * endpoint's zod response schema and with the JSON Schema the OpenAPI document publishes for that
 * operation and status. Error bodies must be {error, message, details} with a code that maps to
 * the status. Use `callEndpoint` in place of a bare handler call:
 *
 *   const res = await callEndpoint(GET, { token, params: { id } });   // asserts the contract
 *   expect(res.json.items).toHaveLength(2);
 */

export interface EndpointCall {
  token?: string;
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** Sent as is (malformed bodies). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface ContractResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  json: any;
}

const document = buildOpenApiDocument(endpointsOf(), { title: "contract", version: "test" });
const ajv = new Ajv2020({ strict: false, allErrors: true });
const DOCUMENT_ID = "https://console.test/openapi.json";
ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
const validators = new Map<string, ValidateFunction>();

/** The JSON Schema the document declares for this endpoint and status (component refs resolved). */
function validatorFor(endpoint: Endpoint, status: number): ValidateFunction | null {
  const key = `${endpoint.method} ${endpoint.path} ${status}`;
  if (validators.has(key)) return validators.get(key)!;
  const operation = (document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[endpoint.path]?.[
    endpoint.method.toLowerCase()
  ];
  let response = operation?.responses[String(status)] as { $ref?: string; content?: Record<string, { schema: unknown }> } | undefined;
  if (response?.$ref) {
    const name = response.$ref.split("/").at(-1)!;
    response = (document.components.responses as Record<string, typeof response>)[name];
  }
  const schema = response?.content?.["application/json"]?.schema;
  if (!schema) return null;
  // Component references point into the document: resolve them against the registered components.
  const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`)));
  validators.set(key, validate);
  return validate;
}

/** Asserts that a response honours the endpoint's published contract. */
export function expectContract(endpoint: Endpoint, response: ContractResponse): void {
  const where = `${endpoint.method} ${endpoint.path} → ${response.status}: ${response.text.slice(0, 500)}`;
  const success = endpoint.status ?? 200;
  const documented = [success, ...errorStatusesOf(endpoint)];
  expect(documented, `undocumented status for ${where}`).toContain(response.status);
  expect(response.headers.get("x-request-id"), `no X-Request-Id on ${where}`).toBeTruthy();

  if (response.status === success) {
    if (endpoint.response) {
      const parsed = endpoint.response.safeParse(response.json);
      expect(parsed.success, `zod response schema refused ${where}\n${parsed.error?.message}`).toBe(true);
    } else if (endpoint.produces) {
      expect(response.headers.get("content-type") ?? "", where).toContain(endpoint.produces.split(";")[0]!);
    } else if (success === 204) {
      expect(response.text, where).toBe("");
    }
  } else {
    expect(response.json, `error body of ${where}`).toEqual({ error: expect.any(String), message: expect.any(String), details: expect.any(Object) });
    const code = response.json.error as keyof typeof HTTP_STATUS;
    expect(HTTP_STATUS[code], `error code ${code} does not map to ${response.status} (${where})`).toBe(response.status);
  }

  const validate = validatorFor(endpoint, response.status);
  if (validate) {
    const valid = validate(response.json);
    expect(valid, `published schema refused ${where}\n${JSON.stringify(validate.errors, null, 2)}`).toBe(true);
  }
}

/** Calls a route handler the way Next does and asserts the answer against its contract. */
export async function callEndpoint(handler: RouteHandler, call: EndpointCall = {}): Promise<ContractResponse> {
  const { endpoint } = handler;
  const url = new URL(`http://localhost:3000${fillTemplate(endpoint.path, call.params ?? {})}`);
  for (const [key, value] of Object.entries(call.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, item);
  }
  const headers: Record<string, string> = { ...call.headers };
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  let body: string | undefined;
  if (call.rawBody !== undefined || call.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = call.rawBody ?? JSON.stringify(call.body);
  }
  const response = await handler(new Request(url, { method: endpoint.method, headers, body }), {
    params: Promise.resolve(call.params ?? {}),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  const result = { status: response.status, headers: response.headers, text, json };
  expectContract(endpoint, result);
  return result;
}
