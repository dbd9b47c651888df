import { histogram } from "./metric-registry";

const requestDuration = () =>
  histogram(
    "http_request_duration_seconds",
    "API request duration by route template and status",
    ["method", "route", "status"],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );

/** Route label is the endpoint's template (`/api/databases/{id}`), never the raw URL. */
export function observeRequest(method: string, route: string, status: number, seconds: number) {
  requestDuration().observe({ method, route, status: String(status) }, seconds);
}

/** Creates the histogram up front, so the first scrape already shows it. */
export function registerRequestMetrics(): void {
  requestDuration();
}
