import "server-only";
import { getSettings } from "../config/settings";
import { getPool } from "../db/client";
import { getLogger } from "../logging/logger";
import { AppError } from "../errors/app-error";
import { countRequest, deleteCountersOlderThan } from "./rate-limit-repository";

const WINDOW_SECONDS = 60;
/** Counters of windows older than this are deleted now and then (see pruneNowAndThen). */
const KEEP_SECONDS = 3600;
/** About one request in this many also prunes stale counters. */
const PRUNE_EVERY = 500;

/**
 * Whose budget a request is counted in. API callers (a bearer token, or an address for calls
 * without valid credentials) share RATE_LIMIT_RPM; the console's own pages, signed in with the
 * session cookie, count per user in a budget of their own (RATE_LIMIT_SESSION_RPM): a page loads
 * several resources at once, and a person browsing must never be locked out by the API's limit,
 * nor a script's burst with a token spend the person's budget.
 */
export type RateLimitBudget = "api" | "session";

/**
 * Per-caller request limit, counted in the control-plane database so every console instance sees
 * the same count. Fixed one-minute windows aligned to the database clock (not each instance's), one
 * upsert per request, and each caller has a single row per budget that is reset when its window
 * rolls over. Returns the RateLimit-* headers for the response; throws 429 with Retry-After past the
 * limit, and 503 when the counter cannot be read (the limit is not silently dropped).
 */
export async function enforceRateLimit(key: string, budget: RateLimitBudget = "api"): Promise<Record<string, string>> {
  const { enabled, requestsPerMinute, sessionRequestsPerMinute } = getSettings().rateLimit;
  if (!enabled) return {};
  const limit = budget === "session" ? sessionRequestsPerMinute : requestsPerMinute;
  let row: { count: number; reset: number } | undefined;
  try {
    row = await countRequest(getPool(), `${budget === "session" ? "session:" : ""}${key}`.slice(0, 300), WINDOW_SECONDS);
  } catch (error) {
    getLogger().error({ err: error }, "rate limit counter unavailable");
    throw new AppError("service_unavailable", "the control-plane database is unavailable; retry shortly", {}, { "Retry-After": "5" });
  }
  pruneNowAndThen();
  const count = row?.count ?? 1;
  const reset = Math.max(1, row?.reset ?? WINDOW_SECONDS);
  const headers = {
    "RateLimit-Limit": String(limit),
    "RateLimit-Remaining": String(Math.max(0, limit - count)),
    "RateLimit-Reset": String(reset),
    "RateLimit-Policy": `${limit};w=${WINDOW_SECONDS}`,
  };
  if (count > limit) {
    throw new AppError(
      "rate_limited",
      `rate limit of ${limit} requests per minute${budget === "session" ? " for the console's pages" : ""} exceeded; retry in ${reset}s`,
      { limit, retry_after_seconds: reset },
      { ...headers, "Retry-After": String(reset) },
    );
  }
  return headers;
}

/**
 * Anonymous callers are counted per address, so the table gains a row per address ever seen. Rather
 * than a timer in every instance, an occasional request deletes rows nobody has used for an hour.
 */
function pruneNowAndThen() {
  if (Math.random() * PRUNE_EVERY >= 1) return;
  void pruneRateLimitCounters().catch((error: unknown) => getLogger().warn({ err: error }, "rate limit prune failed"));
}

/** Deletes counters whose window ended more than an hour ago; returns how many. */
export async function pruneRateLimitCounters(): Promise<number> {
  return deleteCountersOlderThan(getPool(), KEEP_SECONDS);
}
