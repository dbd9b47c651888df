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

/**
 * fetch for the console's own API from the browser: same-origin cookies, JSON in and out, and an
 * ApiError carrying the server's message for anything that is not a success.
 */
export async function fetchJson<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
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
