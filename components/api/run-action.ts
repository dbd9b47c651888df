import type { ActionResult } from "@/server/http/action";
import { ApiError } from "./fetch-json";

/**
 * A server action's result as a promise, for the hooks in this folder that call one: the data, or
 * an ApiError carrying the server's {error, message, details} (field errors of a 422 included),
 * the same as a failed fetchJson. Components therefore handle both transports alike.
 */
export async function runAction<T>(pending: Promise<ActionResult<T>>): Promise<T> {
  const result = await pending;
  if (result.ok) return result.data;
  throw new ApiError(result.status, result.error);
}
