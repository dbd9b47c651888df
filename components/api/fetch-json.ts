import { retryAfterSeconds, waitForRateLimit } from "./rate-limit-wait";

/** The error body every API route returns: {error, message, details}. */
export interface ApiErrorBody {
  error: string;
  message: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = "ApiError";
  }

  /** Field-level messages from a 422, keyed by field path. */
  get fieldErrors(): Record<string, string> {
    const fields = (this.body.details?.fields ?? []) as Array<{ field: string; message: string }>;
    return Object.fromEntries(fields.map((f) => [f.field, f.message]));
  }
}

/** How many times one request waits out a 429 before its error is shown. */
const RATE_LIMIT_RETRIES = 4;

/**
 * fetch for the console's own API from the browser: same-origin cookies, JSON in and out, and an
 * ApiError carrying the server's message for anything that is not a success.
 *
 * A 429 is not an error to show: the request waits for the server's `Retry-After` (abandoned at
 * once if its signal aborts) and is sent again, and the shell shows a quiet notice meanwhile. This
 * holds for writes too: the limit is checked before a route does anything, so nothing happened.
 */
export async function fetchJson<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(path, {
      ...rest,
      credentials: "same-origin",
      headers: {
        accept: "application/json",
        ...(json !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
    if (response.status === 429 && attempt < RATE_LIMIT_RETRIES) {
      await response.body?.cancel().catch(() => {});
      await waitForRateLimit(retryAfterSeconds(response.headers.get("retry-after")), rest.signal);
      continue;
    }
    const text = await response.text();
    const body = text ? safeParse(text) : null;
    if (!response.ok) {
      const errorBody =
        body && typeof body === "object" && "message" in body
          ? (body as ApiErrorBody)
          : { error: "http_error", message: `${response.status} ${response.statusText}` };
      throw new ApiError(response.status, errorBody);
    }
    return body as T;
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: "invalid_response", message: text.slice(0, 200) };
  }
}

/** Builds a query string from defined values only. */
export function toQuery(params: Record<string, string | number | boolean | undefined | null | string[]>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length) search.set(key, value.join(","));
    } else search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : "";
}
