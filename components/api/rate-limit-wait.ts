import { useSyncExternalStore } from "react";

/**
 * The console's pages waiting out a 429: how many requests wait and until when. fetchJson writes it
 * while it sleeps for `Retry-After`; the shell shows a quiet notice from it instead of an error.
 */
export interface RateLimitWait {
  /** Requests waiting to be tried again. */
  requests: number;
  /** When the last of them is tried again (epoch milliseconds). */
  until: number;
}

let current: RateLimitWait | null = null;
const listeners = new Set<() => void>();

function publish(next: RateLimitWait | null) {
  current = next;
  for (const listener of listeners) listener();
}

/** Longest wait honoured; a longer Retry-After is cut to it (a window is one minute). */
const MAX_WAIT_SECONDS = 120;
/** When a 429 carries no usable Retry-After. */
const DEFAULT_WAIT_SECONDS = 5;

/** Retry-After as seconds: delta-seconds or an HTTP date, within 1–120 s. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (header === null || header.trim() === "") return DEFAULT_WAIT_SECONDS;
  const value = header.trim();
  const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - now) / 1000;
  if (!Number.isFinite(seconds)) return DEFAULT_WAIT_SECONDS;
  return Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil(seconds)));
}

/**
 * Sleeps `seconds`, counted in the notice meanwhile; rejects with the signal's reason when the
 * request is abandoned (a superseded search, a page left).
 */
export function waitForRateLimit(seconds: number, signal?: AbortSignal | null): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const until = Date.now() + seconds * 1000;
  publish({ requests: (current?.requests ?? 0) + 1, until: Math.max(until, current?.until ?? 0) });
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
      const left = (current?.requests ?? 1) - 1;
      publish(left > 0 && current ? { ...current, requests: left } : null);
    };
    const abort = () => {
      done();
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, seconds * 1000);
    signal?.addEventListener("abort", abort, { once: true });
  });
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The current wait, or null when no request is waiting out a rate limit. */
export function useRateLimitWait(): RateLimitWait | null {
  return useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
}
