type Handler = (request: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface ApiResponse {
  status: number;
  /** The raw body text: what tests search for leaked secrets. */
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
  json: any;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (malformed JSON tests). */
  rawBody?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
}

/** Invokes a real route handler the way Next does: a Request and a params promise. */
export async function call(handler: Handler, method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse> {
  const url = new URL(`http://localhost:3000${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined || opts.body !== undefined) {
    headers["content-type"] = "application/json";
    body = opts.rawBody ?? JSON.stringify(opts.body);
  }
  const response = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve(opts.params ?? {}) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, text, json };
}
