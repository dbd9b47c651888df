import "server-only";
import { getSettings } from "../config/settings";
import { getPool } from "../db/client";
import { AppError } from "./app-error";

const WINDOW_SECONDS = 60;

/**
 * Per-caller request limit, counted in the control-plane database so every console instance sees
 * the same count. Fixed one-minute windows: one upsert per request, no background cleanup needed
 * (each caller has a single row that is reset when its window rolls over).
 * Returns the RateLimit-* headers for the response; throws 429 with Retry-After past the limit.
 */
export async function enforceRateLimit(key: string): Promise<Record<string, string>> {
  const { enabled, requestsPerMinute: limit } = getSettings().rateLimit;
  if (!enabled) return {};
  const { rows } = await getPool().query<{ count: number; reset: number }>(
    `insert into console.rate_limit_counters as c (key, window_start, count)
     values ($1, to_timestamp(floor(extract(epoch from now()) / $2) * $2), 1)
     on conflict (key) do update
       set count = case when c.window_start = excluded.window_start then c.count + 1 else 1 end,
           window_start = excluded.window_start
     returning count, ceil(extract(epoch from (window_start + make_interval(secs => $2)) - now()))::int as reset`,
    [key, WINDOW_SECONDS],
  );
  const count = rows[0]?.count ?? 1;
  const reset = Math.max(1, rows[0]?.reset ?? WINDOW_SECONDS);
  const headers = {
    "RateLimit-Limit": String(limit),
    "RateLimit-Remaining": String(Math.max(0, limit - count)),
    "RateLimit-Reset": String(reset),
    "RateLimit-Policy": `${limit};w=${WINDOW_SECONDS}`,
  };
  if (count > limit) {
    throw new AppError(
      "rate_limited",
      `rate limit of ${limit} requests per minute exceeded; retry in ${reset}s`,
      { limit, retry_after_seconds: reset },
      { ...headers, "Retry-After": String(reset) },
    );
  }
  return headers;
}
