import { ApiError } from "@/components/api/fetch-json";
import type { ActionResult } from "@/server/http/action";

/**
 * A server action's result as a promise: the data, or an ApiError carrying the server's
 * {error, message, details} (field errors of a 422 included), the same as a failed fetch.
 */
export async function runAction<T>(pending: Promise<ActionResult<T>>): Promise<T> {
  const result = await pending;
  if (result.ok) return result.data;
  throw new ApiError(result.status, result.error);
}
