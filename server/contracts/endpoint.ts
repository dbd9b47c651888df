import type { z } from "zod";
import type { Permission } from "../domain/permissions";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

/** Who may call: a permission from the table, any signed-in caller, or anyone (health probes). */
export type Access = Permission | "authenticated" | "public";

/**
 * One REST endpoint's contract: method, path, who may call it, and the zod schemas of its
 * parameters, query, body and response. The route handler, the OpenAPI document and the typed
 * client are all built from this one definition.
 */
export interface Endpoint<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
  A extends Access = Access,
> {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. `/api/databases/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** Schema of the success body; undefined for streams and text responses. */
  response?: R;
  /** Success status (default 200). */
  status?: number;
  /** Content type of the success response when it is not JSON. */
  produces?: string;
  /**
   * Error statuses this endpoint answers besides the ones derived from its shape (401/403 unless
   * public, 422 with inputs, 400/413 with a body, 404/409 when mutating or addressed by id, 429 when
   * rate limited, 503): e.g. 404 for a lookup by name, 409 for a conflict a read can hit.
   */
  errors?: ErrorStatus[];
  /** Audit action name for mutating endpoints, e.g. `databases.create`. */
  action?: string;
  /** Resource type recorded in the audit log. */
  resourceType?: string;
  /** Counted against the caller's rate limit (default true; health probes opt out). */
  rateLimited?: boolean;
}

export function defineEndpoint<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
  A extends Access = Access,
>(endpoint: Endpoint<P, Q, B, R, A>): Endpoint<P, Q, B, R, A> {
  return endpoint;
}

export const isMutating = (method: HttpMethod) => method !== "GET";
