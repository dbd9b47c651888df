import { Histogram, register } from "prom-client";

const key = Symbol.for("console.httpHistogram");
type G = typeof globalThis & { [key]?: Histogram<"method" | "route" | "status"> };

function histogram() {
  const g = globalThis as G;
  g[key] ??=
    (register.getSingleMetric("http_request_duration_seconds") as Histogram<"method" | "route" | "status"> | undefined) ??
    new Histogram({
      name: "http_request_duration_seconds",
      help: "API request duration by route template and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  return g[key];
}

/** Route label is the endpoint's template (`/api/databases/{id}`), never the raw URL. */
export function observeRequest(method: string, route: string, status: number, seconds: number) {
  histogram().observe({ method, route, status: String(status) }, seconds);
}
