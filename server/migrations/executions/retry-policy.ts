import type { TargetError } from "../../domain/executions";

/**
 * When a failed target is tried again. Connection-level failures (refused, reset, the server
 * shutting down, too many connections), lock timeouts, serialization failures and a target held by
 * another execution are worth another try; SQL errors are not: the same SQL fails the same way.
 */

/** The longest wait between two attempts, however many there were. */
export const MAX_RETRY_DELAY_MS = 10 * 60_000;

export function isRetryable(error: TargetError | undefined): boolean {
  return !!error && (error.transient === true || error.code === "target_busy");
}

/**
 * `attempt` is the 1-based number of the attempt that just failed: retries are allowed while it is
 * at most `retryAttempts`, so a target is tried at most retryAttempts + 1 times.
 */
export function shouldRetry(error: TargetError | undefined, attempt: number, retryAttempts: number): boolean {
  return isRetryable(error) && attempt <= retryAttempts;
}

/**
 * Exponential backoff with jitter: base × 2^(attempt−1), stretched by a random 0–50 %. The jitter
 * spreads the retries of many targets that failed together (a database restarting) so they do not
 * all come back in the same instant, and never lets a later delay be shorter than an earlier one.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(MAX_RETRY_DELAY_MS, Math.round(exponential * (1 + 0.5 * random())));
}
